from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest

from askwell.importers.medquad import (
    SOURCES,
    MedquadDocument,
    MedquadError,
    QAPair,
    ReadError,
    answer_to_markdown,
    count_members,
    parse_document,
    read_medquad,
)
from askwell.testing import medquad_sample
from askwell.testing.datasets import MEDQUAD_SAMPLE, shared_data

# One file per folder, plus every file whose schema differs from the common one
# (all in the carried sample, askwell/testing/medquad_sample.py).
SAMPLES = [
    "1_CancerGov_QA/0000001_1.xml",
    "2_GARD_QA/0000004.xml",
    "3_GHR_QA/0000001.xml",
    "4_MPlus_Health_Topics_QA/0000001.xml",
    "5_NIDDK_QA/0000001.xml",
    "6_NINDS_QA/0000001.xml",
    "7_SeniorHealth_QA/0000001.xml",
    "8_NHLBI_QA_XML/0000001.xml",
    "9_CDC_QA/0000001.xml",
    "10_MPlus_ADAM_QA/0000001.xml",
    "11_MPlusDrugs_QA/0000001.xml",
    "12_MPlusHerbsSupplements_QA/0000001.xml",
    # <doc docid corpus>, <doctitle-focus>, <qaPairs>, <pair>, lower-case children
    "6_NINDS_QA/0000007.xml",
    "6_NINDS_QA/0000018.xml",
    "6_NINDS_QA/0000182.xml",
    "6_NINDS_QA/0000244.xml",
    # <DiseaseFile fid source>
    "9_CDC_QA/0000397.xml",
    # empty <QAPairs>
    "5_NIDDK_QA/0000056.xml",
    "5_NIDDK_QA/0000064.xml",
    "5_NIDDK_QA/0000065.xml",
    "5_NIDDK_QA/0000077.xml",
    "5_NIDDK_QA/0000175.xml",
    "5_NIDDK_QA/0000177.xml",
]

GOOD_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<Document id="0000009" source="GARD" url="https://example.org/x">
<Focus>Example  syndrome</Focus>
<FocusAnnotations><UMLS><CUIs><CUI>C0000001</CUI></CUIs>
<SemanticTypes><SemanticType>T047</SemanticType></SemanticTypes>
<SemanticGroup>Disorders</SemanticGroup></UMLS>
<Synonyms><Synonym>ES</Synonym></Synonyms></FocusAnnotations>
<QAPairs>
<QAPair pid="1"><Question qid="0000009-1" qtype="information">What is
  Example syndrome ?</Question><Answer>It is rare.  It is mild.</Answer></QAPair>
<QAPair pid="3"><Question qid="0000009-3" qtype="treatment">How to treat it ?</Question><Answer/></QAPair>
</QAPairs>
</Document>
"""

BROKEN_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<Document id="1" source="GARD" url="">
<Focus>Broken</Focus>
<QAPairs>
<QAPair pid="1"><Question qid="1-1">Oops</Answer></QAPair>
</QAPairs>
</Document>
"""


@pytest.fixture(scope="module")
def archive() -> Path:
    """The whole MedQuAD archive, from the shared data folder (corpus tier)."""
    return shared_data() / "medquad.tar.gz"


@pytest.fixture(scope="module")
def samples() -> dict[str, MedquadDocument]:
    """The SAMPLES files of the carried sample, parsed."""
    return {
        name: parse_document(name, (MEDQUAD_SAMPLE / name).read_bytes())
        for name in SAMPLES
    }


# Real files ------------------------------------------------------------------


