"""One evaluation run: load a question set in any format, run every variant, write OUT.

`run_benchmark(config, settings)` is what the CLI and the Streamlit page call.
It reads the set (eval/formats.py), picks the index (ours, or a temporary one
over the benchmark's own passages: pooled, or one per question in RGB's
setting), runs each variant (eval/ablations.py) through `run_questions` into
OUT/<variant>/, and writes OUT/results.jsonl (the shipped hybrid),
OUT/summary.json (figures with 95 % CIs, config, index manifest, seed,
versions) and OUT/report.md / report.html (eval/report.py).
"""
from __future__ import annotations

import json
import random
import shutil
import subprocess
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

from eval.formats import Benchmark, load_benchmark

Progress = Callable[[str, int, int], None]  # (stage, done, total)
PAIRED = ("hit@1", "hit@5", "mrr")  # metrics compared with the baseline question by question
ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class RunConfig:
    questions: Path
    out: Path
    format: str = "jsonl"
    index: Path | None = None  # None: the settings' index, or a temporary one over the benchmark's passages
    baseline: bool = False
    ablations: bool = False
    generator: str | None = None
    per_question: bool = False
    noise_rate: float = 0.0
    limit: int | None = None
    seed: int = 0


def select(questions: tuple[dict, ...], limit: int | None, seed: int) -> list[dict]:
    """All questions, or a seeded random `limit` of them kept in file order.

    >>> [q["id"] for q in select(tuple({"id": str(i)} for i in range(6)), 3, seed=1)]
    ['0', '1', '4']
    """
    if not limit or limit >= len(questions):
        return list(questions)
    if limit < 1:
        raise ValueError(f"--limit must be at least 1, got {limit}")
    keep = sorted(random.Random(seed).sample(range(len(questions)), limit))
    return [questions[i] for i in keep]


def per_question_setting(questions: list[dict], noise_rate: float, seed: int) -> list[dict]:
    """Give each RGB question its own passages; a question left with no positive must be refused."""
    from eval.passage_index import rgb_selection

    rng, out = random.Random(seed), []
    for q in questions:
        pos, neg = rgb_selection(q, noise_rate, rng)
        answerable = bool(pos) and q.get("answerable", True)
        out.append({**q, "given_docs": pos + neg, "answerable": answerable,
                    "evidence": [{"doc": d} for d in pos] if answerable else [],
                    "type": q["type"] if answerable else "unanswerable"})
    return out


def versions() -> dict:
    from importlib import metadata
    import platform

    out = {"python": platform.python_version()}
    for pkg in ("numpy", "faiss-cpu", "bm25s", "jieba", "sentence-transformers", "torch", "transformers", "streamlit"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            pass
    try:
        out["git_commit"] = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                                           timeout=5).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        out["git_commit"] = None
    return out


def _corpus_texts(bench: Benchmark, settings, index) -> tuple[dict[str, str], set[str]]:
    """Normalised texts the citations must quote, and digits the metadata frame may add."""
    import re

    from eval.normalize import normalize
    from ingest.load import load_file

    if bench.passages:
        texts = {d: normalize(p.text) for d, p in bench.passages.items()}
        meta = " ".join(f"{d} {p.title}" for d, p in bench.passages.items())  # a bare passage's title is its file name
    else:
        texts = {d: normalize(load_file(settings.corpus_dir / d, max_bytes=settings.max_file_bytes).text)
                 for d in index.manifest["documents"]}
        meta = " ".join(str(v["meta"].get(k) or "") for v in index.manifest["documents"].values()
                        for k in ("title", "title_en", "published", "period"))
    return texts, set(re.findall(r"\d+", meta))


