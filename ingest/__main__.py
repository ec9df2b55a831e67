"""CLI: python -m ingest [--corpus DIR] [--index DIR] [--rebuild] | python -m ingest --extract FILE

Builds or incrementally updates the index from a corpus folder and prints a
summary: documents, chunks, what changed, and every skipped file with its reason.
Scanned pages are OCR'd with a progress bar (on stderr).

`--extract FILE` instead prints the clean text of one file, what the chunker
sees (one heading, paragraph or table row per line), to stdout and nothing
else there; logs and progress go to stderr.
Exit status: 0 when documents are indexed (even if some files were skipped) or
the file was extracted, 1 when nothing could be ingested, the index could not
be written or the file was refused, 2 for a setup problem (e.g. the model is
not converted).
"""
from __future__ import annotations

import argparse
import logging
import statistics
import sys
from pathlib import Path


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m ingest", description=__doc__.split("\n\n")[1])
    p.add_argument("--corpus", type=Path, help="folder of documents (default: settings.corpus_dir, ./corpus)")
    p.add_argument("--index", type=Path, help="index folder (default: settings.index_dir, ./data/index)")
    p.add_argument("--rebuild", action="store_true", help="re-chunk and re-embed everything, ignoring the old index")
    p.add_argument("--embedder", choices=["e5", "hash"], help="embedder (default: settings.embedder, e5)")
    p.add_argument("--chunk-size", type=int, help="target chunk length in characters (default: settings.chunk_size)")
    p.add_argument("--extract", type=Path, metavar="FILE",
                   help="print the clean extracted text of FILE (what the chunker sees) and exit")
    p.add_argument("--no-cache", action="store_true",
                   help="do not read or write the OCR cache (settings.extract_cache_dir)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("-v", "--verbose", action="store_true", help="log what is done")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(message)s")
    from settings import Settings

    overrides = {k: v for k, v in {"embedder": args.embedder, "chunk_size": args.chunk_size}.items() if v}
    settings = Settings(**overrides)
    if args.extract is not None:
        return extract(args.extract, settings, cache=not args.no_cache, quiet=args.quiet)
    corpus = args.corpus or settings.corpus_dir
    index = args.index or settings.index_dir
    if not corpus.is_dir():
        print(f"error: corpus folder {corpus} does not exist", file=sys.stderr)
        return 1

    from index.build import update_index
    from index.embed import ModelMissing, make_embedder

    try:
        embedder = make_embedder(settings)
    except ModelMissing as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if args.quiet:
            return
        if bar is None:
            from tqdm import tqdm

            bar = tqdm(total=total, desc="embedding", unit="chunk")
        bar.update(done - bar.n)

    from index.shared_state import writing  # pgvector: the replicas' writer lock; this corpus becomes the shared one
    from ingest.progress import reporting

    try:
        with reporting(ocr_bar(args.quiet)), writing(settings, index, fetch_first=False):
            report = update_index(settings, embedder, corpus_dir=corpus, index_dir=index, rebuild=args.rebuild,
                                  progress=progress)
    except TimeoutError as e:  # the shared writer lock (pgvector) stayed taken
        print(f"error: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"error: could not write the index at {index}: {e}", file=sys.stderr)
        return 1
    finally:
        if bar is not None:
            bar.close()
    print_report(report, index)
    return 0 if report.status != "failed" and report.documents else 1


def ocr_bar(quiet: bool):
    """A progress callback drawing one tqdm bar (on stderr) per OCR'd document."""
    state = {"bar": None}

    def callback(what: str, done: int, total: int) -> None:
        if quiet:
            return
        from tqdm import tqdm

        if state["bar"] is None or done == 1:
            state["bar"] = tqdm(total=total, desc=what, unit="page", file=sys.stderr)
        state["bar"].update(done - state["bar"].n)
        if done >= total:
            state["bar"].close()
            state["bar"] = None

    return callback


def extract(path: Path, settings, *, cache: bool, quiet: bool) -> int:
    """`--extract FILE`: the clean text on stdout, errors on stderr."""
    from ingest.document_chunks import extracted_text
    from ingest.errors import LoadError
    from ingest.load import load_file
    from ingest.progress import reporting

    try:
        with reporting(ocr_bar(quiet)):
            doc = load_file(path, max_bytes=settings.max_file_bytes,
                            cache_dir=settings.extract_cache_dir if cache else None)
    except LoadError as e:
        print(f"error: {e.path}: {e.reason}", file=sys.stderr)
        return 1
    sys.stdout.write(extracted_text(doc) + "\n")
    return 0


def print_report(report, index: Path) -> None:
    if report.status == "unchanged":
        print(f"index {index} is up to date: {report.documents} documents, {report.chunks} chunks "
              f"({report.seconds:.2f} s)")
    elif report.status == "failed":
        print("nothing could be ingested; the existing index (if any) is unchanged")
    else:
        print(f"index {index}: {report.documents} documents, {report.chunks} chunks in {report.seconds:.1f} s")
        for label, names in (("added", report.added), ("changed", report.changed), ("removed", report.removed)):
            if names:
                print(f"  {label}: {', '.join(names)}")
        if report.embedded:
            rate = report.embedded / report.embed_seconds if report.embed_seconds else float("inf")
            print(f"  embedded {report.embedded} chunks in {report.embed_seconds:.1f} s ({rate:.1f} passages/s)")
        if report.chunk_sizes:
            s = sorted(report.chunk_sizes)
            print(f"  chunk length: min {s[0]}, median {statistics.median(s):.0f}, "
                  f"p90 {s[int(len(s) * 0.9)]}, max {s[-1]} characters")
    for w in report.warnings:
        print(f"  warning: {w}")
    for s in report.skipped:
        print(f"  skipped {s.path}: {s.reason}")


if __name__ == "__main__":
    sys.exit(main())
