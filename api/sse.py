"""An Answer as server-sent events: `token` events, one `citations` event, then `done`.

Tokens are the answer's sentences with their [n] markers (as the chat page
streams them) and join back to exactly `answer.text`; `done` carries the whole
answer as /ask returns it in JSON, so a streaming client loses nothing.
"""
from __future__ import annotations

import json
from typing import Iterator

from answer.check import split_sentences


def pieces(text: str) -> list[str]:
    """The text cut after each sentence; the pieces join back to the text.

    >>> pieces("签约率49.13%[1]。另一句[2] 没有引用。")
    ['签约率49.13%[1]', '。另一句[2]', ' 没有引用。']
    >>> "".join(pieces("a\\n\\nb[1]")) == "a\\n\\nb[1]"
    True
    """
    out, pos = [], 0
    for sentence in split_sentences(text):
        at = text.find(sentence, pos)
        if at < 0:
            continue
        end = at + len(sentence)
        out.append(text[pos:end])
        pos = end
    if pos < len(text):
        if out:
            out[-1] += text[pos:]
        else:
            out.append(text[pos:])
    return out


def event(name: str, data) -> str:
    """One SSE frame; the data is JSON on one line.

    >>> event("token", {"text": "一[1]"})
    'event: token\\ndata: {"text": "一[1]"}\\n\\n'
    """
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def answer_events(answer: dict) -> Iterator[str]:
    """`answer` is the JSON form of the Answer (api.schemas.AnswerOut.model_dump())."""
    for piece in pieces(answer["text"]):
        yield event("token", {"text": piece})
    yield event("citations", {"citations": answer["citations"], "refused": answer["refused"], "reason": answer["reason"]})
    yield event("done", answer)
