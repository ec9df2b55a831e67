"""The LLM generator: numbered passages -> a draft answer, via any OpenAI-compatible endpoint.

`LLMGenerator` implements the `Generator` protocol through LangChain's
`ChatOpenAI` (temperature 0, one retry at most, a hard timeout). It renders
`prompts/system.txt` and `prompts/answer.txt`, sends them, and returns the
model's text unchecked: answer/check.py decides what survives. Any failure
of the endpoint (timeout, HTTP error, unreachable, malformed or empty reply)
raises `LLMError`, which the pipeline turns into the extractive answer.
LangChain stays inside this module. Not here: retrieval, checking, refusal.
"""
from __future__ import annotations

import json
import logging
import re
import urllib.error
import urllib.request
from typing import Sequence

from answer.frame import KIND_EN, KIND_ZH, kind_of, period_label
from answer.types import Passage
from prompts import render

log = logging.getLogger(__name__)
LANGUAGES = {"zh": "Chinese (中文)", "en": "English (Chinese quotations allowed)"}
HISTORY_TURNS = 6  # the last turns given to the follow-up rewrite
HISTORY_TURN_CHARS = 400
STATUS_TIMEOUT_S = 2.0


class LLMError(RuntimeError):
    """The endpoint failed to give a usable reply; the message is a short reason."""


class LLMNotConfigured(ValueError):
    """No endpoint is configured (empty base URL or model)."""


def _data(text: str, tag: str) -> str:
    """Text placed inside a <tag>…</tag> data block, unable to close the block early.

    >>> _data("a</passage>b< / PASSAGE>", "passage")
    'a<\\\\/passage>b<\\\\/PASSAGE>'
    """
    return re.sub(rf"<\s*/\s*({re.escape(tag)})", r"<\\/\1", text, flags=re.IGNORECASE)


def passage_block(p: Passage) -> str:
    """One passage as a numbered, quoted data block with its metadata header."""
    k = kind_of(p)  # a plan's review of past results is no target
    kind = f"{k}: {KIND_EN.get(k, 'other')} / {KIND_ZH.get(k, '其他')}"
    return render("passage", n=p.n, title=p.title, district=p.district or "unknown",
                  period=period_label(p.period) or "unknown", kind=kind, section=" > ".join(p.section) or "-",
                  text=_data(p.text.strip(), "passage"))


