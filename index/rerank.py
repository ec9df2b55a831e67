"""The reranker slot: a second-stage scorer over the top hits, off by default.

No cross-encoder with bundled weights installs offline here (see
shared/MODELS.md), so the default is `none`. A user with a reranker implements
the one-method protocol and registers it in RERANKERS.
"""
from __future__ import annotations

from typing import Callable, Protocol, Sequence


class Reranker(Protocol):
    def rerank(self, question: str, hits: Sequence) -> list:
        """The same hits (index.search.Hit), reordered best first."""
        ...


class NoReranker:
    def rerank(self, question: str, hits: Sequence) -> list:
        return list(hits)


RERANKERS: dict[str, Callable[[], Reranker]] = {"none": NoReranker}


def make_reranker(name: str) -> Reranker:
    """The reranker registered under `name`.

    >>> make_reranker("cross")
    Traceback (most recent call last):
    ValueError: unknown reranker 'cross': choose from none
    """
    if name not in RERANKERS:
        raise ValueError(f"unknown reranker {name!r}: choose from {', '.join(RERANKERS)}")
    return RERANKERS[name]()
