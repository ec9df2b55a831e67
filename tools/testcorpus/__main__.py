"""CLI: python -m tools.testcorpus --out DIR [--seeds corpus] [--only 001 ...] [--variants pdf scan200 ...]

Writes one corpus folder per variant under DIR (each with its metadata.json,
the seeds' entries under the new file names):
  pdf/       text-layer PDFs (running header, page numbers, 表1 as a ruled table)
  scan200/   image-only PDFs at 200 dpi
  scan150/   image-only PDFs at 150 dpi, 1.5° skew, noise, JPEG quality 60
  docx/      Word files (heading styles, tables)
  images/    the first page of each scan200 document as PNG and of each scan150 one as JPEG
Keep DIR outside the repository (out/ is git-ignored).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

VARIANTS = ("pdf", "scan200", "scan150", "docx", "images")
SCAN = {"scan200": {"dpi": 200, "skew": 0.0, "noise": 0.0, "quality": 85},
        "scan150": {"dpi": 150, "skew": 1.5, "noise": 6.0, "quality": 60}}


def running_header(meta: dict) -> str:
    """The line printed at the top of every page: the issuing office."""
    district = meta.get("district") or "上海市"
    return f"上海市{district}卫生健康委员会"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tools.testcorpus", description=__doc__.split("\n\n")[1])
    p.add_argument("--out", type=Path, required=True, help="output folder (outside the repository)")
    p.add_argument("--seeds", type=Path, default=Path("corpus"), help="folder of seed .txt files with metadata.json")
    p.add_argument("--only", nargs="*", help="seed file name prefixes to render (default: all)")
    p.add_argument("--variants", nargs="*", choices=VARIANTS, default=list(VARIANTS), help="what to write")
    args = p.parse_args(argv)

    from tools.testcorpus import render_docx, render_pdf, scan_pdf, seed_blocks
    from tools.testcorpus.scan import scan_pages

    meta_all = json.loads((args.seeds / "metadata.json").read_text(encoding="utf-8"))["documents"]
    seeds = sorted(s for s in args.seeds.glob("*.txt") if not args.only or s.name.startswith(tuple(args.only)))
    if not seeds:
        print(f"error: no seed .txt files in {args.seeds}", file=sys.stderr)
        return 1
    metas: dict[str, dict] = {v: {} for v in args.variants}
    for seed in seeds:
        meta = meta_all.get(seed.name, {})
        blocks = seed_blocks(seed.read_text(encoding="utf-8"))
        header = running_header(meta)
        pdf = render_pdf(blocks, header)
        stem = seed.stem
        outputs: dict[str, list[tuple[str, bytes]]] = {}
        if "pdf" in args.variants:
            outputs["pdf"] = [(f"{stem}.pdf", pdf)]
        for variant, opts in SCAN.items():
            if variant in args.variants:
                outputs[variant] = [(f"{stem}.pdf", scan_pdf(pdf, **opts))]
        if "docx" in args.variants:
            outputs["docx"] = [(f"{stem}.docx", render_docx(blocks, header))]
        if "images" in args.variants:
            outputs["images"] = _images(pdf, stem, scan_pages)
        for variant, files in outputs.items():
            folder = args.out / variant
            folder.mkdir(parents=True, exist_ok=True)
            for name, data in files:
                (folder / name).write_bytes(data)
                metas[variant][name] = meta
                print(f"{folder / name} ({len(data):,} bytes)", file=sys.stderr)
    for variant, docs in metas.items():
        doc = {"about": f"Test corpus ({variant}) made by python -m tools.testcorpus from the seeds.", "documents": docs}
        (args.out / variant / "metadata.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def _images(pdf: bytes, stem: str, scan_pages) -> list[tuple[str, bytes]]:
    from io import BytesIO

    out = []
    for suffix, opts in ((".png", SCAN["scan200"]), (".jpg", SCAN["scan150"])):
        page = scan_pages(pdf, dpi=opts["dpi"], skew=opts["skew"], noise=opts["noise"])[0]
        buf = BytesIO()
        page.save(buf, "PNG" if suffix == ".png" else "JPEG", **({} if suffix == ".png" else {"quality": 60}))
        out.append((f"{stem}.p1{suffix}", buf.getvalue()))
    return out


if __name__ == "__main__":
    sys.exit(main())
