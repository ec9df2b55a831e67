"""CLI: `python -m commitments --index DIR --out FILE` writes the tracked commitments (.json or .csv)."""
from __future__ import annotations

import argparse
import logging
import sys
from collections import Counter
from pathlib import Path

from commitments.export import FORMATS


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m commitments",
                                description="Extract what the plans promised, link it to what reports say, write the list.")
    p.add_argument("--index", type=Path, default=None, help="index folder (default: the settings' index_dir, data/index)")
    p.add_argument("--out", type=Path, required=True, help=f"output file; the format follows the extension ({', '.join(FORMATS)})")
    p.add_argument("--embedder", choices=("e5", "hash"), default=None,
                   help="embedder for linking (default: the settings'; hash is a test double)")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.out.suffix.lower() not in FORMATS:
        print(f"error: --out {args.out} has extension {args.out.suffix or '(none)'!r}; use one of {', '.join(FORMATS)}",
              file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING)
    from commitments.export import write
    from commitments.track import track
    from index.embed import ModelMissing
    from index.store import IndexError_
    from settings import Settings

    overrides = {k: v for k, v in (("index_dir", args.index), ("embedder", args.embedder)) if v is not None}
    settings = Settings(**overrides)
    try:
        records = track(settings)
    except IndexError_ as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except ModelMissing as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    write(records, args.out)
    counts = Counter(r["status"] for r in records)
    print(f"{len(records)} commitments -> {args.out} ("
          + ", ".join(f"{k} {counts.get(k, 0)}" for k in ("met", "not_met", "unclear", "no_report")) + ")")
    return 0


if __name__ == "__main__":
    sys.exit(main())