@pytest.mark.parametrize(
    (
        "path",
        "source",
        "doc_id",
        "url",
        "focus",
        "category",
        "cuis",
        "types",
        "synonyms",
    ),
    [
        (
            "1_CancerGov_QA/0000001_1.xml",
            "CancerGov",
            "0000001_1",
            "https://www.cancer.gov/types/leukemia/patient/adult-all-treatment-pdq",
            "Adult Acute Lymphoblastic Leukemia",
            "",
            ("C0751606",),
            ("T191",),
            (),
        ),
        (
            "2_GARD_QA/0000004.xml",
            "GARD",
            "0000004",
            "https://rarediseases.info.nih.gov/gard/335/abcd-syndrome",
            "ABCD syndrome",
            "",
            ("C1838099",),
            ("T047",),
            (
                "Albinism, Black lock, Cell migration disorder of the neurocytes "
                "of the gut and Deafness",
            ),
        ),
        (
            "3_GHR_QA/0000001.xml",
            "GHR",
            "0000001",
            "https://ghr.nlm.nih.gov/condition/aarskog-scott-syndrome",
            "Aarskog-Scott syndrome",
            "",
            ("C0175701",),
            ("T019", "T047"),
            (
                "Aarskog syndrome",
                "AAS",
                "Facio-digito-genital dysplasia",
                "Faciogenital dysplasia",
            ),
        ),
        (
            "4_MPlus_Health_Topics_QA/0000001.xml",
            "MPlusHealthTopics",
            "0000001",
            "https://www.nlm.nih.gov/medlineplus/a1c.html",
            "A1C",
            "Other",
            (),
            (),
            ("Glycohemoglobin", "HbA1C", "Hemoglobin A1C test"),
        ),
        (
            "5_NIDDK_QA/0000001.xml",
            "NIDDK",
            "0000001",
            "http://www.niddk.nih.gov/health-information/health-topics/endocrine/acromegaly/Pages/fact-sheet.aspx",
            "Acromegaly",
            "",
            ("C0001206",),
            ("T047",),
            (),
        ),
        (
            "6_NINDS_QA/0000001.xml",
            "NINDS",
            "0000001",
            "http://www.ninds.nih.gov/disorders/absence_septum_pellucidum/absence_septum_pellucidum.htm",
            "Absence of the Septum Pellucidum",
            "",
            ("C0431371",),
            ("T019",),
            (),
        ),
        (
            "7_SeniorHealth_QA/0000001.xml",
            "NIHSeniorHealth",
            "0000001",
            "http://nihseniorhealth.gov/agerelatedmaculardegeneration/toc.html",
            "Age-related Macular Degeneration",
            "",
            ("C0242383",),
            ("T047",),
            (),
        ),
        (
            "8_NHLBI_QA_XML/0000001.xml",
            "NHLBI",
            "0000001",
            "http://www.nhlbi.nih.gov/health/health-topics/topics/aat",
            "Alpha-1 Antitrypsin Deficiency",
            "",
            ("C0221757", "C3501835"),
            ("T047",),
            (),
        ),
        (
            "9_CDC_QA/0000001.xml",
            "CDC",
            "0000001",
            "http://www.cdc.gov/parasites/acanthamoeba/",
            "Acanthamoeba - Granulomatous Amebic Encephalitis (GAE); Keratitis",
            "",
            (),
            (),
            (),
        ),
        (
            "10_MPlus_ADAM_QA/0000001.xml",
            "ADAM",
            "0000001",
            "https://www.nlm.nih.gov/medlineplus/ency/patientinstructions/000823.htm",
            "A guide to clinical trials for cancer",
            "Disease",
            ("C0006826",),
            ("T191",),
            ("Intervention study",),
        ),
        (
            "11_MPlusDrugs_QA/0000001.xml",
            "MPlusDrugs",
            "0000001",
            "https://www.nlm.nih.gov/medlineplus/druginfo/meds/a699012.html",
            "Abacavir",
            "Drug",
            (),
            (),
            (),
        ),
        (
            "12_MPlusHerbsSupplements_QA/0000001.xml",
            "MPlusHerbsSupplements",
            "0000001",
            "https://www.nlm.nih.gov/medlineplus/druginfo/natural/269.html",
            "Activated Charcoal",
            "Drug",
            (),
            (),
            (),
        ),
        (
            "9_CDC_QA/0000397.xml",
            "CDC",
            "0000397",
            "http://www.cdc.gov/parasites/taeniasis/",
            "Parasites - Taeniasis",
            "",
            (),
            (),
            (),
        ),
        (
            "6_NINDS_QA/0000007.xml",
            "NINDS",
            "0000007",
            "http://www.ninds.nih.gov/disorders/holmes_adie/holmes_adie.htm",
            "Holmes-Adie",
            "",
            (),
            (),
            (),
        ),
    ],
)
def test_document_fields_from_every_folder_and_variant(
    samples, path, source, doc_id, url, focus, category, cuis, types, synonyms
):
    # given
    document = samples[path]

    # then
    assert document.path == path
    assert document.source == source
    assert document.doc_id == doc_id
    assert document.url == url
    assert document.focus == focus
    assert document.category == category
    assert document.cuis == cuis
    assert document.semantic_types == types
    assert document.semantic_group == ("Disorders" if cuis else "")
    assert document.synonyms == synonyms
    assert source in SOURCES


