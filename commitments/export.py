"""Write the tracker's output as JSON (the issue 9 contract) or CSV (one row per commitment). Atomic."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from index.store import write_atomic

FORMATS = (".json", ".csv")
CSV_COLUMNS = ("id", "kind", "district", "doc", "indicator", "unit", "baseline_value", "baseline_year",
               "target_value", "target_cmp", "target_year", "type", "status", "quote", "result_count", "results")


def csv_rows(records: list[dict]) -> list[dict]:
    """Flat rows; a row's `results` holds "doc | value | year | quote" entries joined by " || ".

    >>> csv_rows([{"id": "c", "kind": "task", "district": "d", "doc": "x", "indicator": "i", "unit": "",
    ...   "baseline": None, "target": {"value": "", "cmp": "", "year": 2025}, "type": "", "quote": "q",
    ...   "results": [], "status": "no_report"}])[0]["target_year"]
    2025
    """
    rows = []
    for r in records:
        b, t = r["baseline"] or {}, r["target"] or {}
        rows.append({
            "id": r["id"], "kind": r["kind"], "district": r["district"], "doc": r["doc"], "indicator": r["indicator"],
            "unit": r["unit"], "baseline_value": b.get("value", ""), "baseline_year": b.get("year", ""),
            "target_value": t.get("value", ""), "target_cmp": t.get("cmp", ""), "target_year": t.get("year", ""),
            "type": r["type"], "status": r["status"], "quote": r["quote"], "result_count": len(r["results"]),
            "results": " || ".join(f"{x['doc']} | {x['value']} | {x['year']} | {x['quote']}" for x in r["results"]),
        })
    return rows


def to_csv(records: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    writer.writerows(csv_rows(records))
    return buf.getvalue()


def to_json(records: list[dict]) -> str:
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def write(records: list[dict], out: Path) -> None:
    """Write by extension (.json or .csv); anything else is refused with what is allowed."""
    suffix = Path(out).suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"output file {out} has extension {suffix or '(none)'!r}: use one of {', '.join(FORMATS)}")
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    write_atomic(Path(out), to_json(records) if suffix == ".json" else "\ufeff" + to_csv(records))
