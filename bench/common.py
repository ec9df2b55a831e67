"""Helpers the benchmarks share: percentiles, tables, JSON output, question lists.

Pure formatting and file I/O; no model, no index.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "out" / "bench"


def pct(values, q: float) -> float:
    """The q-th percentile (0-100) of `values`, or nan when empty.

    >>> pct([1, 2, 3, 4], 50)
    2.5
    """
    return float(np.percentile(np.asarray(values, dtype=float), q)) if len(values) else float("nan")


def table(headers: list[str], rows: list[list]) -> str:
    """A plain text table, numbers right-aligned.

    >>> print(table(["a", "bb"], [[1, "x"], [22.5, "yy"]]))
    a     bb
    1     x
    22.5  yy
    """
    cells = [[_fmt(v) for v in r] for r in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip()]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    return "\n".join(lines)


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:.3f}" if abs(v) < 10 else f"{v:.1f}"
    return str(v)


def write_json(name: str, data: dict, out_dir: Path = OUT) -> Path:
    """Write `out_dir/name` atomically (write beside, then rename)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / name
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path


def questions(*files: str) -> list[str]:
    """The question texts of JSONL question sets (relative to the repository root)."""
    out = []
    for f in files:
        with open(ROOT / f, encoding="utf-8") as fh:
            out += [json.loads(line)["question"] for line in fh if line.strip()]
    return out


def peak_rss_mb() -> float:
    """This process's peak resident set size (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def scratch_corpus(work: Path) -> Path:
    """`work` replaced by a fresh, writable copy of corpus/ (the seeds are read-only); returns work/corpus."""
    import shutil

    shutil.rmtree(work, ignore_errors=True)
    corpus = work / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    for f in corpus.iterdir():
        f.chmod(0o644)
    return corpus


def ingest_scratch(work: Path, embedder: str) -> tuple[Path, Path, dict]:
    """A scratch corpus indexed by a real `python -m ingest` run: (corpus, index, the environment it ran with)."""
    import subprocess
    import sys

    corpus, index = scratch_corpus(work), work / "index"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HPQA_EMBEDDER": embedder}
    subprocess.run([sys.executable, "-m", "ingest", "--corpus", str(corpus), "--index", str(index), "--quiet"],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    return corpus, index, env


def postgres():
    """(DSN, stop): HPQA_PG_DSN when set (stop does nothing), else a throwaway pgserver cluster
    (PostgreSQL + pgvector) that stop() deletes. The benches that need a database share this."""
    dsn = os.environ.get("HPQA_PG_DSN", "")
    if dsn:
        return dsn, lambda: None
    import tempfile

    import pgserver

    server = pgserver.get_server(tempfile.mkdtemp(prefix="bench-pg-"), cleanup_mode="delete")
    return server.get_uri(), server.cleanup
