"""The gold-set scorer: what counts, what is flagged."""
import json
from pathlib import Path

import pytest

from commitments.evaluate import evaluate, unsupported
from ingest.clean import clean

EVAL = Path(__file__).resolve().parents[2] / "eval"
GOLD = EVAL / "commitments_gold.jsonl"
KEYS = {"id", "kind", "district", "doc", "indicator", "unit", "baseline", "target", "type", "quote", "results", "status"}


def entry(**kw):
    e = {"id": "g", "kind": "indicator", "district": "金山区", "doc": "p.txt", "indicator": "居民健康素养水平", "unit": "%",
         "baseline": None, "target": {"value": "36", "cmp": ">=", "year": 2025}, "type": "预期性",
         "quote": "6 居民健康素养水平（%） ≥36 预期性", "results": [], "status": "no_report"}
    e.update(kw)
    return e


def test_an_entry_with_the_wrong_value_does_not_count():
    rep = evaluate([entry()], [entry(target={"value": "37", "cmp": ">=", "year": 2025})])
    assert rep.counted == 0 and rep.precision == 0 and rep.recall == 0


def test_an_extra_prediction_lowers_precision_only():
    extra = entry(indicator="千人口献血率", quote="13 千人口献血率（‰） 17.5 预期性", target={"value": "17.5", "cmp": "=", "year": 2025})
    rep = evaluate([entry()], [entry(), extra])
    assert (rep.precision, rep.recall) == (0.5, 1.0)


def test_a_wrong_status_is_a_linking_error():
    rep = evaluate([entry()], [entry(status="unclear")])
    assert rep.link_accuracy == 0 and rep.counted == 1


def test_met_without_a_report_quote_is_flagged():
    assert unsupported(entry(status="met", results=[{"doc": "r", "value": "40%", "year": 2024, "quote": ""}]))
    assert not unsupported(entry(status="met", results=[{"doc": "r", "value": "40%", "year": 2024, "quote": "…40%"}]))


def read(path):
    return [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]


def well_formed(gold):
    assert len({g["id"] for g in gold}) == len(gold)
    for g in gold:
        assert set(g) == KEYS and g["kind"] in ("indicator", "task") and g["status"] in ("met", "not_met", "no_report", "unclear")
        assert isinstance(g["target"]["year"], int) and g["target"]["cmp"] in (">=", "<=", "=", "")
        assert (g["status"] == "no_report") == (not g["results"])


def test_the_gold_set_is_well_formed():
    gold = read(GOLD)
    assert len(gold) >= 40
    well_formed(gold)


@pytest.mark.parametrize("folder", ["commitments_probe", "commitments_probe2", "commitments_probe3"])
def test_a_probe_gold_is_well_formed_and_quotes_its_own_texts(folder):
    # quotes must survive ingest's cleaning (PDF line breaks glued), or no tracker could cite them
    gold = read(EVAL / f"{folder}_gold.jsonl")
    meta = json.loads((EVAL / folder / "metadata.json").read_text(encoding="utf-8"))["documents"]
    well_formed(gold)
    blocks = {name: [b.text for b in clean((EVAL / folder / name).read_text(encoding="utf-8")).blocks] for name in meta}
    for g in gold:
        assert g["district"] == meta[g["doc"]]["district"]
        for doc, quote in [(g["doc"], g["quote"])] + [(r["doc"], r["quote"]) for r in g["results"]]:
            assert meta[doc]["district"] == g["district"], (g["id"], doc)
            assert any(quote in b for b in blocks[doc]), (g["id"], quote)
