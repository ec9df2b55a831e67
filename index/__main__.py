"""CLI: python -m index search [--index DIR] [--k 5] [--district X] [--year Y] [--type T] [--json] "question"

Prints the top passages for a question with their document, district, period,
section path and fused score (or JSON lines with --json).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m index", description="Search the index.")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("search", help="top passages for a question")
    s.add_argument("question", help="the question, in Chinese or English")
    s.add_argument("--index", type=Path, help="index folder (default: settings.index_dir, ./data/index)")
    s.add_argument("--k", type=int, default=5, help="how many passages (default 5)")
    s.add_argument("--district", help="only documents of this district (金山区 or Jinshan)")
    s.add_argument("--year", type=int, help="only documents about this year")
    s.add_argument("--type", dest="doc_type", help="only this document type (plan, work_summary, work_programme, highlights, newspaper)")
    s.add_argument("--json", action="store_true", help="one JSON object per passage")
    return p.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    from index.embed import make_embedder
    from index.search import Filters, Searcher
    from index.store import IndexError_, load_index
    from index.vector_store import make_vector_store
    from settings import Settings

    settings = Settings()
    try:
        index = load_index(args.index or settings.index_dir)
        searcher = Searcher(index, make_embedder(settings), vectors=make_vector_store(settings, index))
        hits = searcher.search(args.question, k=args.k,
                               filters=Filters(district=args.district, year=args.year, doc_type=args.doc_type))
    except (IndexError_, RuntimeError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    for n, h in enumerate(hits, 1):
        c, m = h.chunk, h.meta
        if args.json:
            print(json.dumps({"rank": n, "doc": c.doc, "title": m.get("title"), "district": m.get("district"),
                              "period": m.get("period"), "section": list(c.section), "start": c.start,
                              "end": c.end, "score": round(h.score, 4), "text": c.text}, ensure_ascii=False))
        else:
            print(f"[{n}] {h.score:.3f}  {m.get('title')} · {m.get('district')} · {m.get('period')}  ({c.doc} {c.start}-{c.end})")
            if c.section:
                print("    " + " › ".join(c.section))
            print("    " + c.text.replace("\n", "\n    "))
    return 0


if __name__ == "__main__":
    sys.exit(main())
