"""The curated medical vocabulary file and its loader (no database)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from askwell.language.vocabulary import (
    DEFAULT_PATH,
    KINDS,
    Entry,
    Vocabulary,
    load_vocabulary,
    normalize,
)

TARGET_QUERY = "my mom was told she has MS, would having her plasma cleaned help?"


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return load_vocabulary()


def _found(vocabulary: Vocabulary, text: str) -> list[tuple[str, str]]:
    """(text the reader wrote, canonical term) for every expansion, in order."""
    return [(text[e.start : e.end], e.entry.canonical) for e in vocabulary.expand(text)]


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "vocabulary.tsv"
    path.write_text(body, encoding="utf-8")
    return path


# --- the shipped file -------------------------------------------------------------


def test_target_query_finds_multiple_sclerosis_and_plasmapheresis(vocabulary):
    # when
    expansions = vocabulary.expand(TARGET_QUERY)

    # then
    assert [(e.start, e.end, e.phrase, e.entry.canonical) for e in expansions] == [
        (24, 26, "MS", "multiple sclerosis"),
        (45, 59, "plasma cleaned", "plasmapheresis"),
    ]
    assert expansions[0].ambiguous is True
    assert expansions[1].ambiguous is False
    assert "multiple sclerosis" in expansions[0].equivalents
    assert "plasma exchange" in expansions[1].equivalents


@pytest.mark.parametrize(
    ("text", "matched", "canonical"),
    [
        ("heart attack", "heart attack", "myocardial infarction"),
        ("Heart-Attack", "Heart-Attack", "myocardial infarction"),
        ("two heart attacks", "heart attacks", "myocardial infarction"),
        ("Tylenol", "Tylenol", "acetaminophen"),
        ("plasma exchange", "plasma exchange", "plasmapheresis"),
        ("high blood pressure", "high blood pressure", "hypertension"),
        ("acid reflux", "acid reflux", "gastroesophageal reflux disease"),
        ("my sugar diabetes", "sugar diabetes", "diabetes mellitus"),
        ("an ear infection", "ear infection", "otitis media"),
        ("UTIs", "UTIs", "urinary tract infection"),
        ("shortness of breath", "shortness of breath", "dyspnea"),
        ("anaemia", "anaemia", "anemia"),
        ("oesophagus", "oesophagus", "esophagus"),
        ("an EKG", "EKG", "electrocardiogram"),
        ("spinal tap", "spinal tap", "lumbar puncture"),
        ("Crohn's disease", "Crohn's disease", "crohn disease"),
        ("Sjögren's syndrome", "Sjögren's syndrome", "sjogren syndrome"),
        ("Gilenya", "Gilenya", "fingolimod"),
        ("kidney", "kidney", "renal"),
    ],
)
def test_reader_words_expand_to_the_clinical_term(vocabulary, text, matched, canonical):
    assert _found(vocabulary, text) == [(matched, canonical)]


def test_myocardial_infarction_expands_to_mi_and_heart_attack(vocabulary):
    (expansion,) = vocabulary.expand("acute myocardial infarction last year")

    assert expansion.entry.canonical == "myocardial infarction"
    assert expansion.phrase == "acute myocardial infarction"
    assert {"myocardial infarction", "heart attack", "MI"} <= set(expansion.equivalents)
    assert "acute myocardial infarction" not in expansion.equivalents


def test_acetaminophen_equivalents_are_its_brands_and_generic_names(vocabulary):
    (expansion,) = vocabulary.expand("Tylenol")

    assert expansion.equivalents[0] == "acetaminophen"
    assert {"paracetamol", "apap"} <= set(expansion.equivalents)
    assert "tylenol" not in expansion.equivalents


def test_longest_match_wins_over_its_words(vocabulary):
    """One match for "heart attack", though "heart" alone is an entry too."""
    # given
    assert vocabulary.lookup("heart") == (Entry("cardiac", "anatomy", ("heart",)),)
    # when / then
    assert _found(vocabulary, "a heart attack and a weak heart") == [
        ("heart attack", "myocardial infarction"),
        ("weak heart", "heart failure"),
    ]
    assert _found(vocabulary, "my heart hurts") == [("heart", "cardiac")]


def test_matches_do_not_split_words(vocabulary):
    assert _found(vocabulary, "msg, mistake, atrial, tylenolx") == []


def test_genuinely_ambiguous_variant_expands_to_each_entry(vocabulary):
    expansions = vocabulary.expand("Zantac")

    assert [(e.start, e.end, e.entry.canonical) for e in expansions] == [
        (0, 6, "famotidine"),
        (0, 6, "ranitidine"),
    ]


def test_hundred_word_text_finds_every_phrase(vocabulary):
    # given
    text = (
        "My mother is 62 and was diagnosed with multiple sclerosis three years ago. "
        "She takes Tylenol for headaches and her neurologist mentioned plasma "
        "exchange because her relapses are getting worse. She also has high blood "
        "pressure, type 2 diabetes and had a heart attack last spring. Her doctor "
        "wants an MRI and a lumbar puncture. She is tired all the time, has trouble "
        "sleeping, and feels numbness and tingling in her legs. Would having her "
        "plasma cleaned help, or should she switch from Copaxone to Ocrevus? I am "
        "worried about side effects like infections and hair loss for her too."
    )
    assert len(text.split()) == 100

    # when
    found = _found(vocabulary, text)

    # then
    assert found == [
        ("multiple sclerosis", "multiple sclerosis"),
        ("Tylenol", "acetaminophen"),
        ("headaches", "headache"),
        ("plasma exchange", "plasmapheresis"),
        ("high blood pressure", "hypertension"),
        ("type 2 diabetes", "type 2 diabetes"),
        ("heart attack", "myocardial infarction"),
        ("MRI", "magnetic resonance imaging"),
        ("lumbar puncture", "lumbar puncture"),
        ("tired all the time", "fatigue"),
        ("trouble sleeping", "insomnia"),
        ("numbness", "hypoesthesia"),
        ("tingling", "paresthesia"),
        ("plasma cleaned", "plasmapheresis"),
        ("Copaxone", "glatiramer acetate"),
        ("Ocrevus", "ocrelizumab"),
        ("side effects", "side effect"),
        ("hair loss", "alopecia"),
    ]


def test_file_has_hundreds_of_entries_and_drugs(vocabulary):
    kinds = Counter(entry.kind for entry in vocabulary.entries)

    assert len(vocabulary.entries) >= 600
    assert kinds["drug"] >= 250
    assert set(kinds) == KINDS


def test_every_entry_has_variants_and_no_canonical_repeats(vocabulary):
    canonicals = [normalize(entry.canonical) for entry in vocabulary.entries]

    assert [c for c, n in Counter(canonicals).items() if n > 1] == []
    assert [e.canonical for e in vocabulary.entries if not e.variants] == []


def test_every_data_line_of_the_file_parses(vocabulary):
    lines = DEFAULT_PATH.read_text(encoding="utf-8").splitlines()
    data = [line for line in lines if line.strip() and not line.startswith("#")]

    assert len(data) == len(vocabulary.entries)
    assert all(line.count("\t") == 2 for line in data)
    assert lines[0].startswith("# ")


def test_terms_lists_every_canonical_and_variant(vocabulary):
    terms = vocabulary.terms()

    assert {"multiple sclerosis", "MS", "acetaminophen", "tylenol"} <= terms
    assert len(terms) == len(
        {name for entry in vocabulary.entries for name in entry.names}
    )


def test_load_vocabulary_is_cached():
    assert load_vocabulary() is load_vocabulary()


# --- parsing ------------------------------------------------------------------------


def test_loader_reads_comments_blank_lines_and_variants(tmp_path):
    # given
    path = _write(
        tmp_path,
        "# header\n\nplasmapheresis\tprocedure\tplasma exchange | tpe\n"
        "sneezing\tsymptom\t\n",
    )

    # when
    vocabulary = load_vocabulary(path)

    # then
    assert vocabulary.entries == (
        Entry("plasmapheresis", "procedure", ("plasma exchange", "tpe")),
        Entry("sneezing", "symptom", ()),
    )
    assert _found(vocabulary, "Plasma-exchanges or TPE?") == [
        ("Plasma-exchanges", "plasmapheresis"),
        ("TPE", "plasmapheresis"),
    ]


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (
            "asthma\tcondition\n",
            "line 2: expected 3 tab-separated columns (canonical, kind, variants), "
            "found 2",
        ),
        (
            "asthma\tcondition\twheeze\textra\n",
            "line 2: expected 3 tab-separated columns (canonical, kind, variants), "
            "found 4",
        ),
        (
            "asthma\tdisease\twheeze\n",
            "line 2: unknown kind 'disease'; expected one of anatomy, condition, "
            "drug, other, procedure, symptom, test",
        ),
        ("\tcondition\twheeze\n", "line 2: empty canonical term"),
        (
            "asthma\tcondition\twheeze||puffer\n",
            "line 2: empty variant in 'wheeze||puffer'",
        ),
        ("asthma\tcondition\t--\n", "line 2: '--' has no letters or digits"),
        (
            "asthma\tcondition\twheeze\nAsthma\tcondition\tpuffer\n",
            "line 3: canonical 'Asthma' duplicates the one on line 2",
        ),
    ],
)
def test_malformed_line_raises_with_path_and_line_number(tmp_path, body, problem):
    # given
    path = _write(tmp_path, "# comment\n" + body)

    # when
    with pytest.raises(ValueError, match=r"line \d+") as caught:
        load_vocabulary(path)

    # then
    assert str(caught.value) == f"{path} {problem}"
