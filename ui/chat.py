"""Pure helpers for the chat page: escaping, highlighting, export, feedback records, examples.

No Streamlit here, so every piece is testable on its own.
"""
from __future__ import annotations

import html
import json
import os
import re
import time
from pathlib import Path
from typing import Iterator, Sequence

from answer.check import split_sentences
from answer.frame import period_label
from answer.types import Answer, Citation

EXAMPLES = {
    "resident": ("金山区家庭医生签约率是多少？", "宝山社区晚上几点还能看病？", "How do I get a family doctor in Minhang?"),
    "official": ("金山“十四五”规划的千人口床位数目标是多少？", "闵行区2024年门急诊人次同比增长多少？",
                 "宝山区2025年家庭医生签约率目标是多少？"),
    "evaluator": ("闵行区2024年户籍婴儿死亡率是多少？", "What is Jinshan's 2025 target for health literacy?",
                  "嘉定区2024年家庭医生签约率是多少？"),
}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def escape_markdown(text: str) -> str:
    """Backslash-escape Markdown so document text renders as text.

    >>> escape_markdown("[1] *a* <b>")
    '\\\\[1\\\\] \\\\*a\\\\* \\\\<b\\\\>'
    """
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\n", "  \n")


def stream_sentences(text: str) -> Iterator[str]:
    """The answer piece by piece (each sentence with its markers), escaped, for st.write_stream."""
    for sentence in split_sentences(text):
        yield escape_markdown(sentence)


def highlight(passage: str, quote: str, mark_id: str = "") -> str:
    """The passage as escaped HTML with the quote (matched ignoring whitespace) wrapped in <mark>.

    >>> highlight("a<b>签约率达 49.13%。", "签约率达49.13%")
    'a&lt;b&gt;<mark>签约率达 49.13%</mark>。'
    """
    positions = [i for i, ch in enumerate(passage) if not ch.isspace()]
    flat = "".join(passage[i] for i in positions)
    needle = "".join(quote.split())
    k = flat.find(needle) if needle else -1
    if k < 0:
        return html.escape(passage)
    s, e = positions[k], positions[k + len(needle) - 1] + 1
    attr = f' id="{mark_id}"' if mark_id else ""
    return f"{html.escape(passage[:s])}<mark{attr}>{html.escape(passage[s:e])}</mark>{html.escape(passage[e:])}"


def around(passage: str, quote: str, context: int = 80) -> str:
    """The part of the passage around the quote (± `context` characters), with … where cut.

    >>> around("0123456789签约率达49.13%abcdefghij", "签约率达49.13%", 3)
    '…789签约率达49.13%abc…'
    """
    k = passage.find(quote)
    if k < 0:
        return passage
    s, e = max(0, k - context), min(len(passage), k + len(quote) + context)
    return ("…" if s else "") + passage[s:e] + ("…" if e < len(passage) else "")


def source_page(text: str, start: int, end: int) -> str:
    """A small HTML page of the whole document with [start, end) highlighted and scrolled into view."""
    body = (f"{html.escape(text[:start])}<mark id=\"hl\">{html.escape(text[start:end])}</mark>"
            f"{html.escape(text[end:])}")
    return ("<html><head><meta charset='utf-8'><style>body{font-family:'WenQuanYi Zen Hei',sans-serif;"
            "white-space:pre-wrap;line-height:1.6;font-size:15px;margin:8px}mark{background:#ffe066}</style>"
            f"</head><body>{body}<script>document.getElementById('hl').scrollIntoView({{block:'center'}});"
            "</script></body></html>")


def citation_line(c: Citation) -> str:
    section = " › ".join(c.section)
    return f"[{c.n}] {c.title} · {c.district or ''} · {period_label(c.period)}" + (f" · {section}" if section else "")


def export_markdown(turns: Sequence[tuple[str, Answer]], lang: str = "zh") -> str:
    """The conversation as Markdown, each answer followed by its citations (quotes verbatim)."""
    head = "# 区卫生健康政策问答 · 对话记录" if lang == "zh" else "# District health policy Q&A · conversation"
    out = [head, ""]
    for question, a in turns:
        out += [f"**问 / Q:** {question}", "", a.text, ""]
        for c in a.citations:
            out.append(f"> {citation_line(c)}  \n> “{c.quote}”")
        out.append("")
    return "\n".join(out)


def feedback_record(question: str, answer: Answer, rating: str, comment: str, filters: dict) -> dict:
    return {
        "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "question": question, "rating": rating,
        "comment": comment, "answer": answer.text, "refused": answer.refused, "filters": filters,
        "citations": [{"n": c.n, "doc": c.doc, "quote": c.quote, "start": c.start, "end": c.end} for c in answer.citations],
    }


def append_feedback(path: Path, record: dict) -> None:
    """Append one JSON line; O_APPEND keeps concurrent writers' lines whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)
