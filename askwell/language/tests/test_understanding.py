"""Question understanding: the focus (which topic a message is about) and the
type (what it asks). Pure functions over a phrase table built from rows."""

from __future__ import annotations

import pytest

from askwell.language import understanding
from askwell.language.text import WORD, words
from askwell.language.understanding import (
    _COMPILED,
    MAX_CORRECTIONS,
    MAX_SPELLING_CHECKS,
    TopicPhrases,
    _type_cue_positions,
    _without_background,
    find_focus,
    find_types,
    name_signature,
    understand,
)
from askwell.testing.work import lines_run

MS = 1
MI = 2
ACETAMINOPHEN = 3
DIABETES = 4
TYPE_2_DIABETES = 5
MS_TREATMENT = 6
GOUT = 7

TARGET_QUERY = "my mom was told she has MS, would having her plasma cleaned help?"


@pytest.fixture
def phrases() -> TopicPhrases:
    return TopicPhrases(
        [
            (MS, "Multiple Sclerosis", ["MS"], 5),
            (MI, "Myocardial infarction", ["heart attack"], 3),
            (ACETAMINOPHEN, "Acetaminophen", [], 1),
            (DIABETES, "Diabetes", ["diabetes mellitus"], 9),
            (TYPE_2_DIABETES, "Type 2 Diabetes", ["adult-onset diabetes"], 4),
            (MS_TREATMENT, "Multiple Sclerosis Treatment", ["MS therapy"], 2),
            (GOUT, "Gout", [], 2),
        ]
    )


def _focus_ids(text: str, phrases: TopicPhrases) -> list[int]:
    focus, _ = find_focus(text, phrases)
    return [match.topic_id for match in focus]


# --- focus ------------------------------------------------------------------------


def test_focus_is_found_by_topic_name(phrases):
    """A topic's name in the text, in any case, makes it the focus."""
    # when
    focus, _ = find_focus("What causes GOUT flares at night?", phrases)

    # then
    assert [(m.topic_id, m.name, m.phrase, m.via_vocabulary) for m in focus] == [
        (GOUT, "Gout", "gout", False)
    ]


def test_focus_is_found_by_other_name(phrases):
    """A topic's other name ("heart attack") finds the topic it belongs to."""
    # when
    focus, _ = find_focus(
        "How long does it take to recover from a heart attack?", phrases
    )

    # then
    assert [(m.topic_id, m.name, m.phrase) for m in focus] == [
        (MI, "Myocardial infarction", "heart attack")
    ]


def test_reader_message_finds_multiple_sclerosis_through_ms(phrases):
    """The target question: a lay message naming "MS" is about multiple sclerosis,
    and its plasma words expand to the clinical term for the lexical search."""
    # when
    focus, expansions = find_focus(TARGET_QUERY, phrases)

    # then
    assert [m.topic_id for m in focus] == [MS]
    assert focus[0].name == "Multiple Sclerosis"
    assert "multiple sclerosis" in expansions
    assert "plasmapheresis" in expansions
    assert "plasma exchange" in expansions


def test_vocabulary_finds_a_topic_whose_names_lack_the_readers_word():
    """Without "MS" among the topic's other names, the curated vocabulary's
    "MS" = "multiple sclerosis" still finds the topic."""
    # given
    phrases = TopicPhrases([(MS, "Multiple Sclerosis", [], 5), (GOUT, "Gout", [], 2)])

    # when
    focus, _ = find_focus(TARGET_QUERY, phrases)

    # then
    assert [(m.topic_id, m.phrase, m.via_vocabulary) for m in focus] == [
        (MS, "MS", True)
    ]


