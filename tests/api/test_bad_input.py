"""The bad-input catalogue (bench/bad_input.py) as tests: every kind gets a clear outcome, nothing indexed is lost.

A real server and the real loaders; the served index uses the hash embedder
(same protocol as e5; `python -m bench.bad_input` runs the same cases on e5).
"""
from __future__ import annotations

import pytest

from bench.api_server import ApiServer
from bench.bad_input import ADMIN, CASES, USER, Ctx, judge, kept, snapshot


@pytest.fixture(scope="module")
def ctx(hash_dirs, tmp_path_factory):
    from index.embed import HashEmbedder
    from settings import Settings

    index_dir, corpus_dir = hash_dirs
    scratch = tmp_path_factory.mktemp("bad-input")
    settings = Settings(_env_file=None, embedder="hash", index_dir=index_dir, corpus_dir=corpus_dir)
    with ApiServer(index_dir, corpus_dir, keys=USER, admin_keys=ADMIN, rate_limit=0, log_path=scratch / "api.log",
                   env={"HPQA_EMBEDDER": "hash"}) as server:
        c = Ctx(server.url, settings, HashEmbedder(), scratch)
        c.before = snapshot(server.url, corpus_dir)
        yield c


def test_the_catalogue_covers_thirty_kinds_on_every_channel():
    kinds = {c.kind for c in CASES}
    assert len(kinds) >= 30 and {c.channel for c in CASES} == {"library", "API", "upload"}


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.channel}: {c.kind}")
def test_bad_input_gets_a_clear_outcome(ctx, case):
    outcome, message = case.run(ctx)
    assert judge(case, outcome, message), (outcome, message)


def test_nothing_indexed_was_lost(ctx, hash_dirs):
    _, corpus_dir = hash_dirs
    after = snapshot(ctx.url, corpus_dir)
    assert kept(ctx.before, after) and set(after) == set(ctx.before)
