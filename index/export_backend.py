"""Export the converted e5 model to OpenVINO IR, once, at install time (`make model`).

Why not sentence-transformers' own `backend="openvino"`: it needs optimum-intel,
which pins transformers below 5.6 and would downgrade the pinned stack. The
OpenVINO runtime alone (`openvino`, no optimum) converts the same torch module
directly, so this exports the whole sentence embedding: BERT, then mean pooling
over the attention mask (the prompt included, as e5 does), then L2
normalisation, in one graph with dynamic batch and sequence length.

Writes `<model_dir>/openvino/` (`openvino_model.xml/.bin` and `export.json` with
the source model's checksum and the OpenVINO version); a second run with the same
source is a no-op. The folder is written beside the target and renamed into
place. Offline; run `opt_in_out --opt_out` (the Makefile does) before the first
import so OpenVINO's telemetry never reaches for the network. It does not embed
anything: index/embed.py loads the result.
"""
from __future__ import annotations

import argparse
import importlib.metadata
import json
import logging
import os
import shutil
from pathlib import Path

log = logging.getLogger(__name__)

EXPORT_VERSION = "1"
SUBDIR = "openvino"
XML = "openvino_model.xml"
INFO = "export.json"


def export_dir(model_dir: Path) -> Path:
    """Where the OpenVINO export of `model_dir` lives.

    >>> export_dir(Path("models/e5")).as_posix()
    'models/e5/openvino'
    """
    return Path(model_dir) / SUBDIR


def _source_checksum(model_dir: Path) -> str:
    from index.embed import model_checksum

    return model_checksum(Path(model_dir))


def is_exported(model_dir: Path) -> bool:
    """True if `model_dir/openvino` is an export of this model by this exporter (cheap)."""
    out = export_dir(model_dir)
    try:
        info = json.loads((out / INFO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (info.get("source_checksum") == _source_checksum(model_dir)
            and info.get("export_version") == EXPORT_VERSION
            and (out / XML).is_file() and (out / XML).with_suffix(".bin").is_file())


class _SentenceEmbedding:
    """torch module factory kept in a function so torch is imported only when exporting."""

    @staticmethod
    def build(model_dir: Path):
        import torch
        from transformers import AutoModel

        bert = AutoModel.from_pretrained(str(model_dir), torch_dtype=torch.float32).eval()

        class SentenceEmbedding(torch.nn.Module):
            def __init__(self, encoder):
                super().__init__()
                self.encoder = encoder

            def forward(self, input_ids, attention_mask):
                tokens = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
                mask = attention_mask.unsqueeze(-1).to(tokens.dtype)
                pooled = (tokens * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                return torch.nn.functional.normalize(pooled, p=2, dim=1)

        return SentenceEmbedding(bert).eval()


def export(model_dir: Path, force: bool = False) -> Path:
    """Write `model_dir/openvino/` and return it; a no-op when already exported."""
    model_dir = Path(model_dir)
    out = export_dir(model_dir)
    if not force and is_exported(model_dir):
        log.info("%s already holds this export; nothing to do", out)
        return out
    import openvino as ov
    import torch

    module = _SentenceEmbedding.build(model_dir)
    example = {"input_ids": torch.ones((2, 16), dtype=torch.long),
               "attention_mask": torch.ones((2, 16), dtype=torch.long)}
    log.info("converting %s to OpenVINO IR", model_dir)
    with torch.no_grad():
        ov_model = ov.convert_model(module, example_input=example,
                                    input=[("input_ids", [-1, -1], ov.Type.i64),
                                           ("attention_mask", [-1, -1], ov.Type.i64)])
    tmp = model_dir / f".{SUBDIR}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        # The weights are 4-bit values dequantised to fp16, so fp16 storage loses nothing.
        ov.save_model(ov_model, str(tmp / XML), compress_to_fp16=True)
        (tmp / INFO).write_text(json.dumps({
            "export_version": EXPORT_VERSION,
            "source_checksum": _source_checksum(model_dir),
            "openvino": importlib.metadata.version("openvino"),
            "torch": importlib.metadata.version("torch"),
            "graph": "BertModel -> masked mean pooling -> L2 normalise",
        }, indent=2) + "\n", encoding="utf-8")
        old = model_dir / f".{SUBDIR}.old-{os.getpid()}"
        if out.exists():
            os.replace(out, old)
        os.replace(tmp, out)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    log.info("wrote %s", out)
    return out


def main(argv: list[str] | None = None) -> int:
    from settings import Settings

    default = Settings().model_dir
    parser = argparse.ArgumentParser(prog="python -m index.export_backend",
                                     description="Export the converted e5 model to OpenVINO IR (offline, ~30 s).")
    parser.add_argument("--model", type=Path, default=default,
                        help=f"converted model folder (default: HPQA_MODEL_DIR, now {default})")
    parser.add_argument("--force", action="store_true", help="export again even if up to date")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        if not args.force and is_exported(args.model):
            print(f"{export_dir(args.model)} is up to date; nothing to do (use --force to redo)")
            return 0
        export(args.model, force=args.force)
    except (RuntimeError, ValueError, OSError) as exc:
        print(f"error: {exc}")
        return 1
    print(f"exported {args.model} to {export_dir(args.model)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