@pytest.mark.parametrize(
    ("text", "topic_id", "matched"),
    [
        ("Can I take Tylenol for a headache?", ACETAMINOPHEN, "Tylenol"),
        ("Is paracetamol safe for children?", ACETAMINOPHEN, "paracetamol"),
        ("My dad had a heart attack last spring", MI, "heart attack"),
        ("What is a Heart-Attack?", MI, "Heart-Attack"),
    ],
)
def test_brand_and_lay_names_find_the_clinical_topic_through_the_vocabulary(
    text, topic_id, matched
):
    """Brand names and lay words find a topic named only by its clinical term."""
    # given
    phrases = TopicPhrases(
        [
            (MI, "Myocardial infarction", [], 3),
            (ACETAMINOPHEN, "Acetaminophen", [], 1),
        ]
    )

    # when
    focus, _ = find_focus(text, phrases)

    # then
    assert [(m.topic_id, m.phrase, m.via_vocabulary) for m in focus] == [
        (topic_id, matched, True)
    ]


def test_tylenol_finds_nothing_without_an_acetaminophen_topic():
    """The vocabulary only points at topics that exist."""
    # given
    phrases = TopicPhrases([(GOUT, "Gout", [], 2)])

    # when
    focus, expansions = find_focus("Can I take Tylenol for a headache?", phrases)

    # then
    assert focus == []
    assert "acetaminophen" in expansions


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Can type 2 diabetes be reversed?", [TYPE_2_DIABETES]),
        (
            "What are the newest multiple sclerosis treatment options?",
            [MS_TREATMENT, MS],
        ),
        ("Is MS therapy covered by insurance?", [MS_TREATMENT, MS]),
    ],
)
def test_longest_match_wins(phrases, text, expected):
    """A longer topic name beats the shorter one it contains ("type 2 diabetes",
    not "diabetes"); the words it covers are not matched again."""
    assert _focus_ids(text, phrases) == expected


def test_topic_with_most_questions_wins_a_shared_name():
    """Two topics with the same name: the one with more questions is the focus."""
    # given
    phrases = TopicPhrases([(10, "Gout", [], 1), (11, "Gout", ["podagra"], 7)])

    # when
    focus, _ = find_focus("Is gout hereditary?", phrases)

    # then
    assert [m.topic_id for m in focus] == [11]


@pytest.mark.parametrize(
    "text",
    [
        "What time does the library open on Sundays?",
        "Thanks so much for your help last week!",
        "",
        "?!…",
    ],
)
def test_text_without_medical_words_has_no_focus(phrases, text):
    """Everyday text names no topic and expands to nothing."""
    assert find_focus(text, phrases) == ([], [])


def test_single_stopword_and_short_names_never_match():
    """A topic named by a stopword or a lone letter is not matched on every message."""
    # given
    phrases = TopicPhrases([(20, "A", ["the", "7"], 1), (GOUT, "Gout", [], 2)])

    # when
    focus, _ = find_focus("What is the outlook for a person with gout at 7?", phrases)

    # then
    assert [m.topic_id for m in focus] == [GOUT]


def test_focus_is_limited_to_three_topics():
    """At most three topics: of matches of equal length, the earliest first."""
    # given
    phrases = TopicPhrases(
        [
            (1, "Gout", [], 1),
            (2, "Psoriasis", [], 1),
            (3, "Eczema", [], 1),
            (4, "Celiac disease", [], 1),
        ]
    )

    # when
    focus, _ = find_focus("Gout, psoriasis, eczema or celiac disease?", phrases)

    # then
    assert [(m.topic_id, m.position) for m in focus] == [(4, 4), (1, 0), (2, 1)]


def test_focus_order_does_not_depend_on_a_topics_other_names():
    """ "Gout" and "diabetes" are one word each: the earlier one leads, whether or
    not the Diabetes topic also lists "diabetes mellitus"."""
    # given
    plain = TopicPhrases([(GOUT, "Gout", [], 1), (DIABETES, "Diabetes", [], 1)])
    with_synonym = TopicPhrases(
        [(GOUT, "Gout", [], 1), (DIABETES, "Diabetes", ["diabetes mellitus"], 1)]
    )
    text = "Does gout raise the risk of diabetes?"

    # when
    plain_ids = _focus_ids(text, plain)
    with_synonym_ids = _focus_ids(text, with_synonym)

    # then
    assert plain_ids == [GOUT, DIABETES]
    assert with_synonym_ids == [GOUT, DIABETES]