@pytest.mark.parametrize(
    ("path", "qtypes"),
    [
        (
            "1_CancerGov_QA/0000001_1.xml",
            ["information", "symptoms", "exams and tests", "outlook", "susceptibility", "stages", "treatment"],
        ),
        ("2_GARD_QA/0000004.xml", ["symptoms"]),
        ("3_GHR_QA/0000001.xml", ["information", "frequency", "genetic changes", "inheritance", "treatment"]),
        ("4_MPlus_Health_Topics_QA/0000001.xml", ["information"]),
        ("6_NINDS_QA/0000007.xml", ["information", "treatment", "outlook", "research"]),
        ("6_NINDS_QA/0000018.xml", ["information", "treatment", "outlook", "research"]),
        ("6_NINDS_QA/0000182.xml", ["information", "treatment", "outlook", "research"]),
        ("6_NINDS_QA/0000244.xml", ["information", "treatment", "outlook", "research"]),
        ("8_NHLBI_QA_XML/0000001.xml", ["information", "causes", "susceptibility", "symptoms", "exams and tests", "treatment", "prevention"]),
        ("9_CDC_QA/0000397.xml", ["information", "susceptibility", "exams and tests", "treatment", "prevention"]),
    ],
)  # fmt: skip
def test_pairs_keep_their_qtypes_in_file_order(samples, path, qtypes):
    # given
    document = samples[path]

    # then
    assert [pair.qtype for pair in document.pairs] == qtypes
    assert [pair.position for pair in document.pairs] == list(range(1, len(qtypes) + 1))
    assert all(pair.question and pair.answer for pair in document.pairs)


def test_position_not_pid_numbers_the_external_id(samples):
    # given: A.D.A.M. keeps only some of the original sections, so pids have gaps
    document = samples["10_MPlus_ADAM_QA/0000001.xml"]

    # then
    assert [(p.position, p.pid, p.qid) for p in document.pairs] == [
        (1, "1", "0000001-1"),
        (2, "2", "0000001-2"),
        (3, "3", "0000001-3"),
        (4, "6", "0000001-6"),
        (5, "7", "0000001-7"),
    ]
    assert [p.external_id for p in document.pairs] == [
        f"ADAM_0000001_Sec{n}" for n in range(1, 6)
    ]


@pytest.mark.parametrize(
    ("path", "position", "external_id"),
    [
        ("2_GARD_QA/0000004.xml", 1, "GARD_0000004_Sec1"),
        ("1_CancerGov_QA/0000001_1.xml", 2, "CancerGov_0000001_1_Sec2"),
        ("7_SeniorHealth_QA/0000001.xml", 2, "NIHSeniorHealth_0000001_Sec2"),
        ("6_NINDS_QA/0000244.xml", 4, "NINDS_0000244_Sec4"),
        ("9_CDC_QA/0000397.xml", 5, "CDC_0000397_Sec5"),
        ("12_MPlusHerbsSupplements_QA/0000001.xml", 8, "MPlusHerbsSuppls_0000001_Sec8"),
    ],
)
def test_external_ids(samples, path, position, external_id):
    # given
    pair = samples[path].pairs[position - 1]

    # then
    assert pair.position == position
    assert pair.external_id == external_id


