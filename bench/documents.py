"""Benchmark: documents as they arrive. CER per format, OCR speed, dev-set hit@5 per format.

    python -m bench.documents [--out out/documents] [--only 000 004] [--variants pdf docx scan200 scan150]
                              [--no-retrieval]

1. Renders the seeds into a test corpus (tools.testcorpus) under OUT/corpus.
2. Runs `python -m ingest --extract FILE` on every file, exactly as a user would,
   and prints its character error rate (NFKC, whitespace removed) against the
   seed's own clean text (`--extract` of the .txt: what the chunker sees for
   the text version) and, for the record, against the raw seed file (which
   also counts the page numbers and web-page chrome that cleaning drops from
   the text version itself). Scanned files are OCR'd from scratch (a fresh
   cache), and OCR pages per minute are printed (wall time of the whole
   command per file, model loading included).
3. Builds a real e5 index of the text corpus and of each PDF/scanned variant
   (reusing the OCR from step 2) and prints hit@5 on the dev set, with the
   evidence documents renamed to the variant's files (with --only: over the
   questions whose evidence lies in the chosen documents, for both corpora).
Heavy (a few minutes per scanned variant on 2 cores): part of `make bench`, never of the tests.
"""
from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VARIANTS = {"pdf": ".pdf", "docx": ".docx", "scan200": ".pdf", "scan150": ".pdf"}
SCANNED = ("scan200", "scan150")
TARGETS = {"pdf": 0.005, "docx": 0.005, "scan200": 0.005, "scan150": 0.01}
print = functools.partial(print, flush=True)  # noqa: A001  (lines appear as each file is done)


def extract(path: Path, cache: Path) -> tuple[str, float]:
    """stdout of `python -m ingest --extract path` and its wall time."""
    env = {**os.environ, "HPQA_EXTRACT_CACHE_DIR": str(cache), "HF_HUB_OFFLINE": "1"}
    t0 = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "ingest", "--extract", str(path), "--quiet"], cwd=ROOT, env=env,
                         capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if run.returncode != 0:
        raise RuntimeError(f"--extract {path} failed ({run.returncode}): {run.stderr.strip()[-500:]}")
    return run.stdout, seconds


