"""OUT/report.md and a self-contained OUT/report.html from one run's summary.

The ablation table (every variant, figures with 95 % bootstrap intervals), the
shipped pipeline's figures by type and by persona, three charts (hit@5 by type
per variant, the hit@k curve, the latency histogram; inline SVG in the HTML,
OUT/plots/*.svg beside the Markdown) and the questions the shipped pipeline
missed. Formatting only: every number comes from summary.json.
"""
from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Mapping, Sequence

from eval.svg import bar_chart, histogram, line_chart

TABLE_METRICS = ("hit@1", "hit@5", "mrr", "ndcg@10", "answer_accuracy", "f1", "refusal_accuracy", "false_refusal_rate")
GROUP_METRICS = ("hit@1", "hit@5", "mrr", "answer_accuracy", "refusal_accuracy", "f1")


def cell(value, ci=None) -> str:
    """A figure with its interval.

    >>> cell(0.9761, [0.94, 1.0]), cell(None), cell(12.3456)
    ('0.976 [0.940, 1.000]', '–', '12.346')
    """
    if value is None:
        return "–"
    return f"{value:.3f}" + (f" [{ci[0]:.3f}, {ci[1]:.3f}]" if ci else "")


def ms_cell(value, ci=None) -> str:
    """
    >>> ms_cell(44.8, [43.1, 50.8])
    '45 [43, 51]'
    """
    if value is None:
        return "–"
    return f"{value:.0f}" + (f" [{ci[0]:.0f}, {ci[1]:.0f}]" if ci else "")


def ablation_rows(summary: Mapping) -> list[list[str]]:
    """Header + one row per variant."""
    abl = summary.get("ablations", {})
    metrics = [m for m in TABLE_METRICS if any(a["overall"].get(m) is not None for a in abl.values())]
    paired = any(a.get("vs_baseline") for a in abl.values())
    rows = [["variant", "n", *metrics, *(["Δhit@1 vs baseline (paired)"] if paired else []), "p50 ms", "p95 ms"]]
    for a in abl.values():
        o, ci = a["overall"], a.get("ci", {}).get("overall", {})
        d = a.get("vs_baseline", {}).get("hit@1")
        rows.append([f'{a["label"]} (`{a["folder"]}/`)', str(a["questions"]),
                     *[cell(o.get(m), ci.get(m)) for m in metrics],
                     *([f'{d["delta"]:+.3f} [{d["ci"][0]:+.3f}, {d["ci"][1]:+.3f}]' if d else "–"] if paired else []),
                     ms_cell(a["latency"]["p50_ms"], ci.get("latency_p50_ms")),
                     ms_cell(a["latency"]["p95_ms"], ci.get("latency_p95_ms"))])
    return rows


def group_rows(summary: Mapping, key: str) -> list[list[str]]:
    groups = summary.get(key, {})
    cis = summary.get("ci", {}).get(key, {})
    metrics = [m for m in GROUP_METRICS if any(g.get(m) is not None for g in groups.values())]
    rows = [[key.removeprefix("by_"), "n", *metrics]]
    for name, g in groups.items():
        rows.append([name, str(g.get("n", 0)), *[cell(g.get(m), cis.get(name, {}).get(m)) for m in metrics]])
    return rows


