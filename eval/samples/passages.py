"""The passages the sample sets are built from: the five seed documents, cleaned and chunked.

`seed_passages()` loads each document of corpus/, cleans it and cuts it with
the chunker at its default settings (ingest/), and returns the chunk texts
(a table chunk with its header row) in document order, each with the seed's
file name and title. These are the SQuAD contexts and the RGB documents of
eval/samples/; build_samples.py turns the hand-written questions of
sample_questions.jsonl into the two files.
"""
from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def seed_passages(corpus_dir: Path = ROOT / "corpus") -> list[dict]:
    """[{"seed", "title", "text"}] for every chunk of every seed document."""
    from ingest.chunk import chunk_blocks
    from ingest.clean import clean
    from ingest.load import load_file
    from settings import Settings

    s = Settings(_env_file=None)
    meta = json.loads((corpus_dir / "metadata.json").read_text(encoding="utf-8"))["documents"]
    out = []
    for path in sorted(corpus_dir.glob("*.txt")):
        doc = load_file(path, max_bytes=s.max_file_bytes)
        for c in chunk_blocks(clean(doc.text).blocks, path.name, pages=doc.pages, **s.chunker_params()):
            text = f"{c.context}\n{c.text}" if c.context else c.text
            out.append({"seed": path.name, "title": meta.get(path.name, {}).get("title") or path.name, "text": text})
    return out


if __name__ == "__main__":  # print the passages, numbered, to write questions against
    for i, p in enumerate(seed_passages()):
        print(f"### {i} {p['seed'][:3]} ({len(p['text'])})\n{p['text']}\n")