@pytest.mark.parametrize(
    ("path", "count"),
    [
        ("10_MPlus_ADAM_QA/0000001.xml", 5),
        ("11_MPlusDrugs_QA/0000001.xml", 12),
        ("12_MPlusHerbsSupplements_QA/0000001.xml", 8),
    ],
)
def test_medlineplus_copyright_subsets_have_questions_without_answers(
    samples, path, count
):
    # given
    document = samples[path]

    # then
    assert len(document.pairs) == count
    assert [pair.answer for pair in document.pairs] == [""] * count
    assert all(pair.question.endswith("?") for pair in document.pairs)


@pytest.mark.parametrize(
    "path",
    [
        p
        for p in SAMPLES
        if p.startswith("5_NIDDK_QA/") and p != "5_NIDDK_QA/0000001.xml"
    ],
)
def test_empty_qapairs_is_a_document_without_pairs(samples, path):
    # given
    document = samples[path]

    # then
    assert document.source == "NIDDK"
    assert document.focus
    assert document.pairs == ()


def test_questions_are_whitespace_normalized_and_qtype_kept(samples):
    # given
    pairs = samples["6_NINDS_QA/0000018.xml"].pairs

    # then
    assert pairs[0].question == "what is amyotrophic lateral sclerosis (als)?"
    assert pairs[0].qtype == "information"
    assert samples["4_MPlus_Health_Topics_QA/0000001.xml"].pairs[0].question == (
        "Do you have information about A1C"
    )


def test_real_answers_become_markdown_lists_and_paragraphs(samples):
    # given
    ghr_treatment = samples["3_GHR_QA/0000001.xml"].pairs[4]
    cancer_symptoms = samples["1_CancerGov_QA/0000001_1.xml"].pairs[1]
    gard_symptoms = samples["2_GARD_QA/0000004.xml"].pairs[0]

    # then
    assert ghr_treatment.answer == (
        "These resources address the diagnosis or management of Aarskog-Scott syndrome:\n"
        "\n"
        "- Genetic Testing Registry: Aarskog syndrome\n"
        "- MedlinePlus Encyclopedia: Aarskog syndrome\n"
        "\n"
        "These resources from MedlinePlus offer information about the diagnosis and "
        "management of various health conditions:\n"
        "\n"
        "- Diagnostic Tests\n"
        "- Drug Therapy\n"
        "- Surgery and Rehabilitation\n"
        "- Genetic Counseling\n"
        "- Palliative Care"
    )
    assert cancer_symptoms.answer.splitlines()[2:5] == [
        "- Weakness or feeling tired.",
        "- Fever or night sweats.",
        "- Easy bruising or bleeding.",
    ]
    assert cancer_symptoms.answer.endswith(
        "- Having many infections.\n\nThese and other signs and symptoms may be "
        "caused by adult acute lymphoblastic leukemia or by other conditions."
    )
    assert gard_symptoms.answer.split("\n\n")[0] == (
        "What are the signs and symptoms of ABCD syndrome?"
    )
    assert "Signs and Symptoms:\n\n- Abnormal auditory evoked potentials\n" in (
        gard_symptoms.answer
    )


# Hand-made input -------------------------------------------------------------


def test_parse_document_reads_a_hand_made_file():
    # when
    document = parse_document("2_GARD_QA/0000009.xml", GOOD_XML)

    # then
    assert document == MedquadDocument(
        path="2_GARD_QA/0000009.xml",
        source="GARD",
        doc_id="0000009",
        url="https://example.org/x",
        focus="Example syndrome",
        category="",
        cuis=("C0000001",),
        semantic_types=("T047",),
        semantic_group="Disorders",
        synonyms=("ES",),
        pairs=(
            QAPair(
                position=1,
                pid="1",
                qid="0000009-1",
                qtype="information",
                question="What is Example syndrome ?",
                answer="It is rare.\n\nIt is mild.",
                external_id="GARD_0000009_Sec1",
            ),
            QAPair(
                position=2,
                pid="3",
                qid="0000009-3",
                qtype="treatment",
                question="How to treat it ?",
                answer="",
                external_id="GARD_0000009_Sec2",
            ),
        ),
    )


