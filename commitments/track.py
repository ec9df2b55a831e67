"""The tracker: index -> sentences -> commitments + results -> links -> statuses.

`track(settings)` returns the issue 9 JSON list (what GET /commitments serves);
`tracked(settings)` the same as `Tracked` objects (with source spans, scores and
candidate flags) for the UI and the chat. Both are cached in memory keyed by the
index's live version folder (a new ingest makes a new version, so the cache
never serves stale results) and the embedder, so repeated calls are cheap.
"""
from __future__ import annotations

import logging
import threading
from pathlib import Path

from commitments.extract_commitments import extract_commitments
from commitments.extract_results import extract_results
from commitments.link import LinkParams, link
from commitments.source import index_version, read_sentences
from commitments.status import decide
from commitments.types import Tracked

log = logging.getLogger(__name__)
_CACHE: dict[tuple, list[Tracked]] = {}
_LOCK = threading.Lock()
_MAX_CACHED = 4


def build(index_dir: Path, embedder, params: LinkParams | None = None) -> list[Tracked]:
    """Run every step on the live index at `index_dir` (no cache)."""
    sentences, _ = read_sentences(index_dir)
    commitments = extract_commitments(sentences)
    results = extract_results(sentences)
    links = link(commitments, results, embedder, params)
    out = []
    for c, ls in zip(commitments, links):
        status, reason = decide(c, ls)
        out.append(Tracked(c, ls, status, reason))
    log.info("tracked %d commitments against %d reported results", len(out), len(results))
    return out


def tracked(settings, embedder=None) -> list[Tracked]:
    """The tracked commitments of the settings' index, cached by index version."""
    index_dir = Path(settings.index_dir)
    if embedder is None:
        from index.embed import make_embedder

        embedder = make_embedder(settings)
    key = (str(index_dir.resolve()), index_version(index_dir), getattr(embedder, "name", "?"),
           getattr(embedder, "checksum", "?"))
    with _LOCK:
        if key in _CACHE:
            return _CACHE[key]
    result = build(index_dir, embedder)
    with _LOCK:
        if len(_CACHE) >= _MAX_CACHED:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = result
    return result


def track(settings, embedder=None) -> list[dict]:
    """The issue 9 JSON list: one object per commitment (see Tracked.to_json)."""
    return [t.to_json() for t in tracked(settings, embedder)]
