"""Personal details in a question: found, labelled, removable; ordinary
health numbers (doses, blood pressure, ages) are left alone."""

from __future__ import annotations

import pytest

from askwell.lib import pii
from askwell.lib.pii import find_personal_details, remove_personal_details
from askwell.testing.work import lines_run


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        (
            "Write to jane.doe+ms@example.co.uk please",
            "email",
            "jane.doe+ms@example.co.uk",
        ),
        ("Call 555-123-4567 after six", "phone", "555-123-4567"),
        ("my number is (020) 7946 0958", "phone", "(020) 7946 0958"),
        ("ring +44 20 7946 0958", "phone", "+44 20 7946 0958"),
        ("I was born 03/14/1962 in Ohio", "date_of_birth", "03/14/1962"),
        ("DOB: 1962-03-14", "date_of_birth", "1962-03-14"),
        ("born on 14 March 1962", "date_of_birth", "14 March 1962"),
        ("born March 14th, 1962", "date_of_birth", "March 14th, 1962"),
        ("we live at 42 Elm Street now", "address", "42 Elm Street"),
        ("my MRN: A1234567 at the clinic", "record", "MRN: A1234567"),
        ("NHS number 943 476 5919", "record", "NHS number 943 476 5919"),
        ("SSN 123-45-6789", "record", "SSN 123-45-6789"),
        ("it is 123-45-6789", "ssn", "123-45-6789"),
    ],
)
def test_personal_details_are_found(text, kind, found):
    findings = find_personal_details(text)

    assert [(f.kind, f.text) for f in findings][:1] == [(kind, found)]


@pytest.mark.parametrize(
    "text",
    [
        "I take 50 mg twice a day since 2019",
        "My blood pressure was 140/90 and my sugar 7.5 mmol/L",
        "I am 45 years old, 5 ft 10 and 180 lbs",
        "Stage 3 colon cancer, diagnosed in March 2021",
        "Is 1,000 IU of vitamin D too much?",
        "",
    ],
)
def test_ordinary_health_numbers_are_not_personal_details(text):
    assert find_personal_details(text) == []


def test_removal_replaces_each_detail_and_keeps_the_rest():
    text = "Email jo@example.com or call 555-123-4567. Born 03/14/1962. Is my rash bad?"

    assert remove_personal_details(text) == (
        "Email [removed] or call [removed]. Born [removed]. Is my rash bad?"
    )


def test_findings_come_in_reading_order_with_their_labels():
    findings = find_personal_details("555-123-4567 then jo@example.com")

    assert [(f.label, f.start) for f in findings] == [
        ("a phone number", 0),
        ("an email address", 18),
    ]


# --- cost: linear in the text -------------------------------------------------------


@pytest.mark.parametrize(
    "unit",
    ["mrn number ", "call 555-123-4567 or jo@example.com. ", "42 Elm Street, "],
)
def test_many_findings_are_checked_against_each_other_in_one_pass(unit):
    """Four times the text runs about four times the lines (not sixteen):
    a finding is compared with its neighbours, not with every other."""
    # when
    short, found = lines_run(lambda: find_personal_details(unit * 250), [pii])
    long, _ = lines_run(lambda: find_personal_details(unit * 1_000), [pii])

    # then
    assert len(found) >= 250
    assert long <= 4.5 * short


def test_the_part_of_an_email_address_before_the_at_is_at_most_64_characters():
    """RFC 5321's bound; unbounded, each start in a long run of "a.a.a…"
    rescanned the rest of the run (quadratic)."""
    # given
    longest = "a" * 64 + "@example.com"

    # then
    assert [f.text for f in find_personal_details(f"write to {longest}")] == [longest]
    assert find_personal_details("write to " + "a" * 65 + "@example.com") == []


@pytest.mark.parametrize(
    "text",
    [
        "mrn:12345",
        "MRN : A1234567",
        "record number #  AB-12345",
        "patient id 1234 5678",
    ],
)
def test_record_numbers_are_found_with_any_spacing_around_the_colon(text):
    assert [f.kind for f in find_personal_details(text)] == ["record"]