def test_malformed_xml_is_reported_with_its_line():
    # when
    with pytest.raises(MedquadError) as raised:
        parse_document("2_GARD_QA/broken.xml", BROKEN_XML)

    # then
    assert raised.value.line == 5
    assert raised.value.message == (
        "malformed XML: mismatched tag, at line 5, column 43"
    )


def test_document_without_qapairs_is_an_error():
    # given
    data = b'<Document id="1" source="GHR" url=""><Focus>X</Focus></Document>'

    # when
    with pytest.raises(MedquadError) as raised:
        parse_document("3_GHR_QA/x.xml", data)

    # then
    assert raised.value.message == "no QAPairs element"
    assert raised.value.line is None


def test_invalid_utf8_is_reported_as_such():
    # given: Latin-1 "é" in a file that declares UTF-8
    data = GOOD_XML.replace(b"Example  syndrome", b"Caf\xe9 syndrome")

    # when
    with pytest.raises(MedquadError) as raised:
        parse_document("2_GARD_QA/x.xml", data)

    # then
    assert raised.value.line == 3
    assert raised.value.message == (
        "not valid UTF-8 (byte 0xe9 at offset 115), at line 3, column 11"
    )


@pytest.mark.parametrize("data", [b"", b"  \n\t"])
def test_empty_file_is_an_error(data):
    # when
    with pytest.raises(MedquadError) as raised:
        parse_document("2_GARD_QA/x.xml", data)

    # then
    assert raised.value.message == "empty file"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'<Document id="1"><QAPairs/></Document>', "no source attribute on the root element"),
        (b'<Document source="WebMD"><QAPairs/></Document>', "unknown source 'WebMD'"),
        (b'<html source="GARD"><QAPairs/></html>', "unexpected root element <html>, expected <Document>"),
        (b'<Document source="GARD"><QAPairs><QAPair pid="1"><Answer>x</Answer></QAPair></QAPairs></Document>', "pair 1 has no Question element"),
        (
            b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
            b'<Document source="GARD"><Focus>&b;</Focus><QAPairs/></Document>',
            "DOCTYPE and ENTITY declarations are not allowed",
        ),
    ],
)  # fmt: skip
def test_structural_problems_are_errors(data, message):
    # when
    with pytest.raises(MedquadError) as raised:
        parse_document("2_GARD_QA/x.xml", data)

    # then
    assert raised.value.message == message


def test_read_medquad_reports_a_broken_file_and_goes_on(tmp_path):
    # given
    folder = tmp_path / "MedQuAD" / "2_GARD_QA"
    folder.mkdir(parents=True)
    (folder / "0000009.xml").write_bytes(GOOD_XML)
    (folder / "0000010.xml").write_bytes(BROKEN_XML)
    (tmp_path / "MedQuAD" / "readme.txt").write_text("not a document")

    # when
    results = list(read_medquad(tmp_path / "MedQuAD"))

    # then
    assert [type(result) for result in results] == [MedquadDocument, ReadError]
    assert results[0].path == "2_GARD_QA/0000009.xml"
    assert results[1] == ReadError(
        path="2_GARD_QA/0000010.xml",
        line=5,
        message="malformed XML: mismatched tag, at line 5, column 43",
    )
    assert count_members(tmp_path / "MedQuAD") == 2
    assert count_members(tmp_path) == 2


