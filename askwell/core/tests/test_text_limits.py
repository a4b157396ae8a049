"""Every text a person sends has a limit (askwell/lib/limits.py), checked
before anything reads the text: over it, a clear per-field message."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.urls import reverse

from askwell.accounts.forms import ApiTokenForm, SignInForm
from askwell.accounts.tests.factories import UserFactory
from askwell.experts.forms import ApplicationForm, MemberForm, RejectForm
from askwell.lib import limits
from askwell.lib.limits import length_message
from askwell.moderation.forms import (
    AuditFilterForm,
    DeleteAccountForm,
    DuplicateForm,
    FlagForm,
    ReasonForm,
)
from askwell.questions.forms import (
    AnswerForm,
    AskForm,
    CommentForm,
    EditAnswerForm,
    EditQuestionForm,
    EndorseForm,
    RestoreForm,
)
from askwell.review.forms import DecisionForm, QueueFilterForm

pytestmark = pytest.mark.django_db


@pytest.fixture
def asker(db):
    return UserFactory(username="asker")


ASK = reverse("questions:ask")
TOPICS = reverse("questions:suggest-topics")
PREVIEW = reverse("questions:preview")
SIMILAR = reverse("search-similar")


def _no_kwargs() -> dict[str, Any]:
    return {}


def _with_contributors() -> dict[str, Any]:
    return {"contributors": []}


# (form, its keyword arguments, field, limit): every text field of every form.
FORM_FIELDS = [
    (AskForm, _no_kwargs, "title", limits.QUESTION_TITLE),
    (AskForm, _no_kwargs, "details", limits.QUESTION_DETAILS),
    (EditQuestionForm, _no_kwargs, "title", limits.QUESTION_TITLE),
    (EditQuestionForm, _no_kwargs, "details", limits.QUESTION_DETAILS),
    (EditQuestionForm, _no_kwargs, "reason", limits.EDIT_REASON),
    (AnswerForm, _with_contributors, "body", limits.ANSWER_BODY),
    (AnswerForm, _with_contributors, "references", limits.REFERENCES),
    (EditAnswerForm, _with_contributors, "body", limits.ANSWER_BODY),
    (EditAnswerForm, _with_contributors, "references", limits.REFERENCES),
    (EditAnswerForm, _with_contributors, "reason", limits.EDIT_REASON),
    (EndorseForm, _with_contributors, "reason", limits.ENDORSEMENT_REASON),
    (CommentForm, _no_kwargs, "body", limits.COMMENT),
    (RestoreForm, _no_kwargs, "reason", limits.EDIT_REASON),
    (FlagForm, _no_kwargs, "text", limits.FLAG_TEXT),
    (ReasonForm, _no_kwargs, "reason", limits.MODERATION_REASON),
    (DuplicateForm, _no_kwargs, "original", 500),
    (DuplicateForm, _no_kwargs, "reason", limits.MODERATION_REASON),
    (DeleteAccountForm, _no_kwargs, "confirmation", 100),
    (AuditFilterForm, _no_kwargs, "action", 64),
    (AuditFilterForm, _no_kwargs, "actor", 150),
    (DecisionForm, _no_kwargs, "note", limits.REVIEW_NOTE),
    (QueueFilterForm, _no_kwargs, "specialty", 120),
    (ApplicationForm, _no_kwargs, "full_name", 200),
    (ApplicationForm, _no_kwargs, "credentials", 100),
    (ApplicationForm, _no_kwargs, "degree", 200),
    (ApplicationForm, _no_kwargs, "licence_number", 100),
    (ApplicationForm, _no_kwargs, "licence_issuer", 200),
    (ApplicationForm, _no_kwargs, "specialty", 120),
    (ApplicationForm, _no_kwargs, "evidence_url", 500),
    (RejectForm, _no_kwargs, "reason", limits.REJECTION_REASON),
    (MemberForm, _no_kwargs, "username", 150),
    (ApiTokenForm, _no_kwargs, "name", 100),
]


def _form(form_class: type[forms.Form], kwargs: dict[str, Any], data: dict) -> Any:
    if form_class is SignInForm:
        return form_class(None, data)
    return form_class(data, **kwargs)


@pytest.mark.parametrize(
    ("form_class", "kwargs", "field", "limit"),
    FORM_FIELDS,
    ids=[f"{f.__name__}.{name}" for f, _, name, _ in FORM_FIELDS],
)
def test_every_text_field_refuses_one_character_over_its_limit(
    form_class, kwargs, field, limit
):
    # given: the longest text the field takes, and one character more
    fits, over = "x" * limit, "x" * (limit + 1)
    if form_class is ApplicationForm and field == "evidence_url":
        prefix = "https://example.org/"
        fits, over = prefix + fits[len(prefix) :], prefix + over[len(prefix) :]

    # when
    accepted = _form(form_class, kwargs(), {field: fits})
    refused = _form(form_class, kwargs(), {field: over})
    accepted.is_valid()
    refused.is_valid()

    # then
    assert [e.code for e in accepted.errors.as_data().get(field, [])] != ["max_length"]
    assert [e.code for e in refused.errors.as_data()[field]] == ["max_length"]
    assert refused.errors[field] == [length_message(limit, limit + 1)]


def test_the_sign_in_form_bounds_the_account_name():
    form = SignInForm(None, {"login": "x" * 255, "password": "p"})

    assert [e.code for e in form.errors.as_data()["login"]] == ["max_length"]
