"""The tracker end to end: on a hash-embedded copy of the seeds (plumbing, cache, CLI) and on the real e5 index."""
import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from commitments import track, tracked
from commitments.export import write
from index.build import update_index
from index.embed import HashEmbedder

ROOT = Path(__file__).resolve().parents[2]
KEYS = {"id", "kind", "district", "doc", "indicator", "unit", "baseline", "target", "type", "quote", "results", "status"}


@pytest.fixture(scope="module")
def hash_settings(tmp_path_factory):
    """A hash-embedded index of the seeds, shared read-only by this module's plumbing tests."""
    from settings import Settings

    root = tmp_path_factory.mktemp("hash")
    settings = Settings(_env_file=None, corpus_dir=ROOT / "corpus", index_dir=root / "index", embedder="hash",
                        extract_cache_dir=root / "cache")
    update_index(settings, HashEmbedder())
    return settings


def check_contract(records):
    for r in records:
        assert set(r) == KEYS
        assert r["kind"] in ("indicator", "task") and r["status"] in ("met", "not_met", "no_report", "unclear")
        assert r["type"] in ("预期性", "约束性", "") and r["quote"]
        assert r["baseline"] is None or (set(r["baseline"]) == {"value", "year"} and isinstance(r["baseline"]["year"], int))
        t = r["target"]
        assert set(t) == {"value", "cmp", "year"} and isinstance(t["value"], str) and isinstance(t["year"], int)
        assert t["cmp"] in (">=", "<=", "=", "")
        for x in r["results"]:
            assert set(x) == {"doc", "value", "year", "quote"} and isinstance(x["year"], int) and x["quote"]
        if r["status"] in ("met", "not_met"):
            assert r["results"], r


def test_json_follows_the_contract_and_every_quote_is_verbatim(hash_settings):
    records = track(hash_settings, HashEmbedder())
    assert len(records) >= 60
    check_contract(records)
    texts = {p.name: "".join(p.read_text(encoding="utf-8").split()) for p in (ROOT / "corpus").glob("*.txt")}
    for r in records:
        assert "".join(r["quote"].split()) in texts[r["doc"]], r
        for x in r["results"]:
            assert "".join(x["quote"].split()) in texts[x["doc"]]


def test_every_row_of_the_target_table_parses(hash_settings):
    rows = [r for r in track(hash_settings, HashEmbedder()) if r["type"]]
    assert len(rows) == 15
    assert all(r["target"]["year"] == 2025 and r["unit"] and r["target"]["value"] for r in rows)


def test_results_are_cached_until_the_index_changes(make_settings, seed_corpus):
    embedder = HashEmbedder()
    settings = make_settings(corpus_dir=seed_corpus)
    update_index(settings, embedder)
    first = tracked(settings, embedder)
    assert tracked(settings, embedder) is first
    (seed_corpus / "004_6549651109aa6bb6.txt").unlink()
    update_index(settings, embedder)
    second = tracked(settings, embedder)
    assert second is not first and not any(t.commitment.doc.startswith("004") for t in second)


def test_write_json_and_csv_and_refuse_other_extensions(hash_settings, tmp_path):
    records = track(hash_settings, HashEmbedder())
    write(records, tmp_path / "c.json")
    assert json.loads((tmp_path / "c.json").read_text(encoding="utf-8")) == records
    write(records, tmp_path / "c.csv")
    rows = list(csv.DictReader((tmp_path / "c.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == len(records) and rows[0]["id"] == records[0]["id"]
    with pytest.raises(ValueError, match=r"extension '.xlsx'.*\.json, \.csv"):
        write(records, tmp_path / "c.xlsx")


def test_cli_writes_the_file_and_says_what_it_wrote(hash_settings, tmp_path):
    out = tmp_path / "out.json"
    run = subprocess.run([sys.executable, "-m", "commitments", "--index", str(hash_settings.index_dir), "--out", str(out),
                          "--embedder", "hash"], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "commitments ->" in run.stdout and len(json.loads(out.read_text(encoding="utf-8"))) >= 60


def test_cli_refuses_a_bad_extension_and_a_missing_index(tmp_path):
    bad = subprocess.run([sys.executable, "-m", "commitments", "--out", str(tmp_path / "x.txt")], cwd=ROOT,
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "use one of .json, .csv" in bad.stderr
    missing = subprocess.run([sys.executable, "-m", "commitments", "--index", str(tmp_path / "none"), "--out",
                              str(tmp_path / "x.json"), "--embedder", "hash"], cwd=ROOT, capture_output=True, text=True)
    assert missing.returncode == 1 and "no index at" in missing.stderr


# --- the real thing: e5 vectors for linking ------------------------------------------------------

@pytest.fixture(scope="module")
def real_records(real_index):
    settings, embedder = real_index
    return track(settings, embedder)


def by_indicator(records, name, doc_prefix="001"):
    return next(r for r in records if r["indicator"] == name and r["doc"].startswith(doc_prefix))


def test_real_index_links_the_highlights_to_the_plan_table(real_records):
    check_contract(real_records)
    for name in ("人均预期寿命", "婴儿死亡率", "孕产妇死亡率"):
        r = by_indicator(real_records, name)
        assert r["status"] == "met" and r["results"][0]["doc"].startswith("000")
        assert "优于全市平均水平" in r["results"][0]["quote"]
    assert by_indicator(real_records, "5岁以下儿童死亡率")["status"] == "no_report"


def test_real_index_attaches_2020_baselines_stated_in_the_plan_text(real_records):
    assert by_indicator(real_records, "人均预期寿命")["baseline"] == {"value": "84.42", "year": 2020}
    assert by_indicator(real_records, "婴儿死亡率")["baseline"] == {"value": "2.08", "year": 2020}


def test_real_index_never_links_a_figure_from_another_district(real_records):
    docs_by_district = {"金山区": ("000", "001", "002"), "宝山区": ("004",), "闵行区": ("003",)}
    for r in real_records:
        assert all(x["doc"].startswith(docs_by_district[r["district"]]) for x in r["results"]), r
    # Minhang reports 47.84% and 74.74%; neither may answer Baoshan's or Jinshan's promise
    assert by_indicator(real_records, "常住居民家庭医生签约率", "004")["status"] == "no_report"
    assert by_indicator(real_records, "老年人健康管理率")["status"] == "no_report"


def test_real_index_sets_the_15th_five_year_targets_to_2030(real_records):
    r = by_indicator(real_records, "国家医学中心", "004")
    assert r["target"] == {"value": "2", "cmp": "=", "year": 2030} and r["kind"] == "task"


def test_an_index_of_reports_only_gives_an_empty_list(make_settings, tmp_path):
    corpus = tmp_path / "only_reports"
    corpus.mkdir()
    (corpus / "r.txt").write_text("2024年工作总结\n\n2024年，全区居民健康素养水平42.13%。\n", encoding="utf-8")
    settings = make_settings(corpus_dir=corpus)
    update_index(settings, HashEmbedder())
    assert track(settings, HashEmbedder()) == []
