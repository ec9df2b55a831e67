"""The API's pure parts: docstring examples, the response models mirroring the library's types, SSE pieces."""
from __future__ import annotations

import dataclasses
import doctest
import importlib

import pytest

from answer.types import Answer, Checks, Citation
from api.schemas import AnswerOut, ChecksOut, ChunkOut, CitationOut, HitOut
from api.sse import answer_events, pieces
from index.search import Hit
from ingest.types import Chunk


@pytest.mark.parametrize("name", ["api.auth", "api.limits", "api.logs", "api.errors", "api.schemas", "api.sse",
                                  "api.app", "api.config", "ingest.zipguard", "bench.api_load"])
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize("model, dc", [(AnswerOut, Answer), (CitationOut, Citation), (ChecksOut, Checks),
                                       (HitOut, Hit), (ChunkOut, Chunk)])
def test_response_models_have_exactly_the_library_fields(model, dc):
    assert set(model.model_fields) == {f.name for f in dataclasses.fields(dc)}


@pytest.mark.parametrize("text", ["", "无引用的句子。", "签约率49.13%[1]。\n\n另一句[2][3] 末尾", "a[1]\n\nb[2]\n"])
def test_stream_pieces_join_back_to_the_answer(text):
    assert "".join(pieces(text)) == text


def test_events_are_tokens_then_one_citations_then_done():
    answer = {"text": "一[1]。二[2]。", "citations": [{"n": 1}], "refused": False, "reason": ""}
    names = [e.split("\n", 1)[0] for e in answer_events(answer)]
    assert names[-2:] == ["event: citations", "event: done"] and set(names[:-2]) == {"event: token"} and len(names) >= 4


def test_a_question_with_a_surrogate_or_control_character_is_refused_with_its_position():
    from api.schemas import AskIn

    for bad, words in (("签\ud800", r"lone surrogate U\+D800 at position 1"), ("签\x1b", r"control character U\+001B")):
        with pytest.raises(ValueError, match=words):
            AskIn(question=bad)