def test_topic_in_the_subject_line_beats_a_longer_one_in_passing():
    """A long message names much in passing; the topic of its first sentence
    (a subject line) and named again is what it is about."""
    # given
    phrases = TopicPhrases(
        [(1, "Thalassemia", [], 1), (2, "Blood transfusions", [], 1)]
    )
    text = (
        "Thalassemia treatment. My friend has thalassemia and gets blood "
        "transfusions every month. Is there anything else?"
    )

    # when / then
    assert _focus_ids(text, phrases) == [1, 2]


def test_topic_in_the_question_beats_one_in_the_background():
    """Of two one-word topics, the one in the sentence that asks leads."""
    # given
    phrases = TopicPhrases([(1, "Asthma", [], 1), (2, "Chemotherapy", [], 1)])
    text = "Hello there. I finished chemotherapy last year. Why is my asthma worse now?"

    # when / then
    assert _focus_ids(text, phrases) == [1, 2]


def test_topic_named_only_by_question_type_words_ranks_last():
    """ "Side effects" says what is asked, not what about: a topic it names
    (here one called Drug Reactions) comes after the drug."""
    # given
    phrases = TopicPhrases(
        [(1, "Drug Reactions", ["side effects"], 1), (2, "Simvastatin", [], 1)]
    )

    # when
    ids = _focus_ids("What are the side effects of simvastatin?", phrases)

    # then
    assert ids == [2, 1]


def test_topic_named_as_an_other_name_yields_to_the_topic_of_that_name():
    """ "Acetaminophen" names the Acetaminophen topic before the more answered
    topic that only lists it as an other name."""
    # given
    phrases = TopicPhrases(
        [
            (1, "Acetaminophen dosing for children", ["acetaminophen"], 9),
            (2, "Acetaminophen", [], 1),
        ]
    )

    # when / then
    assert _focus_ids("Is acetaminophen safe with an ulcer?", phrases) == [2]


# --- type ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "qtype"),
    [
        ("How is psoriasis treated?", "treatment"),
        ("What is the best way to get rid of warts?", "treatment"),
        ("Is there a cure for tinnitus?", "treatment"),
        ("What causes gout?", "causes"),
        ("Why do I get migraines after eating chocolate?", "causes"),
        ("What are the symptoms of Lyme disease?", "symptoms"),
        ("What does a heart attack feel like?", "symptoms"),
        ("How is celiac disease diagnosed?", "exams and tests"),
        ("What test shows whether I have hepatitis C?", "exams and tests"),
        ("How can I prevent kidney stones?", "prevention"),
        ("Is there a vaccine to prevent HPV?", "prevention"),
        ("What is the life expectancy with stage 4 pancreatic cancer?", "outlook"),
        ("What is the prognosis for someone with ALS?", "outlook"),
        ("Who is at risk for osteoporosis?", "susceptibility"),
        (
            "Am I more likely to get breast cancer if my mother had it?",
            "susceptibility",
        ),
        ("Is hemophilia inherited?", "inheritance"),
        ("Does Huntington disease run in families?", "inheritance"),
        ("Can diabetes be passed down to my kids?", "inheritance"),
        ("What are the side effects of metformin?", "side effects"),
        ("What are the adverse effects of statins?", "side effects"),
        ("What is the usual dose of amoxicillin for a child?", "dose"),
        ("How many milligrams of melatonin should I take?", "dose"),
        ("Can I take ibuprofen with lisinopril?", "interactions with medications"),
        ("Does Tylenol interact with warfarin?", "interactions with medications"),
        ("Should I take levothyroxine on an empty stomach?", "usage"),
        ("How do I use an asthma inhaler correctly?", "usage"),
        ("How common is celiac disease?", "frequency"),
        ("Is it safe to take ibuprofen while pregnant?", "contraindication"),
        ("What is lupus?", "information"),
        ("What can I give my father to help him sleep?", "treatment"),
        ("Any advice for my mouth ulcers?", "treatment"),
        ("I need information on hypothyroidism.", "information"),
        ("Please send me any info about Lewy body dementia", "information"),
    ],
)
def test_question_type_of_realistic_questions(question, qtype):
    """The top type of a reader's question follows its wording."""
    # when
    types = find_types(question)

    # then
    assert types[0][0] == qtype


