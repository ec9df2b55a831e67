"""Question-set formats: each loader on a small sample we wrote, the shipped samples, and bad input."""
import json
from pathlib import Path

import pytest

from eval.formats import FormatError, answer_parts, load_benchmark

DATA = Path(__file__).parent / "fixtures"
SAMPLES = Path(__file__).resolve().parents[2] / "eval" / "samples"


def test_squad_questions_keep_their_ids_as_strings_and_point_at_their_paragraph():
    b = load_benchmark(DATA / "tiny_squad.json", "squad")
    assert [q["id"] for q in b.questions] == ["101", "102", "103", "104"]
    assert len(b.passages) == 4  # a paragraph without questions is still in the pool
    q101 = b.questions[0]
    (gold,) = q101["evidence"]
    assert "52.3%" in b.passages[gold["doc"]].text and "quote" not in gold
    assert q101["answers"] == ["52.3%"] and q101["answer_parts"] == [["52.3%"]]
    assert b.questions[1]["answers"] == ["17个", "17"]
    assert b.questions[3]["type"] == "unanswerable" and b.questions[3]["answerable"] is False
    assert b.passages[gold["doc"]].title == "示例区2024年卫生工作总结"


def test_squad_meta_extension_reaches_the_passages(tmp_path):
    data = json.loads((DATA / "tiny_squad.json").read_text(encoding="utf-8"))
    data["data"][0]["meta"] = {"district": "示例区", "period": [2024, 2024]}
    path = tmp_path / "meta.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    b = load_benchmark(path, "squad")
    assert all(p.meta["district"] == "示例区" for p in b.passages.values())


def test_rgb_pools_passages_once_and_reads_every_answer_shape():
    b = load_benchmark(DATA / "tiny_rgb.jsonl", "rgb")
    assert [q["id"] for q in b.questions] == ["1", "2", "3"]
    assert len(b.passages) == 4  # the same text under two questions is one passage
    one, two, three = b.questions
    assert one["answer_parts"] == [["52.3%"]] and len(one["positive_docs"]) == 1 and len(one["negative_docs"]) == 2
    assert two["answer_parts"] == [["600张", "600"], ["2026年"]] and two["answers"] == []
    assert three["answerable"] is False and three["type"] == "unanswerable" and three["evidence"] == []


def test_csv_reads_alternatives_and_quote_evidence_without_a_document():
    b = load_benchmark(DATA / "tiny.csv", "csv")
    c1, c2, c3 = b.questions
    assert c1["evidence"] == [{"quote": "签约率达49.13%"}] and c1["answer_parts"] == [["49.13%"]]
    assert c2["type"] == "unanswerable" and c2["answerable"] is False
    assert c3["answers"] == ["0.81‰", "0.81"] and not b.passages


def test_jsonl_is_our_dev_set_format():
    b = load_benchmark(Path(__file__).resolve().parents[2] / "eval" / "dev_holdout.jsonl", "jsonl")
    assert len(b.questions) == 49 and not b.passages


@pytest.mark.parametrize("answer, parts", [
    ("46%", [["46%"]]), (["46%", "四成六"], [["46%", "四成六"]]), ([["a"], ["b", "c"]], [["a"], ["b", "c"]]),
    ("", []), ([], []),
])
def test_answer_parts_shapes(answer, parts):
    assert answer_parts(answer) == parts


def test_bad_inputs_say_where_and_what(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1, "query": "ok", "answer": "x", "positive": ["p"]}\n{"query": "no id"}\n', encoding="utf-8")
    with pytest.raises(FormatError, match=r"bad.jsonl:2: each line needs \"id\""):
        load_benchmark(bad, "rgb")
    bad.write_text('{"id": 1, "query": "q", "answer": {"x": 1}}\n', encoding="utf-8")
    with pytest.raises(FormatError, match="answer must be a string"):
        load_benchmark(bad, "rgb")
    sq = tmp_path / "sq.json"
    sq.write_text('{"data": [{"paragraphs": [{"context": "文", "qas": [{"question": "无id"}]}]}]}', encoding="utf-8")
    with pytest.raises(FormatError, match=r"data\[0\].paragraphs\[0\].qas\[0\]: needs \"id\""):
        load_benchmark(sq, "squad")
    sq.write_text('{"rows": []}', encoding="utf-8")
    with pytest.raises(FormatError, match="top-level \"data\""):
        load_benchmark(sq, "squad")
    c = tmp_path / "q.csv"
    c.write_text("q,a\nx,y\n", encoding="utf-8")
    with pytest.raises(FormatError, match="must name the columns question and answer"):
        load_benchmark(c, "csv")
    with pytest.raises(FormatError, match="unknown format 'xml': choose from jsonl, squad, rgb, csv"):
        load_benchmark(c, "xml")
    with pytest.raises(FormatError, match="no such file"):
        load_benchmark(tmp_path / "missing.json", "squad")


def test_shipped_samples_hold_hundreds_of_passages():
    squad = load_benchmark(SAMPLES / "squad_sample.json", "squad")
    plain = load_benchmark(SAMPLES / "squad_sample_plain.json", "squad")
    rgb = load_benchmark(SAMPLES / "rgb_sample.jsonl", "rgb")
    csv_ = load_benchmark(SAMPLES / "csv_sample.csv", "csv")
    assert len(squad.passages) >= 200 and len(squad.questions) >= 40
    assert [p.text for p in plain.passages.values()] == [p.text for p in squad.passages.values()]
    assert all(p.meta.get("district") for p in squad.passages.values()) and not any(p.meta for p in plain.passages.values())
    assert len(rgb.passages) >= 200 and len(rgb.questions) >= 40
    assert sum(not q["answerable"] for q in rgb.questions) >= 5
    assert len(csv_.questions) == 12
