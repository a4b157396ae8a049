"""Every text a person sends has a limit (askwell/lib/limits.py), checked
before anything reads the text: over it, a clear per-field message, the
text shown again, and no analysis run. The aids that analyse a question or
an answer while it is typed (topic suggestions, similar questions, the
answer preview) also refuse oversized requests unread and are rate-limited.
"""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.core.cache import cache
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from askwell.accounts.forms import ApiTokenForm, SignInForm
from askwell.experts.forms import ApplicationForm, InvitationForm, RejectForm
from askwell.lib import limits
from askwell.lib.limits import first_unencodable, length_message
from askwell.moderation.forms import (
    AuditFilterForm,
    DeleteAccountForm,
    DuplicateForm,
    FlagForm,
    ReasonForm,
)
from askwell.questions import forms as question_forms
from askwell.questions import views as question_views
from askwell.questions import writing
from askwell.questions.forms import (
    AnswerForm,
    AskForm,
    CommentForm,
    EditAnswerForm,
    EditQuestionForm,
    EndorseForm,
    PreviewForm,
    QuestionDraftForm,
    RestoreForm,
)
from askwell.questions.models import Question
from askwell.review.forms import DecisionForm, QueueFilterForm
from askwell.search import views as search_views
from askwell.search.templatetags import search_tags
from askwell.search.views import SearchForm, SimilarForm
from askwell.topics.models import TopicQuerySet

pytestmark = pytest.mark.django_db


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
    (QuestionDraftForm, _no_kwargs, "title", limits.QUESTION_TITLE),
    (QuestionDraftForm, _no_kwargs, "details", limits.QUESTION_DETAILS),
    (AnswerForm, _with_contributors, "body", limits.ANSWER_BODY),
    (AnswerForm, _with_contributors, "references", limits.REFERENCES),
    (EditAnswerForm, _with_contributors, "body", limits.ANSWER_BODY),
    (EditAnswerForm, _with_contributors, "references", limits.REFERENCES),
    (EditAnswerForm, _with_contributors, "reason", limits.EDIT_REASON),
    (PreviewForm, _no_kwargs, "body", limits.ANSWER_BODY),
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
    (InvitationForm, _no_kwargs, "username", 150),
    (ApiTokenForm, _no_kwargs, "name", 100),
    (SearchForm, _no_kwargs, "q", limits.SEARCH_QUERY),
    (SimilarForm, _no_kwargs, "q", limits.QUESTION_TEXT),
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


# --- the ask page: bounded first, then analysed -------------------------------------


@pytest.fixture
def spies(monkeypatch) -> dict[str, list]:
    """Records each call of the analyses the ask page and its aids run."""
    calls: dict[str, list] = {
        "focus": [],
        "emergency": [],
        "personal": [],
        "topic names": [],
    }

    def focus(text, *args, **kwargs):
        calls["focus"].append(text)
        return [], []

    monkeypatch.setattr(search_tags, "find_focus", focus)
    monkeypatch.setattr(
        question_views,
        "suggests_emergency",
        lambda text: calls["emergency"].append(text) or False,
    )
    for module in (question_forms, search_views):
        monkeypatch.setattr(
            module,
            "personal_detail_labels",
            lambda text: calls["personal"].append(text) or [],
        )
    monkeypatch.setattr(
        TopicQuerySet,
        "matching",
        lambda topics, words: calls["topic names"].append(words) or topics.none(),
    )
    return calls