@pytest.mark.parametrize(
    ("question", "qtype"),
    [
        pytest.param(
            "How much ibuprofen can I take in a day?",
            "dose",
        ),
        pytest.param(
            "How long does the flu last?",
            "outlook",
        ),
    ],
)
def test_question_type_of_common_phrasings_the_rules_miss(question, qtype):
    """Everyday ways of asking about dose and outlook get their type."""
    # when
    types = find_types(question)

    # then
    assert types[:1] == [(qtype, 2.0)]


@pytest.mark.parametrize(
    ("question", "qtype"),
    [
        ("My fasting sugar reads 165 in the morning. How can I lower it?", "treatment"),
        ("Please send me some exercises for a stroke survivor.", "treatment"),
        ("Can you suggest books about low blood pressure?", "information"),
        ("Do you offer any written pamplets on hernias?", "information"),
    ],
)
def test_asking_how_to_bring_something_down_or_for_reading_matter(question, qtype):
    """ "How can I lower it", exercises for a condition, books and pamphlets
    (even misspelled) say what the reader wants."""
    assert find_types(question)[0][0] == qtype


def test_question_without_type_words_has_no_type():
    """A bare statement with no question wording yields no type."""
    assert find_types("Gout in my left toe") == []


def test_question_sentence_counts_double():
    """A sentence ending with "?" scores twice the same words in a statement."""
    # when
    asked = find_types("What are the side effects of metformin?")
    stated = find_types("Metformin side effects")

    # then
    assert asked == [("side effects", 2.4), ("information", 1.0)]
    assert stated == [("side effects", 1.2)]


def test_in_a_long_message_the_question_sentence_decides_the_type():
    """Background sentences about diagnosis and tests do not outweigh the one
    sentence that asks about side effects."""
    # given
    background = (
        "My father is 72 and was diagnosed with type 2 diabetes five years ago. "
        "He takes metformin twice a day and walks every morning. "
        "Last month his doctor said his kidneys are not working as well as before "
        "and ordered more blood tests. "
    )
    question = "What are the side effects of metformin on the kidneys?"

    # when
    background_only = find_types(background)
    whole = find_types(background + question)

    # then: only "blood tests" counts; "was diagnosed with" tells the story
    assert background_only[0] == ("exams and tests", 0.9)
    assert whole[0] == ("side effects", 2.4)
    assert [t for t, _ in whole] == ["side effects", "information", "exams and tests"]


def test_long_message_asking_about_heredity_is_inheritance():
    """Treatments, tests and scans in the story; the question asks about family."""
    # given
    message = (
        "I have had headaches for years and my sister has migraines too. "
        "I tried ibuprofen and rest. "
        "Lately they come with flashing lights, and I have been reading about "
        "treatments, tests and scans. "
        "Could this be passed down in our family?"
    )

    # when
    types = find_types(message)

    # then
    assert types[0] == ("inheritance", 2.0)


# --- both ---------------------------------------------------------------------------


class _Corrections:
    """A Spelling over a fixed table (FocusSpelling, which reads the index, is
    tested in test_engine). Words in the table and words starting with "zz"
    are unknown; every lookup is recorded."""

    def __init__(self, table: dict[str, str]) -> None:
        self.table = table
        self.asked: list[str] = []

    def known(self, word: str) -> bool:
        return word not in self.table and not word.startswith("zz")

    def correct(self, word: str) -> str | None:
        self.asked.append(word)
        return self.table.get(word)


