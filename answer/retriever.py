"""A LangChain retriever over our hybrid search, for LangChain chains and agents.

`PolicyRetriever(searcher=..., k=5, filters=None)` calls
`Searcher.search(query, k, filters)` (index/search.py) and returns LangChain
`Document`s: the chunk's source text as `page_content`, and where it comes
from (document, span, section, title, district, period, type, score) as
metadata. It adds nothing to the ranking; our own pipeline does not use it.
LangChain stays inside this module.
"""
from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, Field


def to_document(hit) -> Document:
    """One search Hit as a LangChain Document."""
    c, m = hit.chunk, hit.meta
    return Document(page_content=c.text, id=c.id, metadata={
        "doc": c.doc, "chunk_id": c.id, "start": c.start, "end": c.end, "section": list(c.section),
        "kind": c.kind, "page": c.page, "score": hit.score,
        "title": m.get("title"), "title_en": m.get("title_en"), "district": m.get("district"),
        "district_en": m.get("district_en"), "period": list(m["period"]) if m.get("period") else None,
        "doc_type": m.get("doc_type"), "published": m.get("published"),
    })


class PolicyRetriever(BaseRetriever):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    searcher: Any = Field(description="An index.search.Searcher (anything with .search(query, k, filters)).")
    k: int = Field(5, ge=1, description="Passages returned per query.")
    filters: Any = Field(None, description="index.search.Filters, or None for no hard filter.")

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [to_document(h) for h in self.searcher.search(query, self.k, self.filters)]
