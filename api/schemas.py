"""Request and response models: the API's contract, and what the OpenAPI schema shows.

The response models mirror answer/types.py (Answer, Citation, Checks) and
index/search.py (Hit) field for field; `answer_out` serialises the library's
dataclasses as they are (tests/api/test_schemas.py keeps the two in step).
Text fields refuse control characters and lone surrogates with a message
naming the field.
"""
from __future__ import annotations

import dataclasses
import unicodedata
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from answer.pipeline import MAX_QUESTION_CHARS
from ingest.metadata import DOC_TYPES

DocType = Literal[DOC_TYPES]  # type: ignore[valid-type]
_ALLOWED_CONTROLS = {"\n", "\r", "\t"}
# The same rules as check_text/check_question, as JSON-schema patterns, so the OpenAPI schema says what is refused.
_CLEAN = r"[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
TEXT_PATTERN = rf"^{_CLEAN}*$"
QUESTION_PATTERN = rf"^{_CLEAN}*[^\s\x00-\x1f\x7f-\x9f]{_CLEAN}*$"


def check_text(value: str, what: str) -> str:
    """`value` unchanged if it is clean Unicode text; raises ValueError naming the bad character.

    >>> check_text("金山区 2024", "question")
    '金山区 2024'
    >>> check_text("a\\x00b", "question")
    Traceback (most recent call last):
    ValueError: question contains the control character U+0000 at position 1; remove it
    """
    for i, ch in enumerate(value):
        if "\ud800" <= ch <= "\udfff":
            raise ValueError(f"{what} contains a lone surrogate U+{ord(ch):04X} at position {i}: not valid Unicode text")
        if unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS:
            raise ValueError(f"{what} contains the control character U+{ord(ch):04X} at position {i}; remove it")
    return value


def check_question(value: str, what: str = "question") -> str:
    """A question the answerer accepts: clean text, not blank, at most MAX_QUESTION_CHARS (untrimmed, as the schema says).

    The same rules and messages as answer/pipeline.py, checked here so that any
    ValueError the library raises later is a bug (500), not the caller's fault.

    >>> check_question("   ")
    Traceback (most recent call last):
    ValueError: empty question: type a question in Chinese or English
    """
    check_text(value, what)
    if not value.strip():
        raise ValueError("empty question: type a question in Chinese or English")
    if len(value) > MAX_QUESTION_CHARS:
        raise ValueError(f"{what} is {len(value)} characters, longer than the {MAX_QUESTION_CHARS} allowed")
    return value


class Turn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Literal["user", "assistant"]
    content: str = Field(max_length=2000, pattern=TEXT_PATTERN)

    @field_validator("content", mode="before")
    @classmethod
    def _clean(cls, v):
        return check_text(v, "history content") if isinstance(v, str) else v


class FiltersIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    district: str | None = Field(None, max_length=40, pattern=TEXT_PATTERN, description="e.g. 金山区 or Jinshan; empty = any")
    year: int | None = Field(None, ge=1900, le=2100, description="a year the document's period covers")
    doc_type: DocType | None = None

    @field_validator("district", mode="before")
    @classmethod
    def _clean(cls, v):
        return check_text(v, "filters.district") if isinstance(v, str) else v


class AskIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "examples": [{"question": "金山区家庭医生签约率是多少？"},
                     {"question": "那宝山呢？", "history": [{"role": "user", "content": "金山区家庭医生签约率是多少？"}],
                      "filters": {"year": 2024}}]})
    question: str = Field(max_length=MAX_QUESTION_CHARS, pattern=QUESTION_PATTERN,
                          description="Chinese or English, at most 1000 characters, no control characters.")
    history: list[Turn] = Field(default_factory=list, max_length=20, description="Earlier turns, oldest first.")
    filters: FiltersIn | None = None

    @field_validator("question", mode="before")
    @classmethod
    def _clean(cls, v):
        return check_question(v, "question") if isinstance(v, str) else v


class ChunkOut(BaseModel):
    model_config = ConfigDict(extra="allow")  # a field the library adds later still reaches the client
    id: str
    doc: str
    start: int
    end: int
    text: str
    section: list[str]
    context: str
    kind: str
    page: int | None
    ocr_confidence: float | None = None


class HitOut(BaseModel):
    model_config = ConfigDict(extra="allow")  # a field the library adds later still reaches the client
    chunk: ChunkOut
    score: float
    dense: float
    bm25: float
    meta: dict[str, Any]


class CitationOut(BaseModel):
    model_config = ConfigDict(extra="allow")  # a field the library adds later still reaches the client
    n: int
    doc: str
    title: str
    district: str | None
    period: list[int] | None
    doc_type: str
    section: list[str]
    quote: str
    start: int
    end: int
    page: int | None = None


class ChecksOut(BaseModel):
    model_config = ConfigDict(extra="allow")  # a field the library adds later still reaches the client
    citations_valid: bool
    numbers_grounded: bool
    removed_sentences: list[str]
    reasons: list[str]
    fell_back_to_extractive: bool


class AnswerOut(BaseModel):
    model_config = ConfigDict(extra="allow")  # a field the library adds later still reaches the client
    question: str
    text: str
    citations: list[CitationOut]
    refused: bool
    reason: str
    standalone_question: str
    lang: str
    generator: str
    checks: ChecksOut
    timings_ms: dict[str, float]
    retrieved: list[HitOut]


class SearchOut(BaseModel):
    query: str
    k: int
    filters: FiltersIn
    hits: list[HitOut]


class DocumentRow(BaseModel):
    file: str
    title: str
    district: str
    period: str
    doc_type: str
    published: str
    chunks: int | None
    size_kb: float
    status: Literal["indexed", "skipped", "changed", "pending"]
    reason: str


class SkippedOut(BaseModel):
    path: str
    reason: str


class IngestOut(BaseModel):
    status: str
    documents: int
    chunks: int
    added: list[str]
    changed: list[str]
    removed: list[str]
    embedded: int
    skipped: list[SkippedOut]
    seconds: float


class UploadOut(BaseModel):
    document: str
    status: str
    chunks: int | None
    ingest: IngestOut


class DeleteOut(BaseModel):
    removed: str
    ingest: IngestOut


class HealthOut(BaseModel):
    status: Literal["ok"]
    ready: bool
    index: dict[str, Any]
    commitments: bool


def answer_out(answer) -> AnswerOut:
    """The library's Answer as the API returns it, every field kept."""
    return AnswerOut.model_validate(dataclasses.asdict(answer))


def hit_out(hit) -> HitOut:
    return HitOut.model_validate(dataclasses.asdict(hit))


def ingest_out(report) -> IngestOut:
    d = dataclasses.asdict(report)
    return IngestOut(**{k: d[k] for k in IngestOut.model_fields})