def test_a_misspelling_that_completes_a_topic_name_finds_the_topic(phrases):
    # when
    focus, expansions = find_focus(
        "Is there a cure for multiple sklerosis?",
        phrases,
        spelling=_Corrections({"sklerosis": "sclerosis"}),
    )

    # then: matched with the correction, reported in the reader's words
    assert [m.topic_id for m in focus] == [MS]
    assert focus[0].phrase == "multiple sklerosis"
    assert focus[0].length == 2
    assert "sclerosis" in expansions


def test_a_correction_that_completes_no_topic_name_changes_nothing(phrases):
    text = "My gout is pretty bad again."
    plain = find_focus(text, phrases)

    corrected = find_focus(text, phrases, spelling=_Corrections({"pretty": "petty"}))

    assert corrected == plain
    assert [m.topic_id for m in corrected[0]] == [GOUT]
    assert "petty" not in corrected[1]


def test_only_the_longest_unknown_words_are_looked_up(phrases):
    # given: ten unknown words of different lengths, each said twice
    unknown = [f"zz{'q' * i}" for i in range(10)]
    spelling = _Corrections({})

    # when
    find_focus(" ".join(unknown * 2) + " gout", phrases, spelling=spelling)

    # then
    assert spelling.asked == unknown[::-1][:MAX_CORRECTIONS]


def test_whether_a_word_is_known_is_asked_once_and_for_few_words(phrases):
    """Asking may query the lexical index: once per distinct word, for at
    most MAX_SPELLING_CHECKS words of a message however long."""

    class Counting(_Corrections):
        def known(self, word: str) -> bool:
            self.checked.append(word)
            return super().known(word)

    spelling = Counting({})
    spelling.checked = []
    text = " ".join(f"word{n:04d}" for n in range(1_000)) * 3

    # when
    find_focus(text, phrases, spelling=spelling)

    # then
    assert len(spelling.checked) == len(set(spelling.checked)) == MAX_SPELLING_CHECKS


def test_being_diagnosed_with_a_condition_is_the_story_not_a_question_about_tests():
    assert find_types("I was recently diagnosed with glaucoma.") == []
    assert find_types("My mother got diagnosed as diabetic last year.") == []
    assert find_types("How is glaucoma diagnosed?")[0][0] == "exams and tests"
    assert find_types("Which tests confirm the diagnosis?")[0][0] == "exams and tests"


@pytest.mark.parametrize(
    "message",
    [
        "Can you mail me some information on glaucoma? I was just diagnosed.",
        "Do you have any pamphlets about osteoporosis?",
        "I want to know everything about lupus, please send me information.",
    ],
)
def test_asking_for_material_to_read_is_an_information_question(message):
    assert find_types(message)[0][0] == "information"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Wilson disease", "Wilson's Disease"),
        ("Spastic paraplegia 11", "spastic paraplegia type 11"),
        ("Paget disease of bone", "Pagets disease of the bone"),
        ("Lung cancer - small cell", "Small Cell Lung Cancer"),
        ("Arrhythmia", "Arrhythmias"),
        ("Hartnup disease", "Hartnup disorder"),
    ],
)
def test_names_that_differ_only_in_form_have_one_signature(first, second):
    assert name_signature(first) == name_signature(second)
    assert name_signature(first)[0]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Blood", "Blood Disorders"),
        ("Niemann-Pick disease", "Niemann-Pick disease type A"),
        ("Type 1 Diabetes", "Type 2 Diabetes"),
        ("Diabetes", "Diabetes insipidus"),
        ("Pitt-Hopkins syndrome", "Pitt-Hopkins-like syndrome"),
        ("Heart attack", "Heart failure"),
    ],
)
def test_different_names_keep_different_signatures(first, second):
    assert name_signature(first) != name_signature(second)