def test_read_medquad_reads_a_tar_gz_in_natural_order(tmp_path):
    # given
    archive = tmp_path / "medquad.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for name, data in [
            (
                "medquad/10_MPlus_ADAM_QA/0000009.xml",
                GOOD_XML.replace(b"GARD", b"ADAM"),
            ),
            ("medquad/2_GARD_QA/0000009.xml", GOOD_XML),
            ("medquad/2_GARD_QA/._0000009.xml", b"\x00\x05\x16\x07 resource fork"),
            ("medquad/readme.txt", b"MedQuAD"),
            ("medquad/2_GARD_QA/empty.xml", b""),
        ]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))

    # when
    results = list(read_medquad(archive))

    # then
    assert [(r.path, type(r).__name__) for r in results] == [
        ("2_GARD_QA/0000009.xml", "MedquadDocument"),
        ("2_GARD_QA/empty.xml", "ReadError"),
        ("10_MPlus_ADAM_QA/0000009.xml", "MedquadDocument"),
    ]
    assert results[2].pairs[0].external_id == "ADAM_0000009_Sec1"
    assert count_members(archive) == 3


def test_a_damaged_archive_yields_what_it_read_and_an_error(tmp_path):
    # given: a valid archive cut short in the middle of its second member
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name in ("2_GARD_QA/0000009.xml", "2_GARD_QA/0000010.xml"):
            info = tarfile.TarInfo(name)
            info.size = len(GOOD_XML)
            tar.addfile(info, io.BytesIO(GOOD_XML))
    archive = tmp_path / "cut.tar"
    archive.write_bytes(buffer.getvalue()[:1200])

    # when
    results = list(read_medquad(archive))

    # then
    assert [type(result) for result in results] == [MedquadDocument, ReadError]
    assert results[1].path == "cut.tar"
    assert results[1].message.startswith("archive damaged after 1 files: ")


# answer_to_markdown ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "markdown"),
    [
        # Bullets after a run of spaces, list ended by a wider run.
        (
            "Symptoms include:  - Fever  - Cough   See a doctor.",
            "Symptoms include:\n\n- Fever\n- Cough\n\nSee a doctor.",
        ),
        # Bullets glued after a colon or a sentence.
        ("Steps to take: - Rest. - Drink fluids.", "Steps to take:\n\n- Rest.\n- Drink fluids."),
        # Glued bullet after "include", and the list echoed as run-on text.
        (
            "Tests include - urine tests  - blood tests. urine tests blood tests. Ask.",
            "Tests include\n\n- urine tests\n- blood tests.\n\nAsk.",
        ),
        # Sub-items under an item that introduces them.
        (
            "Key Points\n - Two types are used:    - Surgery     - Chemotherapy    - Follow-up tests may be needed.",
            "Key Points\n\n- Two types are used:\n  - Surgery\n  - Chemotherapy\n- Follow-up tests may be needed.",
        ),
        # Unmarked items, one per line, after a colon (NHLBI).
        ("Risks:\nSmoking\nOld age\nThat is all.", "Risks:\n\n- Smoking\n- Old age\n\nThat is all."),
        ("Do this:\n1. Rest\n2. Drink", "Do this:\n\n1. Rest\n2. Drink"),
    ],
)  # fmt: skip
def test_answer_lists(text, markdown):
    assert answer_to_markdown(text) == markdown


@pytest.mark.parametrize(
    ("text", "markdown"),
    [
        ("First paragraph.  Second paragraph.", "First paragraph.\n\nSecond paragraph."),
        ("Overview\n   \n  Text here.", "Overview\n\nText here."),
        # Two spaces after every sentence is typing style, not paragraphs.
        ("One.  Two words.  Three words.  Four.", "One. Two words. Three words. Four."),
        # A run of spaces inside a sentence is only a space.
        ("diagnosed in  men and  women.", "diagnosed in men and women."),
        ("What causes it? Nobody knows.", "What causes it?\n\nNobody knows."),
        ("Summary : A1C is a test.    NIH: National Institute", "A1C is a test.\n\nNIH: National Institute"),
        ("Espaol\n\nText.", "Text."),
        ("Same text.\n\nSame text.", "Same text."),
        ("", ""),
    ],
)  # fmt: skip
def test_answer_paragraphs(text, markdown):
    assert answer_to_markdown(text) == markdown