@pytest.mark.parametrize("size", [limits.QUESTION_DETAILS + 1, 400_000])
def test_ask_page_refuses_oversize_details_before_any_analysis(
    client, expert, spies, size
):
    """Issue 13: 50–400 KB of details made topic suggestions quadratic
    (seconds per post). Over the limit, nothing reads the text; the form
    says why and shows the text again."""
    # given
    client.force_login(expert)
    details = "My knee hurts after running. " * (size // 29) + "x" * (size % 29)

    # when
    response = client.post(ASK, {"title": "Why does my knee hurt?", "details": details})

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert length_message(limits.QUESTION_DETAILS, size) in html
    assert details in html
    assert spies["focus"] == spies["personal"] == []
    assert set(spies["emergency"]) == {""}
    assert not Question.objects.exists()


def test_ask_page_analyses_text_within_the_limits(client, expert, spies):
    # given
    client.force_login(expert)
    details = "x" * limits.QUESTION_DETAILS

    # when
    client.post(ASK, {"title": "Knee pain", "details": details})

    # then: the form refused the title, the aids still read the question
    assert spies["focus"] == [f"Knee pain\n{details}"]


# --- the aids that run while a question or an answer is typed ------------------------


@pytest.fixture
def typing_limits(settings):
    """Two requests a minute for the aids, from a fresh count."""
    settings.ASKWELL_RATE_LIMITS = {
        **settings.ASKWELL_RATE_LIMITS,
        "typing": {"user": "2/m", "ip": "2/m"},
        "preview": {"user": "2/m", "ip": "2/m"},
    }
    cache.clear()
    yield
    cache.clear()


def test_topic_suggestions_need_an_account_that_may_ask(client):
    response = client.get(TOPICS, {"title": "Does gout run in families?"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"title": "x" * 301}, "Title: " + length_message(300, 301)),
        ({"details": "x" * 10_001}, "Details: " + length_message(10_000, 10_001)),
        ({"find": "x" * 201}, "Find: " + length_message(200, 201)),
    ],
)
def test_topic_suggestions_refuse_a_field_over_its_limit_unread(
    client, asker, spies, params, message
):
    # given
    client.force_login(asker)

    # when
    response = client.get(TOPICS, params)

    # then
    assert response.status_code == 400
    assert message in response.content.decode()
    assert spies["focus"] == spies["topic names"] == []


def test_similar_questions_refuse_a_field_over_its_limit_unread(client, monkeypatch):
    # given
    called = []
    monkeypatch.setattr(
        search_views.engine, "similar_questions", lambda *a, **k: called.append(a)
    )

    # when
    response = client.get(SIMILAR, {"q": "x" * (limits.QUESTION_TEXT + 1)})

    # then
    assert response.status_code == 400
    assert length_message(limits.QUESTION_TEXT, limits.QUESTION_TEXT + 1) in (
        response.content.decode()
    )
    assert called == []


@pytest.mark.parametrize("url", [TOPICS, SIMILAR])
def test_aids_refuse_an_oversized_query_string_without_parsing_it(
    client, asker, spies, monkeypatch, url
):
    """Larger than any valid request could be: 413 from the request line
    alone, before the query string is parsed."""
    # given
    client.force_login(asker)
    parsed = []
    monkeypatch.setattr(QuestionDraftForm, "__init__", lambda *a, **k: parsed.append(1))

    # when
    response = client.get(url, {"details": "x" * 300_000})

    # then
    assert response.status_code == 413
    assert parsed == spies["focus"] == []


@pytest.mark.parametrize("url", [TOPICS, SIMILAR])
def test_aids_are_rate_limited(client, asker, typing_limits, url):
    # given
    client.force_login(asker)

    # when
    statuses = [client.get(url, {"title": "Gout?"}).status_code for _ in range(3)]

    # then
    assert statuses == [200, 200, 429]


def test_preview_needs_an_account(client):
    """Issue 13: the preview was anonymous and unlimited."""
    response = client.post(PREVIEW, {"body": "Rest helps."})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_preview_is_rate_limited(client, expert, typing_limits):
    # given
    client.force_login(expert)

    # when
    statuses = [client.post(PREVIEW, {"body": "Rest."}).status_code for _ in range(3)]

    # then
    assert statuses == [200, 200, 429]


def test_preview_refuses_a_body_over_the_answer_limit_unread(
    client, expert, monkeypatch
):
    # given
    client.force_login(expert)
    rendered = []
    monkeypatch.setattr(writing, "render_markdown", lambda s: rendered.append(s))

    # when
    response = client.post(PREVIEW, {"body": "x" * (limits.ANSWER_BODY + 1)})

    # then
    assert response.status_code == 400
    assert length_message(limits.ANSWER_BODY, limits.ANSWER_BODY + 1) in (
        response.content.decode()
    )
    assert rendered == []


