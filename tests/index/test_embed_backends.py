"""The OpenVINO backend: same vectors as torch, chosen by settings, recorded in the manifest.

The real tests use the converted model and its OpenVINO export (`make model` writes
both); the export itself is exercised by `make model`, and its bookkeeping here.
"""
from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from index.embed import ModelMissing, backend_for, make_embedder
from index.export_backend import INFO, export_dir, is_exported
from index.store import IndexMismatch, load_index, read_manifest

PASSAGES = ["金山区家庭医生签约率达到49.13%。", "宝山区推进社区卫生服务中心标准化建设。",
            "The district opened two new elderly care hospitals in 2024.", "闵行区门急诊总量同比增长。"]
QUERIES = ["金山区家庭医生签约率是多少？", "宝山区社区卫生服务中心建设", "new hospitals for the elderly"]


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    from settings import Settings

    s = Settings(_env_file=None, embedder="e5")
    return (make_embedder(s.model_copy(update={"embed_backend": "torch"})),
            make_embedder(s.model_copy(update={"embed_backend": "openvino"})))


def test_openvino_vectors_match_torch_and_rank_the_same(both):
    torch_e, ov_e = both
    assert (torch_e.backend, ov_e.backend) == ("torch", "openvino")
    for kind, texts in (("passage", PASSAGES), ("query", QUERIES)):
        a, b = torch_e.embed(texts, kind), ov_e.embed(texts, kind)
        assert b.shape == (len(texts), 384) and b.dtype == np.float32
        assert np.allclose(np.linalg.norm(b, axis=1), 1.0, atol=1e-3)
        assert (a * b).sum(1).min() > 0.999
    ranks_t = np.argsort(-(torch_e.embed(QUERIES, "query") @ torch_e.embed(PASSAGES, "passage").T), axis=1)
    ranks_o = np.argsort(-(ov_e.embed(QUERIES, "query") @ ov_e.embed(PASSAGES, "passage").T), axis=1)
    assert (ranks_t[:, 0] == ranks_o[:, 0]).all() and list(ranks_o[:, 0]) == [0, 1, 2]


def test_openvino_batches_of_mixed_lengths_equal_one_at_a_time(both):
    _, ov_e = both
    texts = PASSAGES + ["短。", "长" * 700]  # padding and truncation at 512 tokens
    batched = ov_e.embed(texts, "passage")
    single = np.vstack([ov_e.embed([t], "passage") for t in texts])
    assert (batched * single).sum(1).min() > 0.9999


def test_unknown_backend_lists_the_valid_ones(make_settings):
    with pytest.raises(ValueError, match="unknown embedding backend 'onnx': choose from openvino, torch"):
        make_embedder(make_settings(embedder="e5", embed_backend="onnx"))
    assert backend_for(make_settings()) == "numpy" and backend_for(make_settings(embedder="e5")) == "openvino"


def test_missing_or_stale_export_says_what_to_run(tmp_path):
    from settings import Settings

    model = tmp_path / "model"
    model.mkdir()
    (model / "conversion.json").write_text(json.dumps({"model_sha256": "abc"}))
    s = Settings(_env_file=None, embedder="e5", embed_backend="openvino", model_dir=model)
    with pytest.raises(ModelMissing, match="no OpenVINO export .* run `make model`.*HPQA_EMBED_BACKEND=torch"):
        make_embedder(s)
    real = export_dir(s.model_copy(update={"model_dir": Settings().model_dir}).model_dir)
    shutil.copytree(real, export_dir(model))
    assert not is_exported(model)  # exported from another conversion (checksum differs)
    info = json.loads((export_dir(model) / INFO).read_text())
    (export_dir(model) / INFO).write_text(json.dumps({**info, "source_checksum": "abc"}))
    assert is_exported(model)


def test_backend_is_recorded_and_a_mismatch_is_refused_or_reembedded(both, make_settings, tmp_path):
    from index.build import expected_manifest_parts, update_index

    torch_e, ov_e = both
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("# 标题\n\n" + "".join(PASSAGES[:2] * 3), encoding="utf-8")
    s = make_settings(embedder="e5", embed_backend="openvino", corpus_dir=corpus)
    r = update_index(s, ov_e)
    m = read_manifest(s.index_dir)
    assert m["model"]["backend"] == "openvino" and m["model"]["name"] == "multilingual-e5-small"
    torch_settings = s.model_copy(update={"embed_backend": "torch"})
    expected = expected_manifest_parts(torch_settings, torch_e.checksum, torch_e.name, torch_e.dim)
    with pytest.raises(IndexMismatch, match="embedded with backend openvino, but the settings ask for torch .*--rebuild"):
        load_index(s.index_dir, expected)
    again = update_index(torch_settings, torch_e)
    assert again.status == "updated" and again.embedded == r.chunks  # like a model change: everything re-embedded
    assert read_manifest(s.index_dir)["model"]["backend"] == "torch"
