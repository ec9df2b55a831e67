"""Generators turn a question and numbered passages into a draft answer with [n] markers.

`Generator` is the protocol; `make_generator(name, settings)` picks the
extractive answerer (offline default, answer/extractive.py) or the LLM
answerer (an OpenAI-compatible endpoint through LangChain, answer/llm.py).
Every draft then goes through answer/check.py: nothing a generator writes
reaches the user unchecked.
"""
from __future__ import annotations

from typing import Protocol, Sequence

from answer.types import Passage

GENERATORS = ("extractive", "llm")


class Generator(Protocol):
    name: str

    def generate(self, question: str, passages: Sequence[Passage], lang: str) -> str:
        """A draft answer in `lang` ("zh" or "en"); each sentence ends with [n] markers."""
        ...


def make_generator(name: str, settings) -> Generator:
    if name == "extractive":
        from answer.extractive import ExtractiveGenerator

        return ExtractiveGenerator()
    if name == "llm":
        from answer.llm import LLMGenerator

        return LLMGenerator.from_settings(settings)
    raise ValueError(f"unknown generator {name!r}: choose from {', '.join(GENERATORS)}")