def run_benchmark(cfg: RunConfig, settings, embedder=None, progress: Progress | None = None) -> dict:
    """Run `cfg`; returns the summary (also written to cfg.out/summary.json)."""
    from eval.ablations import choose_variants, make_pipeline
    from eval.answer_metrics import answer_scores
    from eval.bootstrap import paired_delta
    from eval.passage_index import PerQuestionIndexes, PerQuestionPipeline, build_passage_index
    from eval.report import write_reports
    from eval.run import run_questions, summarize
    from index.embed import make_embedder
    from index.store import load_index

    bench = load_benchmark(cfg.questions, cfg.format)
    questions = select(bench.questions, cfg.limit, cfg.seed)
    if cfg.per_question and not (bench.passages and cfg.format == "rgb"):
        raise ValueError("--per-question needs an RGB-format set (it gives each question its own passages)")
    if cfg.per_question and cfg.index:
        raise ValueError("--per-question builds one index per question: do not pass --index")
    generator = cfg.generator or settings.generator
    embedder = embedder or make_embedder(settings)
    cfg.out.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="hpqa-eval-"))
    try:
        per_question = None
        if bench.passages and cfg.index is None:
            if cfg.per_question:
                questions = per_question_setting(questions, cfg.noise_rate, cfg.seed)
                per_question = PerQuestionIndexes(bench.passages, scratch, settings, embedder)
                run_settings = settings.model_copy(update={"corpus_dir": scratch / "none", "index_dir": scratch / "none"})
                index = None
                index_label = f"one temporary index per question ({len(bench.passages)} passages, noise rate {cfg.noise_rate})"
            else:
                if progress:
                    progress("index", 0, len(bench.passages))
                run_settings = build_passage_index(
                    list(bench.passages.values()), scratch / "pooled", settings, embedder,
                    progress=(lambda d, t: progress("index", d, t)) if progress else None)
                index = load_index(run_settings.index_dir)
                index_label = f"temporary pooled index of the benchmark's {len(bench.passages)} passages"
        else:
            run_settings = settings if cfg.index is None else settings.model_copy(update={"index_dir": cfg.index})
            index = load_index(run_settings.index_dir)
            index_label = str(run_settings.index_dir)
        corpus, meta_numbers = _corpus_texts(bench, run_settings, index)

        def score(q: dict, record: dict) -> dict:
            return answer_scores(q, record, corpus, meta_numbers)

        variants = choose_variants(settings, cfg.ablations, cfg.baseline)
        summaries, rows_of = {}, {}
        for v in variants:
            if per_question:
                pipeline = PerQuestionPipeline(
                    per_question, lambda s, idx, v=v: make_pipeline(v, s, idx, embedder, generator))
                prepare = pipeline.prepare
            else:
                pipeline, prepare = make_pipeline(v, run_settings, index, embedder, generator), None
            rows = run_questions(questions, pipeline, cfg.out / v.name, score if v.params else None,
                                 progress=(lambda d, t, n=v.name: progress(n, d, t)) if progress else None,
                                 prepare=prepare)
            summaries[v.name] = {"label": v.label, "folder": v.name, **summarize(rows, cfg.seed)}
            rows_of[v.name] = rows
            (cfg.out / v.name / "summary.json").write_text(json.dumps(summaries[v.name], ensure_ascii=False, indent=2),
                                                           encoding="utf-8")
        if "baseline" in rows_of:  # paired differences: the same questions, so far tighter than two CIs
            for name, rows in rows_of.items():
                if name != "baseline":
                    summaries[name]["vs_baseline"] = {
                        m: d for m in PAIRED if (d := paired_delta(rows, rows_of["baseline"], m, cfg.seed))}
        shutil.copyfile(cfg.out / "hybrid" / "results.jsonl", cfg.out / "results.jsonl")
        manifest = (index.manifest if index is not None
                    else load_index(per_question.settings_for(questions[0]).index_dir).manifest)
        hybrid = summaries["hybrid"]
        summary = {
            "pipeline": "hybrid+" + generator, "index": index_label, "questions_file": str(cfg.questions),
            "format": cfg.format,
            "manifest": {k: manifest.get(k) for k in ("model", "chunker", "faiss", "bm25", "counts", "versions")},
            "search_params": asdict(next(v.params for v in variants if v.name == "hybrid")),
            **{k: v for k, v in hybrid.items() if k not in ("label", "folder")},
            "ablations": {n: {k: s[k] for k in ("label", "folder", "questions", "scored", "overall", "latency", "ci",
                                                "vs_baseline") if k in s}
                          for n, s in summaries.items()},
            "config": {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(cfg).items()},
            "seed": cfg.seed, "versions": versions(),
        }
        if "baseline" in summaries:
            summary["baseline"] = {k: v for k, v in summaries["baseline"].items() if k not in ("label", "folder")}
        (cfg.out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
        write_reports(cfg.out, summary, rows_of)
        return summary
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