def test_words_ending_in_double_s_are_not_plurals():
    assert name_signature("Stress")[0] == frozenset(["stress"])
    assert name_signature("Tremors")[0] == frozenset(["tremor"])


def test_names_of_numbers_and_kinds_only_have_no_signature():
    assert name_signature("Type 2")[0] == frozenset()
    assert name_signature("Syndrome")[0] == frozenset()


def test_topics_named_the_same_are_found_as_one_condition():
    # given
    phrases = TopicPhrases(
        [
            (1, "Wilson disease", [], 3),
            (2, "Wilson's Disease", ["hepatolenticular degeneration"], 5),
            (3, "Wilson syndrome", [], 1),
            (4, "Gout", [], 2),
        ]
    )

    # then
    assert sorted(phrases.same_as(1)) == [2, 3]
    assert sorted(phrases.same_as(2)) == [1, 3]
    assert phrases.same_as(4) == []


def test_understand_combines_focus_type_and_expansions(phrases):
    """understand() gives the focus ids, the best type and the vocabulary terms."""
    # when
    understanding = understand(TARGET_QUERY, phrases)

    # then
    assert understanding.focus_ids == [MS]
    assert understanding.type == "treatment"
    assert understanding.types == (("treatment", 1.6),)
    assert "plasmapheresis" in understanding.expansions


def test_understand_empty_text():
    """Nothing to understand in an empty message."""
    # when
    understanding = understand("", TopicPhrases([]))

    # then
    assert understanding.focus_ids == []
    assert understanding.type is None
    assert understanding.expansions == ()


# --- cost: linear in the text -------------------------------------------------------


def test_focus_reads_the_text_a_bounded_number_of_times(phrases, monkeypatch):
    """A vocabulary match's word position comes from one pass over the text,
    not from counting the words before each match again (which made a long
    message with many matches quadratic: issue 13)."""
    # given: a long message naming a topic through the vocabulary many times
    text = "My dad had a heart attack last year. " * 2_000
    read = []
    original = understanding.words
    monkeypatch.setattr(
        understanding, "words", lambda t: read.append(len(t)) or original(t)
    )

    # when
    focus, _ = find_focus(text, phrases)

    # then
    assert [m.topic_id for m in focus] == [MI]
    assert sum(read) <= 6 * len(text)


@pytest.mark.parametrize(
    "unit",
    [
        "What causes it? ",
        "How is gout treated and what are the side effects of the pills? ",
        "I was diagnosed with lupus. ",
    ],
)
def test_type_cues_are_found_in_one_sweep(unit):
    """Four times the text runs about four times the lines (not sixteen)."""
    # when
    short, _ = lines_run(lambda: _type_cue_positions(unit * 200), [understanding])
    long, _ = lines_run(lambda: _type_cue_positions(unit * 800), [understanding])

    # then
    assert long <= 4.5 * short


@pytest.mark.parametrize(
    "text",
    [
        "What causes gout? My doctor said to avoid beer. Is it genetic?",
        "Straße İstanbul: was the heart attack due to stress? ß ß ß heart attack",
        "side effects, side-effects... how long will it last?\nNo cure?",
    ],
)
def test_word_positions_and_cues_match_counting_them_one_by_one(text):
    # given
    folded = text.casefold()
    starts = [m.start() for m in WORD.finditer(text)]

    # when
    word_index = understanding._word_index(text)
    cues = _type_cue_positions(text)

    # then
    assert [word_index(s) for s in starts] == [len(words(text[:s])) for s in starts]
    lowered = _without_background(folded)
    spans = [m.span() for _, p, _ in _COMPILED for m in p.finditer(lowered)]
    assert cues == {
        i
        for i, w in enumerate(WORD.finditer(lowered))
        if any(a <= w.start() < b for a, b in spans)
    }
