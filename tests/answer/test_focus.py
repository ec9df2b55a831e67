"""The question's focus: rare nouns, not verbs or time words; glossary alternatives count as one; the
refusal asks the passages about the focus for the figure."""
from answer.evidence import rank_candidates
from answer.focus import focus_terms, speaks_of
from answer.refuse import decide
from answer.types import Passage
from index.query import understand

RARE = {"康宁", "康宁医院", "院区", "东院区", "二期"}


def share(term):
    """A made-up corpus: the named hospital is rare, the general topic words are everywhere."""
    return 0.01 if term in RARE else 0.3


def passage(n, text, section=()):
    return Passage(n, f"d{n}.txt", text, f"title {n}", "金山区", (2024, 2024), "highlights", section, 0, len(text))


def decision(question, passages):
    return decide(question, understand(question), passages, rank_candidates(question, passages), share=share)


def test_focus_is_the_rare_nouns_of_the_question():
    terms = focus_terms("康宁医院东院区规划多少张床位？", share)
    assert "院区" in terms and "床位" not in terms and "医院" not in terms


def test_verbs_and_time_words_are_not_focus_however_rare():
    assert focus_terms("今年计划建成几家基地？专家定期坐诊吗？", lambda t: 0.01) == ["专家", "基地", "计划"]


def test_an_english_glossary_row_is_rare_only_if_all_its_alternatives_are():
    # "general practitioners" → 全科医生 | 全科医师 | 全科: a passage saying 全科医生 speaks of it too.
    rare_spelling = {"全科医师": 0.01}
    assert focus_terms("How many general practitioners?", lambda t: rare_spelling.get(t, 0.2)) == []
    assert "全科医生" in focus_terms("How many general practitioners?", lambda t: 0.01)


def test_a_passage_speaks_of_a_term_in_its_section_heading_too():
    assert speaks_of(passage(1, "主体结构顺利封顶。", section=("康宁医院东院区",)), ["康宁医院"])
    assert not speaks_of(passage(1, "主体结构顺利封顶。"), ["康宁医院"])


def test_a_figure_about_other_things_does_not_answer_for_the_named_thing():
    passages = [passage(1, "康宁医院东院区主体结构顺利封顶。"), passage(2, "新设置社会办综合医院床位不少于100张。")]
    d = decision("康宁医院东院区规划多少张床位？", passages)
    assert d.refuse and "张" in d.reason and "康宁" in d.reason


def test_the_named_thing_with_its_figure_is_answered():
    passages = [passage(1, "康宁医院东院区规划床位600张。"), passage(2, "新设置社会办综合医院床位不少于100张。")]
    assert not decision("康宁医院东院区规划多少张床位？", passages).refuse


def test_nothing_is_required_when_no_passage_names_the_focus():
    # Another wording or an English name: the passages cannot be held to a term they never use.
    d = decision("康宁医院东院区规划多少张床位？", [passage(1, "新设置社会办综合医院床位不少于100张。")])
    assert not d.refuse


def test_each_sub_question_is_held_to_its_own_focus():
    passages = [passage(1, "康宁医院东院区规划床位600张。"), passage(2, "全区共有社区卫生服务中心11家。")]
    assert not decision("康宁医院东院区规划多少张床位？全区有几家社区卫生服务中心？", passages).refuse
    d = decision("全区有几家社区卫生服务中心？康宁医院东院区二期规划多少张床位？",
                 [passage(1, "康宁医院东院区二期主体结构顺利封顶。"), passage(2, "全区共有社区卫生服务中心11家，床位500张。")])
    assert d.refuse and "二期" in d.reason
