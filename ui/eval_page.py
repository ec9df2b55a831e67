"""The evaluation page: upload a question set in any format, run it, read the report.

UI only: formats, runs and reports are eval/ (eval.harness.run_benchmark,
eval.report). The uploaded file and the run's output go to a temporary folder;
report.html can be downloaded. SQuAD/RGB sets are indexed from their own
passages (embedding them takes a while); JSONL/CSV sets run on the app's index.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from eval.formats import FORMATS, FormatError
from ui.resources import get_embedder, get_settings

state = st.session_state
SUFFIX_FORMAT = {".jsonl": "jsonl", ".json": "squad", ".csv": "csv"}

st.title("评测 Evaluation")
st.caption("Upload a question set: our JSONL (dev set), SQuAD/CMRC 2018 JSON, RGB JSONL or CSV "
           "(question, answer, optional evidence). See docs/eval.md.")
uploaded = st.file_uploader("Question set", type=["jsonl", "json", "csv"], key="eval_upload")
guess = SUFFIX_FORMAT.get(Path(uploaded.name).suffix.lower(), "jsonl") if uploaded else "jsonl"
fmt = st.selectbox("Format", FORMATS, index=FORMATS.index(guess),  # no key: a new file resets the guess
                   help="RGB files are .jsonl too: pick rgb for them")
c1, c2, c3 = st.columns(3)
ablations = c1.checkbox("All ablations", key="eval_ablations", help="baseline, BM25 only, dense only, hybrid")
baseline = c2.checkbox("Baseline", value=True, key="eval_baseline", help="character-bigram BM25 baseline")
limit = c3.number_input("Limit (0 = all)", min_value=0, value=0, step=10, key="eval_limit")
per_question, noise = False, 0.0
if fmt == "rgb":
    per_question = st.checkbox("RGB's own setting: each question gets only its own 5 passages", key="eval_perq")
    noise = st.slider("Noise rate (share of negative passages)", 0.0, 1.0, 0.0, 0.2, key="eval_noise",
                      disabled=not per_question)

if st.button("运行 Run", type="primary", disabled=uploaded is None, key="eval_run"):
    from eval.harness import RunConfig, run_benchmark

    work = Path(tempfile.mkdtemp(prefix="hpqa-eval-ui-"))
    qfile = work / Path(uploaded.name).name
    qfile.write_bytes(uploaded.getvalue())
    bar = st.progress(0.0, text="starting")

    def progress(stage: str, done: int, total: int) -> None:
        bar.progress(done / max(total, 1), text=f"{stage}: {done}/{total}")

    cfg = RunConfig(qfile, work / "out", format=fmt, baseline=baseline, ablations=ablations,
                    per_question=per_question, noise_rate=noise, limit=int(limit) or None)
    try:
        run_benchmark(cfg, get_settings(), get_embedder(), progress=progress)
        state.eval_out = str(cfg.out)
        state.pop("eval_error", None)
    except (FormatError, ValueError, RuntimeError, OSError) as e:
        state.eval_error = f"{type(e).__name__}: {e}"
        state.pop("eval_out", None)
    bar.empty()

if state.get("eval_error"):
    st.error("The run failed.")
    st.text(state.eval_error)
if state.get("eval_out"):
    import json

    from eval.report import ablation_rows, charts, group_rows, question_rows

    out = Path(state.eval_out)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    st.subheader("Ablations (95 % bootstrap intervals)")
    head, *body = ablation_rows(summary)
    st.dataframe([dict(zip(head, (c.replace("`", "") for c in r))) for r in body], hide_index=True)
    st.subheader("By type")
    head, *body = group_rows(summary, "by_type")
    st.dataframe([dict(zip(head, r)) for r in body], hide_index=True)
    rows_of = {}
    for name in summary["ablations"]:
        lines = (out / name / "results.jsonl").read_text(encoding="utf-8").splitlines()
        rows_of[name] = [{"id": r["id"], "latency_ms": r["latency_ms"], **r.get("scores", {})}
                         for r in map(json.loads, lines)]
    for svg in charts(summary, rows_of).values():
        st.image(svg)  # Streamlit renders an SVG string as an image
    st.subheader("Questions")
    st.dataframe(question_rows(out), hide_index=True, key="eval_questions")
    st.download_button("report.html", (out / "report.html").read_bytes(), file_name="report.html",
                       mime="text/html", key="eval_download")