@pytest.mark.parametrize(
    ("text", "markdown"),
    [
        ("Take <b>one</b> tablet.<br>Then rest &amp; drink.", "Take one tablet.\n\nThen rest & drink."),
        ("Rest&nbsp;well.<p>Drink.</p>", "Rest well.\n\nDrink."),
        ("&lt;ul&gt;&lt;li&gt;Rest&lt;/li&gt;&lt;/ul&gt;", "- Rest"),
        ("It is GABA-T.[1] Mutations[2, 3] cause it.", "It is GABA-T. Mutations cause it."),
        ("Risk is low (<10%) or 20210G>A.", "Risk is low (<10%) or 20210G>A."),
    ],
)  # fmt: skip
def test_answer_stray_markup(text, markdown):
    assert answer_to_markdown(text) == markdown


@pytest.mark.parametrize(
    ("text", "markdown"),
    [
        ("#1 cause is *not* known_ yet", "\\#1 cause is \\*not\\* known\\_ yet"),
        ("1986. A good year.", "1986\\. A good year."),
        ("> quoted", "\\> quoted"),
        (
            "Use <script> or [x](http://y) or `z`",
            "Use \\<script> or [x\\](http://y) or \\`z\\`",
        ),
        (
            "A snake_case_name & ~~old~~ &amp;copy;",
            "A snake_case_name & \\~\\~old\\~\\~ \\&copy;",
        ),
        ("Date: ____\n____", "Date: \\_\\_\\_\\_\n\n\\_\\_\\_\\_"),
    ],
)
def test_answer_markdown_escaping(text, markdown):
    assert answer_to_markdown(text) == markdown


def test_gard_symptom_table():
    # given
    text = (
        "You can use the Dictionary. Signs and Symptoms Approximate number of "
        "patients (when available) Seizures 90% Short stature 7.5% Ataxia 5/12 "
        "Autosomal recessive inheritance - Hip dysplasia - The Human Phenotype "
        "Ontology (HPO) has collected information."
    )

    # when
    markdown = answer_to_markdown(text)

    # then
    assert markdown == (
        "You can use the Dictionary.\n"
        "\n"
        "| Signs and Symptoms | Approximate number of patients (when available) |\n"
        "| --- | --- |\n"
        "| Seizures | 90% |\n"
        "| Short stature | 7.5% |\n"
        "| Ataxia | 5/12 |\n"
        "| Autosomal recessive inheritance |  |\n"
        "| Hip dysplasia |  |\n"
        "\n"
        "The Human Phenotype Ontology (HPO) has collected information."
    )


# The whole collection (corpus tier) -------------------------------------------


@pytest.mark.corpus("medquad.tar.gz")
def test_whole_collection_accounts_for_every_pair(archive):
    # when
    results = list(read_medquad(archive))

    # then
    documents = [r for r in results if isinstance(r, MedquadDocument)]
    assert [r for r in results if isinstance(r, ReadError)] == []
    assert len(results) == 11_274 == count_members(archive)
    assert sum(len(d.pairs) for d in documents) == 47_457
    assert {d.source for d in documents} == set(SOURCES)
    assert len({p.external_id for d in documents for p in d.pairs}) == 47_457
    assert results[0].path == "1_CancerGov_QA/0000001_1.xml"
    assert results[-1].path == "12_MPlusHerbsSupplements_QA/0000099.xml"


@pytest.mark.corpus("medquad.tar.gz")
def test_the_carried_sample_is_cut_from_the_archive(archive):
    """Every file of askwell/testing/data/medquad/ is byte for byte the
    archive's: rebuild it with `python -m askwell.testing.medquad_sample`."""
    assert medquad_sample.carried() == medquad_sample.cut(archive)


def test_the_sample_covers_every_source_and_variant():
    """The carried sample holds every file these tests and the import tests
    read, and a document of each of the 12 sources."""
    # when
    results = list(read_medquad(MEDQUAD_SAMPLE))

    # then
    assert [r for r in results if isinstance(r, ReadError)] == []
    assert sorted(r.path for r in results) == sorted(medquad_sample.FILES)
    assert set(SAMPLES) <= set(medquad_sample.FILES)
    assert {r.source for r in results} == set(SOURCES)