def answer_messages(question: str, passages: Sequence[Passage], lang: str) -> tuple[str, str]:
    """(system prompt, user prompt) for one question; pure."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown answer language {lang!r}: choose from {', '.join(LANGUAGES)}")
    system = render("system", refusal=render("refusal"))
    user = render("answer", passages="\n\n".join(passage_block(p) for p in passages),
                  question=_data(question.strip(), "question"), language=LANGUAGES[lang])
    return system, user


def history_block(history: Sequence[tuple[str, str]]) -> str:
    """The last turns as "role: text" lines (each turn cut to a few hundred characters)."""
    lines = []
    for role, content in list(history)[-HISTORY_TURNS:]:
        text = " ".join(str(content).split())[:HISTORY_TURN_CHARS]
        lines.append(f"{role}: {_data(text, 'conversation')}")
    return "\n".join(lines)


class LLMGenerator:
    name = "llm"

    def __init__(self, base_url: str, model: str, api_key: str = "not-needed", timeout_s: float = 30.0,
                 max_tokens: int = 400, max_retries: int = 0):
        if not base_url or not model:
            raise LLMNotConfigured("no LLM endpoint: set HPQA_LLM_BASE_URL and HPQA_LLM_MODEL "
                                   f"(got base URL {base_url!r}, model {model!r}), or use the extractive generator")
        from langchain_openai import ChatOpenAI

        self.base_url, self.model, self.timeout_s = base_url.rstrip("/"), model, timeout_s
        self._api_key = api_key or "not-needed"
        self._chat = ChatOpenAI(base_url=self.base_url, model=model, api_key=self._api_key, timeout=timeout_s,
                                max_retries=max_retries, max_tokens=max_tokens, temperature=0,
                                use_responses_api=False, streaming=False)

    @classmethod
    def from_settings(cls, settings) -> "LLMGenerator":
        return cls(settings.llm_base_url, settings.llm_model, settings.llm_api_key, settings.llm_timeout_s,
                   settings.llm_max_tokens)

    def _call(self, system: str | None, user: str) -> str:
        import openai
        from langchain_core.messages import HumanMessage, SystemMessage

        messages = ([SystemMessage(system)] if system else []) + [HumanMessage(user)]
        try:
            reply = self._chat.invoke(messages)
        except openai.APITimeoutError as e:
            raise LLMError(f"no reply from {self.base_url} within {self.timeout_s:g} s") from e
        except openai.APIStatusError as e:
            raise LLMError(f"HTTP {e.status_code} from {self.base_url}") from e
        except openai.APIConnectionError as e:
            raise LLMError(f"cannot reach {self.base_url}") from e
        except (openai.APIError, ValueError, KeyError, TypeError, AttributeError) as e:
            # openai.APIResponseValidationError, JSON errors, LangChain's "missing 'choices'"
            raise LLMError(f"malformed reply from {self.base_url}: {type(e).__name__}") from e
        content = reply.content
        if isinstance(content, list):  # content blocks: keep the text ones
            content = "".join(b if isinstance(b, str) else str(b.get("text", "")) for b in content
                              if isinstance(b, str) or (isinstance(b, dict) and b.get("type") == "text"))
        if not isinstance(content, str):
            raise LLMError(f"malformed reply from {self.base_url}: content is {type(content).__name__}")
        if not content.strip():
            raise LLMError(f"empty reply from {self.base_url}")
        return content.strip()

    def generate(self, question: str, passages: Sequence[Passage], lang: str) -> str:
        system, user = answer_messages(question, passages, lang)
        return self._call(system, user)

    def rewrite_followup(self, question: str, history: Sequence[tuple[str, str]]) -> str:
        """A standalone version of a follow-up question; the question itself on any failure.

        `history` is (role, text) pairs, oldest first, as the app keeps them.
        """
        if not history:
            return question
        prompt = render("followup", history=history_block(history), question=_data(question.strip(), "follow_up"))
        try:
            reply = self._call(None, prompt)
        except LLMError as e:
            log.warning("follow-up rewrite failed (%s); using the question as asked", e)
            return question
        line = next((s.strip() for s in reply.splitlines() if s.strip()), "")
        for prefix in ("Standalone question:", "standalone question:", "独立问题：", "问题："):
            line = line.removeprefix(prefix).strip()
        line = line.strip("\"'“”「」 ")
        if not line or len(line) > 4 * len(question) + 200:  # nothing, or an answer instead of a question
            return question
        return line

    def status(self) -> str:
        """One line for the UI: is the endpoint reachable and does it list the model? (2 s at most)"""
        url = f"{self.base_url}/models"
        req = urllib.request.Request(url, headers={"Authorization": f"Bearer {self._api_key}"})
        try:
            with urllib.request.urlopen(req, timeout=STATUS_TIMEOUT_S) as r:
                body = r.read(1_000_000)
        except urllib.error.HTTPError as e:
            return f"LLM {self.model} at {self.base_url}: not reachable (HTTP {e.code} from {url})"
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", e)
            return f"LLM {self.model} at {self.base_url}: not reachable ({reason})"
        try:
            ids = [m.get("id") for m in json.loads(body).get("data", [])]
        except (ValueError, AttributeError):
            ids = []
        if ids and self.model not in ids:
            listed = ", ".join(map(str, ids[:5]))
            return f"LLM {self.model} at {self.base_url}: reachable, but it does not list this model (it has: {listed})"
        return f"LLM {self.model} at {self.base_url}: reachable"
