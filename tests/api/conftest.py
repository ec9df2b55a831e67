"""Real API servers for the API tests: `python -m api` under uvicorn on a free loopback port.

`e5_server` serves a copy of the session's real e5 index (tests/conftest.py
`real_index`) and a copy of the corpus that the tests may change; `hash_server`
serves an index built with the hash embedder (same protocol) for the fast gate
tests (rate limit off there; test_gate.py starts its own limited server).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import pytest

from bench.api_server import ApiServer

from tests.api.apikit import ADMIN, USER

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def e5_dirs(real_index, tmp_path_factory):
    settings, _ = real_index
    base = tmp_path_factory.mktemp("api-e5")
    shutil.copytree(settings.index_dir, base / "index")
    shutil.copytree(ROOT / "corpus", base / "corpus")
    for p in (base / "corpus").iterdir():
        p.chmod(0o644)
    return base / "index", base / "corpus"


@pytest.fixture(scope="module")
def e5_server(e5_dirs):
    index_dir, corpus_dir = e5_dirs
    with ApiServer(index_dir, corpus_dir, keys=USER, admin_keys=ADMIN, rate_limit=0,
                   env={"HPQA_EMBEDDER": "e5"}) as server:
        yield server


@pytest.fixture(scope="module")
def hash_dirs(tmp_path_factory):
    from index.build import update_index
    from index.embed import HashEmbedder
    from settings import Settings

    base = tmp_path_factory.mktemp("api-hash")
    shutil.copytree(ROOT / "corpus", base / "corpus")
    for p in (base / "corpus").iterdir():
        p.chmod(0o644)
    settings = Settings(_env_file=None, embedder="hash", index_dir=base / "index", corpus_dir=base / "corpus")
    assert update_index(settings, HashEmbedder()).status == "updated"
    return base / "index", base / "corpus"


@pytest.fixture(scope="module")
def hash_server(hash_dirs):
    index_dir, corpus_dir = hash_dirs
    with ApiServer(index_dir, corpus_dir, keys=USER, admin_keys=ADMIN, rate_limit=0,
                   env={"HPQA_EMBEDDER": "hash", "HPQA_MAX_FILE_MB": "1"}) as server:
        yield server


@pytest.fixture
def client():
    with httpx.Client(timeout=120) as c:
        yield c