def test_preview_refuses_an_oversized_body_without_reading_it(
    client, expert, monkeypatch
):
    # given
    client.force_login(expert)
    read = []
    monkeypatch.setattr(PreviewForm, "__init__", lambda *a, **k: read.append(1))

    # when
    response = client.post(PREVIEW, {"body": "x" * question_views.PREVIEW_BYTES})

    # then
    assert response.status_code == 413
    assert read == []


def test_preview_renders_the_markdown_once(client, expert, monkeypatch):
    """The HTML, the reading level and the jargon come from one rendering
    (it used to render three times)."""
    # given
    client.force_login(expert)
    rendered = []
    original = writing.render_markdown
    monkeypatch.setattr(
        writing, "render_markdown", lambda s: rendered.append(s) or original(s)
    )

    # when
    response = client.post(PREVIEW, {"body": "After a myocardial infarction, rest."})

    # then
    assert response.status_code == 200
    assert "<mark>myocardial infarction</mark>" in response.content.decode()
    assert len(rendered) == 1


# --- bytes that are not text, sent to the pages -------------------------------------


def test_invalid_utf8_and_nul_in_a_page_form_are_handled_without_an_error(
    client, expert
):
    """A lone surrogate cannot travel in UTF-8: its bytes (%ED%A0%80) are
    not valid UTF-8, and Django decodes them as U+FFFD, which is stored as
    sent. A NUL character is refused with a message."""
    # given
    client.force_login(expert)
    body = "title=Is+%ED%A0%80+safe%3F&details=fine&personal_details=keep"

    # when
    stored = client.post(ASK, body, content_type="application/x-www-form-urlencoded")
    refused = client.post(ASK, {"title": "Is this safe?", "details": "a\x00b"})

    # then
    assert stored.status_code == 302
    assert Question.objects.get().title == "Is \ufffd\ufffd\ufffd safe?"
    assert refused.status_code == 200
    assert "Null characters are not allowed." in refused.content.decode()


# --- any text at all (hypothesis) ---------------------------------------------------

# Letters, digits, punctuation, spaces, controls and lone surrogates (Cs).
ANY_CHARACTER = st.characters(
    codec=None, categories=("Lu", "Ll", "Nd", "Po", "Ps", "Pe", "Sm", "Zs", "Cc", "Cs")
)
NESTING = ["[", "![[", "[![", "> ", "- ", "*a", "**", "_", "`"]


def _hostile(limit: int) -> st.SearchStrategy[str]:
    """Short text of any character, text around the limit with a surrogate
    or NUL somewhere, and Markdown nesting up to and over the limit."""
    return st.one_of(
        st.text(ANY_CHARACTER, max_size=40),
        st.tuples(
            st.integers(limit - 2, limit + 2),
            st.sampled_from(["", "\ud800", "\udfff", "\x00"]),
            st.integers(0, limit),
        ).map(lambda t: ("x" * t[0])[: t[2]] + t[1] + ("x" * t[0])[t[2] :]),
        st.tuples(st.sampled_from(NESTING), st.integers(limit - 2, limit + 2)).map(
            lambda t: (t[0] * t[1])[: t[1]]
        ),
    )


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_text_breaks_a_form_field_and_each_refusal_says_why(data):
    """Over the limit: max_length; within it but not storable (a lone
    surrogate): unencodable; never an exception."""
    # given
    form_class, kwargs, name, limit = data.draw(st.sampled_from(FORM_FIELDS))
    text = data.draw(_hostile(limit))

    # when
    form = _form(form_class, kwargs(), {name: text})
    form.is_valid()

    # then
    field = form.fields[name]
    sent = len(text.strip() if field.strip else text)
    codes = [e.code for e in form.errors.as_data().get(name, [])]
    if sent > limit:
        assert codes == ["max_length"]
    elif first_unencodable(text) is not None:
        assert codes == ["unencodable"]
    else:
        assert "max_length" not in codes
        assert "unencodable" not in codes