def page_count(path: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        return len(pdf)
    finally:
        pdf.close()


def cer_table(seeds: list[Path], corpus: Path, variants: list[str], cache: Path) -> dict:
    from bench.cer import edit_distance, normalise

    refs = {s.stem: extract(s, cache)[0] for s in seeds}
    raws = {s.stem: s.read_text(encoding="utf-8") for s in seeds}
    summary = {}
    print(f"{'format':<9}{'document':<26}{'pages':>6}{'CER':>9}{'CER raw':>9}{'seconds':>9}")
    for variant in variants:
        edits = edits_raw = chars = chars_raw = pages = 0
        seconds = 0.0
        for seed in seeds:
            path = corpus / variant / (seed.stem + VARIANTS[variant])
            hyp, secs = extract(path, cache)
            ref, raw = normalise(refs[seed.stem]), normalise(raws[seed.stem])
            e, e_raw = edit_distance(normalise(hyp), ref), edit_distance(normalise(hyp), raw)
            n_pages = page_count(path) if path.suffix == ".pdf" else 0
            edits, edits_raw, chars, chars_raw = edits + e, edits_raw + e_raw, chars + len(ref), chars_raw + len(raw)
            pages, seconds = pages + n_pages, seconds + secs
            print(f"{variant:<9}{seed.name:<26}{n_pages:>6}{e / max(1, len(ref)):>9.4%}"
                  f"{e_raw / max(1, len(raw)):>9.4%}{secs:>9.1f}")
        summary[variant] = {"cer": edits / max(1, chars), "cer_raw": edits_raw / max(1, chars_raw),
                            "pages": pages, "seconds": seconds}
    print()
    for variant, s in summary.items():
        ok = "ok" if s["cer"] <= TARGETS[variant] else "ABOVE TARGET"
        line = (f"CER {variant:<8} {s['cer']:.4%} (target <= {TARGETS[variant]:.1%}: {ok}); "
                f"against the raw seed files {s['cer_raw']:.4%}")
        if variant in SCANNED and s["seconds"]:
            line += f"; OCR {s['pages']} pages in {s['seconds']:.0f} s = {60 * s['pages'] / s['seconds']:.1f} pages/min"
        print(line)
    return summary


def hit_at_5(seeds_dir: Path, corpus: Path, variants: list[str], cache: Path, questions: Path, work: Path) -> dict:
    from eval.metrics import score_question
    from index.build import update_index
    from index.embed import make_embedder
    from index.search import Searcher
    from index.store import load_index
    from settings import Settings

    rows = [json.loads(line) for line in questions.read_text(encoding="utf-8").splitlines() if line.strip()]
    present = {p.name for p in seeds_dir.glob("*.txt")}
    rows = [r for r in rows if r.get("evidence") and all(e.get("doc") in present for e in r["evidence"])]
    embedder = make_embedder(Settings())
    result = {}
    for variant in ["text"] + [v for v in variants if v != "docx"] + (["docx"] if "docx" in variants else []):
        folder = seeds_dir if variant == "text" else corpus / variant
        settings = Settings(corpus_dir=folder, index_dir=work / "index" / variant, extract_cache_dir=cache)
        t0 = time.perf_counter()
        report = update_index(settings, embedder, rebuild=True)
        build_s = time.perf_counter() - t0
        searcher = Searcher(load_index(settings.index_dir), embedder)
        suffix = ".txt" if variant == "text" else VARIANTS[variant]
        scores, misses = [], []
        for r in rows:
            evidence = [{**e, "doc": Path(e["doc"]).stem + suffix} if e.get("doc") else e for e in r["evidence"]]
            hits = searcher.search(r["question"], k=10)
            s = score_question(evidence, [(h.chunk.doc, h.chunk.text) for h in hits])
            scores.append(s["hit@5"])
            if not s["hit@5"]:
                misses.append(r["id"])
        result[variant] = {"hit@5": sum(scores) / len(scores), "n": len(scores), "misses": misses,
                           "chunks": report.chunks, "build_s": build_s}
    base = result["text"]["hit@5"]
    print()
    for variant, r in result.items():
        delta = "" if variant == "text" else f" (delta {r['hit@5'] - base:+.3f}; target within 0.03)"
        print(f"hit@5 {variant:<8} {r['hit@5']:.3f} over {r['n']} dev questions, {r['chunks']} chunks, "
              f"index built in {r['build_s']:.0f} s{delta}")
    for variant, r in result.items():
        if variant != "text":
            lost = sorted(set(r["misses"]) - set(result["text"]["misses"]))
            won = sorted(set(result["text"]["misses"]) - set(r["misses"]))
            print(f"  {variant}: missed only here {lost or '-'}; found only here {won or '-'}")
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.documents", description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, default=ROOT / "out" / "documents", help="work folder (default out/documents)")
    p.add_argument("--seeds", type=Path, default=ROOT / "corpus", help="seed corpus (default corpus/)")
    p.add_argument("--only", nargs="*", help="seed file name prefixes (default: all)")
    p.add_argument("--variants", nargs="*", choices=list(VARIANTS), default=list(VARIANTS))
    p.add_argument("--questions", type=Path, default=ROOT / "eval" / "dev.jsonl")
    p.add_argument("--no-retrieval", action="store_true", help="only CER and OCR speed")
    args = p.parse_args(argv)

    from tools.testcorpus.__main__ import main as make_corpus

    corpus, cache = args.out / "corpus", args.out / "ocr_cache"
    shutil.rmtree(cache, ignore_errors=True)  # OCR from scratch, so its speed is measured
    for variant in args.variants:  # no file left over from a run with other --only documents
        shutil.rmtree(corpus / variant, ignore_errors=True)
    only = ["--only", *args.only] if args.only else []
    make_corpus(["--out", str(corpus), "--seeds", str(args.seeds), *only, "--variants", *args.variants])
    seeds = sorted(s for s in args.seeds.glob("*.txt") if not args.only or s.name.startswith(tuple(args.only)))
    summary = {"cer": cer_table(seeds, corpus, args.variants, cache)}
    if not args.no_retrieval:
        with tempfile.TemporaryDirectory(prefix="seeds-") as tmp:
            seeds_dir = Path(tmp)
            for s in seeds:
                shutil.copy(s, seeds_dir / s.name)
            shutil.copy(args.seeds / "metadata.json", seeds_dir / "metadata.json")
            summary["hit@5"] = hit_at_5(seeds_dir, corpus, args.variants, cache, args.questions, args.out)
    (args.out / "summary.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"\nsummary: {args.out / 'summary.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
