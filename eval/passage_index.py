"""Temporary indexes over a benchmark's own passages (SQuAD contexts, RGB documents).

Each passage is written as one .txt document (its id as file name, its title
and any metadata the benchmark gives in metadata.json) into a scratch corpus folder, and the ordinary ingest path
(index/build.py: clean, chunk, embed, FAISS, both BM25s) builds an index of
it, so a benchmark is searched exactly as our corpus is. `PerQuestionIndexes`
builds one small index per question for RGB's own setting (the question's
positives and sampled negatives only), reusing one folder.
"""
from __future__ import annotations

import json
import random
import shutil
from pathlib import Path
from typing import Mapping, Sequence

from eval.formats import Passage

PASSAGE_NUM = 5  # RGB's default number of passages given per question


def write_corpus(passages: Sequence[Passage], corpus_dir: Path) -> None:
    """One UTF-8 .txt file per passage plus metadata.json with the titles (and metadata, when given)."""
    if corpus_dir.exists():
        shutil.rmtree(corpus_dir)
    corpus_dir.mkdir(parents=True)
    for p in passages:
        (corpus_dir / p.doc).write_text(p.text + "\n", encoding="utf-8")
    meta = {"documents": {p.doc: {**p.meta, "title": p.title or p.doc} for p in passages}}
    (corpus_dir / "metadata.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


def build_passage_index(passages: Sequence[Passage], workdir: Path, settings, embedder, progress=None):
    """Settings whose corpus_dir/index_dir point at a fresh index of `passages` under `workdir`."""
    from index.build import update_index

    if not passages:
        raise ValueError("no passages to index")
    s = settings.model_copy(update={"corpus_dir": workdir / "corpus", "index_dir": workdir / "index"})
    write_corpus(passages, s.corpus_dir)
    report = update_index(s, embedder, progress=progress)
    if report.status == "failed":
        raise RuntimeError(f"could not index the benchmark's passages: {[k.reason for k in report.skipped][:3]}")
    return s


def rgb_selection(q: Mapping, noise_rate: float, rng: random.Random, passage_num: int = PASSAGE_NUM) -> tuple[list[str], list[str]]:
    """(positive ids, negative ids) given to one question, as RGB samples them.

    `round(passage_num * noise_rate)` negatives, the rest positives; with fewer
    available, what there is. With noise_rate 1 every passage is a negative.

    >>> rgb_selection({"positive_docs": ["a", "b", "c"], "negative_docs": ["x", "y", "z"]}, 0.4, random.Random(0))
    (['a', 'c', 'b'], ['z', 'y'])
    """
    if not 0 <= noise_rate <= 1:
        raise ValueError(f"noise rate must be between 0 and 1, got {noise_rate}")
    neg_num = round(passage_num * noise_rate)
    pos = list(q.get("positive_docs", []))
    neg = list(q.get("negative_docs", []))
    rng.shuffle(pos)
    rng.shuffle(neg)
    return pos[:passage_num - neg_num], neg[:neg_num]


class PerQuestionIndexes:
    """One small index per question (RGB's setting), built once and shared by every ablation."""

    def __init__(self, passages: Mapping[str, Passage], workdir: Path, settings, embedder):
        self.passages, self.workdir, self.settings, self.embedder = passages, workdir, settings, embedder
        self.built: dict[str, object] = {}

    def settings_for(self, q: Mapping):
        if q["id"] not in self.built:
            folder = self.workdir / f"q{len(self.built):05d}"
            self.built[q["id"]] = build_passage_index([self.passages[d] for d in q["given_docs"]], folder,
                                                      self.settings, self.embedder)
        return self.built[q["id"]]


class PerQuestionPipeline:
    """A pipeline whose `prepare(q)` (untimed) loads the question's own index and answerer."""

    def __init__(self, indexes: PerQuestionIndexes, make_pipeline):
        self.indexes = indexes
        self.make_pipeline = make_pipeline  # (settings, LoadedIndex) -> callable(q) -> pipeline output
        self.current: tuple[str, object] | None = None

    def prepare(self, q: Mapping) -> None:
        from index.store import load_index

        if not (self.current and self.current[0] == q["id"]):
            s = self.indexes.settings_for(q)
            pipeline = self.make_pipeline(s, load_index(s.index_dir))
            pipeline(q)  # warm-up on the fresh index, so the timed call is warm as elsewhere
            self.current = (q["id"], pipeline)

    def __call__(self, q: Mapping) -> dict:
        self.prepare(q)
        return self.current[1](q)