def markdown_table(rows: Sequence[Sequence[str]]) -> str:
    """
    >>> print(markdown_table([["a", "b"], ["1", "2"]]))
    | a | b |
    | --- | --- |
    | 1 | 2 |
    """
    head, *body = rows
    return "\n".join(["| " + " | ".join(head) + " |", "| " + " | ".join("---" for _ in head) + " |",
                      *["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in body]])


def html_table(rows: Sequence[Sequence[str]]) -> str:
    head, *body = rows
    return ("<table><tr>" + "".join(f"<th>{escape(h)}</th>" for h in head) + "</tr>"
            + "".join("<tr>" + "".join(f"<td>{escape(c.replace('`', ''))}</td>" for c in r) + "</tr>" for r in body)
            + "</table>")


def charts(summary: Mapping, rows_of: Mapping[str, Sequence[dict]]) -> dict[str, str]:
    """name -> SVG text."""
    abl = summary.get("ablations", {})
    types = [t for t in summary.get("by_type", {}) if summary["by_type"][t].get("hit@5") is not None]
    by_type = {}
    for name, rows in rows_of.items():
        vals = []
        for t in types:
            hits = [r["hit@5"] for r in rows if r.get("type") == t and "hit@5" in r]
            vals.append(sum(hits) / len(hits) if hits else None)
        by_type[abl.get(name, {}).get("label", name)] = vals
    ks = ("hit@1", "hit@3", "hit@5", "hit@10")
    curve = {a["label"]: [a["overall"].get(k) for k in ks] for a in abl.values()}
    lat = [r["latency_ms"] for r in rows_of.get("hybrid", [])]
    return {"hit5_by_type": bar_chart("hit@5 by question type", types, by_type),
            "hitk_curve": line_chart("hit@k", [k.split("@")[1] for k in ks], curve),
            "latency": histogram("latency per question, shipped hybrid (warm)", lat, unit="ms")}


def misses(out: Path) -> list[list[str]]:
    """Questions the shipped pipeline missed: evidence not in the top 5, or a wrong/false refusal."""
    rows = [["id", "type", "question", "why"]]
    path = out / "results.jsonl"
    if not path.is_file():
        return rows
    for line in path.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        s = r.get("scores", {})
        why = [w for w, bad in (("evidence not in top 5", s.get("hit@5") == 0.0),
                                ("answer lacks the gold answer", s.get("answer_correct") == 0.0),
                                ("refused an answerable question", s.get("false_refusal") == 1.0),
                                ("answered an unanswerable question", s.get("refusal_correct") == 0.0)) if bad]
        if why:
            rows.append([r["id"], s.get("type", ""), r["question"], "; ".join(why)])
    return rows


def write_reports(out: Path, summary: Mapping, rows_of: Mapping[str, Sequence[dict]]) -> None:
    svgs = charts(summary, rows_of)
    (out / "plots").mkdir(exist_ok=True)
    for name, svg in svgs.items():
        (out / "plots" / f"{name}.svg").write_text(svg, encoding="utf-8")
    v = summary.get("versions", {})
    head = (f"questions: `{summary['questions_file']}` ({summary['format']}, {summary['questions']} questions, "
            f"{summary['scored']} with evidence) · index: {summary['index']} · seed {summary['seed']} · "
            f"commit {str(v.get('git_commit') or '?')[:10]}")
    miss = misses(out)
    sections = [("Ablations (95 % bootstrap intervals)", ablation_rows(summary)),
                ("Shipped pipeline by type", group_rows(summary, "by_type")),
                ("Shipped pipeline by persona", group_rows(summary, "by_persona")),
                (f"Questions the shipped pipeline missed ({len(miss) - 1})", miss)]
    md = [f"# Evaluation report\n\n{head}\n"]
    for title, rows in sections[:3]:
        md += [f"## {title}\n", markdown_table(rows), ""]
    md += ["## Charts\n", *[f"![{n}](plots/{n}.svg)" for n in svgs], ""]
    md += [f"## {sections[3][0]}\n", markdown_table(sections[3][1]) if len(miss) > 1 else "none", ""]
    (out / "report.md").write_text("\n".join(md), encoding="utf-8")
    style = ("body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}"
             "table{border-collapse:collapse;margin:.5em 0 1.5em;font-size:13px}"
             "td,th{border:1px solid #ddd;padding:3px 8px;text-align:left}th{background:#f4f4f4}")
    html = [f"<!doctype html><html><head><meta charset='utf-8'><title>Evaluation report</title><style>{style}</style>"
            f"</head><body><h1>Evaluation report</h1><p>{escape(head)}</p>"]
    for title, rows in sections[:3]:
        html.append(f"<h2>{escape(title)}</h2>{html_table(rows)}")
    html.append("<h2>Charts</h2>" + "".join(f"<div>{svg}</div>" for svg in svgs.values()))
    html.append(f"<h2>{escape(sections[3][0])}</h2>{html_table(miss) if len(miss) > 1 else '<p>none</p>'}")
    (out / "report.html").write_text("\n".join(html) + "</body></html>", encoding="utf-8")


def question_rows(out: Path, top: int = 3) -> list[dict]:
    """One row per question of the shipped run, for a table: question, answer, top passages, pass/fail."""
    rows = []
    for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        s = r.get("scores", {})
        checks = [s[k] == 1.0 for k in ("hit@5", "answer_correct", "refusal_correct") if k in s]
        checks += [s["false_refusal"] == 0.0] if "false_refusal" in s else []
        rows.append({"id": r["id"], "type": s.get("type", ""), "question": r["question"],
                     "answer": r.get("answer") or "", "refused": r.get("refused"),
                     "retrieved": " | ".join(f'{h["doc"]}: {h["text"][:60]}' for h in r["retrieved"][:top]),
                     "result": "–" if not checks else ("pass" if all(checks) else "fail"),
                     "latency_ms": r.get("latency_ms")})
    return rows
