"""Shared fixtures: settings pointed at temporary folders, and one real index of the corpus.

`real_index` builds the five seeds with the real converted e5 model and a real
FAISS index once per test session (about a minute on 2 cores); tests that need
the real thing share it.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"


@pytest.fixture
def make_settings(tmp_path):
    from settings import Settings

    def make(**kw):
        kw.setdefault("index_dir", tmp_path / "index")
        kw.setdefault("corpus_dir", tmp_path / "corpus")
        kw.setdefault("embedder", "hash")
        return Settings(_env_file=None, **kw)

    return make


@pytest.fixture
def seed_corpus(tmp_path) -> Path:
    """A copy of the real corpus (documents + metadata) that a test may change."""
    dst = tmp_path / "corpus"
    shutil.copytree(CORPUS, dst)
    return dst


@pytest.fixture(scope="session")
def real_index(tmp_path_factory):
    from index.build import update_index
    from index.embed import make_embedder
    from settings import Settings

    settings = Settings(_env_file=None, index_dir=tmp_path_factory.mktemp("real") / "index", embedder="e5")
    embedder = make_embedder(settings)
    report = update_index(settings, embedder)
    assert report.status == "updated" and report.documents == 5
    return settings, embedder
