"""The loaded index and answerer the routes use, swapped atomically when the index changes.

Queries always run on the last good index: `reindex()` (after an upload or a
delete) and `refresh()` (after someone ran `python -m ingest` beside the
server) load the new version completely before swapping one reference; if the
new version cannot be loaded the old one stays live and the error is kept for
/health. One writer at a time: uploads and deletes wait for each other.
"""
from __future__ import annotations

import contextlib
import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from index.store import IndexError_, current_version

log = logging.getLogger(__name__)


class NotReady(RuntimeError):
    """No usable index; the message says what to run."""


class Busy(RuntimeError):
    """The shared writer lock could not be had, or the shared state could not be read first."""


@dataclass(frozen=True)
class Live:
    answerer: object  # answer.pipeline.Answerer
    version: str

    @property
    def searcher(self):
        return self.answerer.searcher

    @property
    def manifest(self) -> dict:
        return self.answerer.searcher.index.manifest


class Engine:
    def __init__(self, settings, embedder, *, refresh_every_s: float = 1.0):
        self.settings, self.embedder = settings, embedder
        self.index_dir = Path(settings.index_dir)
        self.refresh_every_s = refresh_every_s
        self.error: str | None = None
        self._live: Live | None = None
        self._write = threading.Lock()  # one corpus/index writer at a time
        self._swap = threading.Lock()
        self._checked_at = 0.0
        self._reloading = False
        self._failed_version: str | None = None  # a version that would not load: not retried every second

    # ---- reading -------------------------------------------------------------------------
    def live(self) -> Live:
        """The current index and answerer; raises NotReady with the fix when there is none."""
        self.follow()
        live = self._live
        if live is None:
            raise NotReady(self.error or f"no index loaded from {self.index_dir}")
        return live

    def follow(self) -> None:
        """Pick up a version written by another process or replica (cheap: one small file read per
        second); `live()` and the routes that read the corpus call it."""
        now = time.monotonic()
        if now - self._checked_at < self.refresh_every_s or self._reloading:
            return
        self._checked_at = now
        self._materialise()
        folder = current_version(self.index_dir)
        live = self._live
        if folder is not None and folder.name != self._failed_version and (live is None or folder.name != live.version):
            self._reloading = True
            threading.Thread(target=self._reload_quietly, name="index-reload", daemon=True).start()

    def _materialise(self) -> None:
        """With pgvector, fetch the database's live version and its corpus into this replica's folders."""
        from index.shared_state import follow

        try:
            follow(self.settings, self.index_dir)
        except Exception as e:  # noqa: BLE001 - the database may be down: keep serving the local version
            log.warning("index snapshot not fetched from PostgreSQL: %s", e)

    def _reload_quietly(self) -> None:
        try:
            self.load()
        except NotReady:
            pass  # already logged; the old version stays live
        finally:
            self._reloading = False

    # ---- loading -------------------------------------------------------------------------
    def load(self, warm_up: bool = False) -> Live:
        """Load the current version and make it live; on failure keep the old one and raise NotReady."""
        from answer.generate import make_generator
        from answer.pipeline import Answerer
        from index.build import expected_manifest_parts
        from index.search import Searcher
        from index.store import load_index

        e = self.embedder
        self._materialise()
        try:
            expected = expected_manifest_parts(self.settings, e.checksum, e.name, e.dim, getattr(e, "backend", None))
            index = load_index(self.index_dir, expected)
        except IndexError_ as err:
            with self._swap:
                self.error = str(err)
                folder = current_version(self.index_dir)
                self._failed_version = folder.name if folder else None
            log.error("index not loaded: %s", err)
            raise NotReady(str(err)) from err
        answerer = Answerer(Searcher(index, e, vectors=self._vector_store(index)),
                            make_generator(self.settings.generator, self.settings), self.settings)
        if warm_up and index.chunks:
            answerer.answer("金山区家庭医生签约率是多少？")  # model, jieba and sources load now, not on the first request
        live = Live(answerer, index.folder.name)
        with self._swap:
            self._live, self.error = live, None
        log.info("index %s live: %d documents, %d chunks", live.version, len(index.manifest["documents"]),
                 len(index.chunks))
        return live

    def _vector_store(self, index):
        """None (FAISS in the index folder) unless the settings name a shared store (docs/scale_out.md)."""
        if getattr(self.settings, "vector_store", "faiss") == "faiss":
            return None
        from index.vector_store import make_vector_store

        return make_vector_store(self.settings, index)

    # ---- writing -------------------------------------------------------------------------
    @contextlib.contextmanager
    def writing(self):
        """The lock a corpus change holds from validation to the new index going live.

        With pgvector it is also the database's writer lock, taken across replicas, and the
        shared corpus and index are fetched first, so a change is built on the latest state
        and never drops another replica's upload.
        """
        from index.shared_state import writing

        with self._write, contextlib.ExitStack() as held:
            try:
                held.enter_context(writing(self.settings, self.index_dir))
            except Exception as e:  # noqa: BLE001 - TimeoutError, or the database is down
                raise Busy(f"no corpus change now: {e}") from e
            yield

    def reindex(self):
        """Incremental ingest of the corpus (caller holds `writing()`), then the new version goes live."""
        from index.build import update_index

        report = update_index(self.settings, self.embedder)
        if report.status != "unchanged" or self._live is None or (
                current_version(self.index_dir) and current_version(self.index_dir).name != self._live.version):
            self.load()
        return report

    def status(self) -> dict:
        live = self._live
        if live is None:
            return {"ready": False, "error": self.error}
        m = live.manifest
        return {"ready": True, "version": live.version, "documents": len(m["documents"]),
                "chunks": m["counts"]["chunks"], "error": self.error}
