"""Target-vs-achievement questions in the chat are answered from the tracker, both quotes cited and grounded."""
import pytest

from answer.check import verify
from answer.generate import make_generator
from answer.pipeline import Answerer
from answer.types import Passage
from commitments.chat import is_commitment_question
from index.search import Searcher
from index.store import load_index


@pytest.fixture(scope="module")
def answerer(real_index):
    settings, embedder = real_index
    return Answerer(Searcher(load_index(settings.index_dir), embedder), make_generator("extractive", settings), settings)


def grounded(answerer, a):
    for c in a.citations:  # verbatim at its span
        src = answerer._source(c.doc)
        assert "".join(c.quote.split()) == "".join(src[c.start:c.end].split()), c
    passages = [Passage(c.n, c.doc, c.quote, c.title, c.district, c.period, c.doc_type, (), c.start, c.end)
                for c in a.citations]
    text, checks = verify(a.text, passages)  # every sentence cited, every number in its cited quote
    assert text == a.text and not checks.removed_sentences


def test_family_doctor_target_and_reported_rate_are_both_quoted(answerer):
    a = answerer.answer("金山区承诺的家庭医生签约率目标是多少，实际达到多少？")
    assert a.generator == "commitments" and not a.refused
    assert "80%" in a.text and "49.13%" in a.text
    docs = {c.doc[:3] for c in a.citations}
    assert {"001", "002"} <= docs and "003" not in docs and "004" not in docs  # Jinshan only
    assert "已达到" not in a.text and "未达到" not in a.text  # a different indicator never decides
    grounded(answerer, a)


def test_five_year_plan_question_asserts_status_only_with_two_quotes(answerer):
    a = answerer.answer("十四五规划的目标完成了吗？")
    assert a.generator == "commitments"
    status_lines = [l for l in a.text.split("\n") if "已达到目标" in l or "未达到目标" in l]
    assert status_lines
    for line in status_lines:
        cited = {c.doc[:3] for c in a.citations if f"[{c.n}]" in line}
        assert len(cited) == 2, line  # the plan and the report
    grounded(answerer, a)


def test_other_questions_take_the_normal_pipeline(answerer):
    assert not is_commitment_question("金山区家庭医生签约率是多少？")
    assert not is_commitment_question("金山规划到2025年老年人健康管理率要达到多少？闵行2024年实际是多少？")  # two districts
    a = answerer.answer("金山区家庭医生签约率是多少？")
    assert a.generator != "commitments"
