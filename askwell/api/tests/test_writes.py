"""Write endpoints follow the pages' rules: the same permission per role,
the same validation, the same rate limits; a refused write changes nothing."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core import mail
from django.core.cache import cache
from django.test import Client

from askwell.accounts.actions import revoke_api_token
from askwell.accounts.models import ApiToken
from askwell.accounts.tests.factories import UserFactory
from askwell.experts.tests.factories import (
    BookFactory,
    ContributorFactory,
    MembershipFactory,
    OrganizationFactory,
)
from askwell.moderation.models import Flag
from askwell.questions.models import (
    Answer,
    Endorsement,
    HelpfulMark,
    Question,
    Revision,
)
from askwell.questions.tests.factories import AnswerFactory, QuestionFactory
from askwell.topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db

TITLE = "Can plasma exchange help multiple sclerosis?"
BODY = "Plasma exchange can help some people with severe relapses of MS."


def _content() -> dict[str, list[dict]]:
    """Every row of the content tables, to prove a refusal changed nothing."""
    labels = [
        "questions.Question",
        "questions.Answer",
        "questions.Revision",
        "questions.HelpfulMark",
        "questions.Endorsement",
        "questions.Reference",
        "moderation.Flag",
    ]
    return {
        label: list(apps.get_model(label).objects.order_by("pk").values())
        for label in labels
    }


@pytest.fixture
def question(asker):
    return QuestionFactory(title=TITLE, asker=asker, status="open")


@pytest.fixture
def answer(question, other_expert):
    return AnswerFactory(
        question=question, contributor=other_expert.contributor, author=other_expert
    )


# --- authentication -----------------------------------------------------------------


def test_asking_with_a_token_posts_as_its_owner(call, asker, token_for):
    # given
    topic = TopicFactory(name="Multiple sclerosis")

    # when
    response = call(
        "post",
        "/questions",
        token=token_for(asker),
        body={"title": TITLE, "details": "My mother has MS.", "topics": [topic.pk]},
    )

    # then
    assert response.status == 201, response.body
    question = Question.objects.get()
    assert response.body["id"] == question.pk
    assert response.body["asker"] == "asker"
    assert (question.asker, question.title, question.status) == (asker, TITLE, "open")
    assert list(question.topics.all()) == [topic]
    assert Revision.objects.get(question=question).reason == "Asked"


@pytest.mark.parametrize(
    ("header", "code"),
    [
        (None, "not_authenticated"),
        ("Bearer askw_not-a-real-token", "invalid_token"),
        ("Bearer ", "invalid_token"),
        ("Basic YXNrZXI6cGFzcw==", "invalid_token"),
        ("REVOKED", "invalid_token"),
        ("INACTIVE", "invalid_token"),
    ],
)
def test_writes_without_a_valid_token_are_401_and_change_nothing(
    call, asker, token_for, header, code
):
    # given
    if header == "REVOKED":
        token = token_for(asker)
        revoke_api_token(asker, ApiToken.objects.get())
        header = f"Bearer {token}"
    if header == "INACTIVE":
        header = f"Bearer {token_for(asker)}"
        asker.is_active = False
        asker.save()
    before = _content()
    extra = {"HTTP_AUTHORIZATION": header} if header else {}

    # when
    response = call("post", "/questions", body={"title": TITLE}, **extra)

    # then
    assert response.status == 401
    assert response.error_code == code
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert _content() == before


@pytest.mark.parametrize(
    ("method", "path"),
    [("post", "/questions"), ("patch", "/questions/{id}"), ("post", "/flags")],
)
def test_a_body_over_the_size_limit_is_413(
    call, asker, token_for, question, settings, method, path
):
    # given: a body past Django's DATA_UPLOAD_MAX_MEMORY_SIZE
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    before = Question.objects.count()

    # when
    response = call(
        method,
        path.format(id=question.pk),
        token=token_for(asker),
        body={"title": "How long does a cold last?", "details": "x" * 20_000},
    )

    # then
    assert response.status == 413
    assert response.body == {
        "error": {
            "code": "request_too_large",
            "message": "The request body is larger than the limit of 10000 bytes.",
            "details": {"max_bytes": 10_000},
        }
    }
    assert Question.objects.count() == before


def test_a_bad_token_on_a_read_is_401_not_an_anonymous_read(call, question):
    response = call("get", f"/questions/{question.pk}", token="askw_wrong")

    assert response.status == 401
    assert response.error_code == "invalid_token"


def test_a_signed_in_session_must_send_the_csrf_token(asker):
    # given
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(asker)
    browser.get("/accounts/settings/")  # sets the CSRF cookie
    csrf = browser.cookies["csrftoken"].value
    body = {"title": TITLE}

    # when
    refused = browser.post("/api/v1/questions", body, content_type="application/json")
    nothing_changed = not Question.objects.exists()
    accepted = browser.post(
        "/api/v1/questions",
        body,
        content_type="application/json",
        HTTP_X_CSRFTOKEN=csrf,
    )

    # then
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "csrf_failed"
    assert nothing_changed
    assert accepted.status_code == 201
    assert Question.objects.get().asker == asker


def test_a_token_needs_no_csrf_token(asker, token_for):
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        "/api/v1/questions",
        {"title": TITLE},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token_for(asker)}",
    )

    assert response.status_code == 201
    assert set(response.headers["Cache-Control"].split(", ")) == {
        "no-store",
        "private",
    }


# --- asking -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "where", "code"),
    [
        ({"title": "MS?"}, "title", "too_short"),
        (
            {"title": "Plasma exchange and multiple sclerosis"},
            "title",
            "not_a_question",
        ),
        ({"title": TITLE, "topics": [999_999]}, "topics", "invalid_choice"),
        (
            {"title": TITLE, "details": "a\x00b"},
            "details",
            "null_characters_not_allowed",
        ),
    ],
)
def test_asking_is_validated_by_the_ask_form(call, asker, token_for, body, where, code):
    response = call("post", "/questions", token=token_for(asker), body=body)

    assert response.status == 422
    assert response.error_code == "invalid"
    assert {"where": where, "code": code} in [
        {"where": d["where"], "code": d["code"]}
        for d in response.body["error"]["details"]
    ]
    assert not Question.objects.exists()


def test_at_most_five_topics(call, asker, token_for):
    topics = [TopicFactory().pk for _ in range(6)]

    response = call(
        "post",
        "/questions",
        token=token_for(asker),
        body={"title": TITLE, "topics": topics},
    )

    assert response.status == 422
    assert response.body["error"]["details"][0]["code"] == "too_many"


def test_personal_details_warn_then_remove_or_keep(call, asker, token_for):
    # given
    token = token_for(asker)
    body = {"title": TITLE, "details": "Write to me at jane.doe@example.org please."}

    # when
    warned = call("post", "/questions", token=token, body=body)
    removed = call(
        "post", "/questions", token=token, body={**body, "personal_details": "remove"}
    )
    kept = call(
        "post", "/questions", token=token, body={**body, "personal_details": "keep"}
    )

    # then
    assert warned.status == 422
    assert warned.error_code == "personal_details"
    assert warned.body["error"]["details"]["found"]
    assert removed.status == kept.status == 201
    assert "[removed]" in removed.body["details"]
    assert "example.org" not in removed.body["details"]
    assert "jane.doe@example.org" in kept.body["details"]


def test_new_accounts_are_held_to_the_link_limit(call, token_for, settings):
    settings.ASKWELL_NEW_ACCOUNT_MAX_LINKS = 1
    newcomer = UserFactory()

    response = call(
        "post",
        "/questions",
        token=token_for(newcomer),
        body={"title": TITLE, "details": "See https://a.example and https://b.example"},
    )

    assert response.status == 422
    assert response.body["error"]["details"][0]["code"] == "too_many_links"


def test_a_held_question_is_returned_to_its_asker_only(
    call, asker, token_for, settings
):
    settings.ASKWELL_HOLD_NEW_QUESTIONS = True

    posted = call("post", "/questions", token=token_for(asker), body={"title": TITLE})

    assert posted.status == 201
    assert Question.objects.get().moderation == Question.Moderation.HELD
    assert call("get", f"/questions/{posted.body['id']}").status == 404


def test_asking_too_often_is_429_with_retry_after(call, asker, token_for, settings):
    # given
    cache.clear()
    settings.ASKWELL_RATE_LIMITS = {
        **settings.ASKWELL_RATE_LIMITS,
        "ask": {"user": "2/h"},
    }
    token = token_for(asker)
    for n in range(2):
        call("post", "/questions", token=token, body={"title": f"{TITLE} ({n})"})

    # when
    response = call("post", "/questions", token=token, body={"title": TITLE})

    # then
    assert response.status == 429
    assert response.error_code == "rate_limited"
    assert (
        int(response.headers["Retry-After"])
        == response.body["error"]["details"]["retry_after"]
    )
    assert Question.objects.count() == 2
    cache.clear()


# --- answering ----------------------------------------------------------------------


def test_a_verified_expert_answers_once(call, question, expert, token_for):
    # given
    token = token_for(expert)
    book = BookFactory(title="Living with MS")
    book.authors.add(expert.contributor)
    body = {
        "body": BODY,
        "references": ["pmid:12345 | A trial", "https://example.org/ms"],
        "source_book": book.pk,
        "stance": "supports",
    }

    # when
    first = call("post", f"/questions/{question.pk}/answers", token=token, body=body)
    second = call("post", f"/questions/{question.pk}/answers", token=token, body=body)

    # then
    assert first.status == 201, first.body
    answer = Answer.objects.get()
    assert (answer.contributor, answer.author) == (expert.contributor, expert)
    assert answer.review_state == Answer.Review.PENDING
    assert [r.pmid or r.url for r in answer.references.all()] == [
        "12345",
        "https://example.org/ms",
    ]
    assert first.body["source_book"]["title"] == "Living with MS"
    assert first.body["review"]["state"] == "pending"
    question.refresh_from_db()
    assert question.status == Question.Status.ANSWERED
    assert second.status == 409
    assert second.error_code == "already_answered"
    assert Answer.objects.count() == 1


@pytest.mark.parametrize("who", ["asker", "stranger", "editor", "unverified", "admin"])
def test_only_verified_experts_may_answer(call, question, token_for, who, request):
    # given
    if who == "unverified":
        user = UserFactory()
        ContributorFactory(user=user, is_verified=False)
    elif who == "admin":
        user = UserFactory(is_superuser=True, is_staff=True)
    else:
        user = request.getfixturevalue(who)
    before = _content()

    # when
    response = call(
        "post",
        f"/questions/{question.pk}/answers",
        token=token_for(user),
        body={"body": BODY},
    )

    # then
    assert response.status == 403
    assert response.error_code == "permission_denied"
    assert _content() == before
    assert mail.outbox == []


def test_answers_are_validated_by_the_answer_form(call, question, expert, token_for):
    response = call(
        "post",
        f"/questions/{question.pk}/answers",
        token=token_for(expert),
        body={"body": "Too short.", "references": ["not a link"]},
    )

    assert response.status == 422
    codes = {(d["where"], d["code"]) for d in response.body["error"]["details"]}
    assert {("body", "too_short"), ("references", "bad_reference")} <= codes
    assert not Answer.objects.exists()


def test_a_closed_question_takes_no_answer(call, question, expert, token_for):
    Question.objects.filter(pk=question.pk).update(status=Question.Status.CLOSED)

    response = call(
        "post",
        f"/questions/{question.pk}/answers",
        token=token_for(expert),
        body={"body": BODY},
    )

    assert response.status == 403
    assert not Answer.objects.exists()


@pytest.mark.parametrize(
    "moderation", [Question.Moderation.HELD, Question.Moderation.HIDDEN]
)
def test_held_or_hidden_questions_take_no_answer(
    call, question, expert, token_for, moderation
):
    Question.objects.filter(pk=question.pk).update(moderation=moderation)

    response = call(
        "post",
        f"/questions/{question.pk}/answers",
        token=token_for(expert),
        body={"body": BODY},
    )

    assert response.status == 404
    assert not Answer.objects.exists()


def test_members_of_an_organization_say_whom_they_sign_as(
    call, question, expert, token_for
):
    # given
    organization = OrganizationFactory(name="MS Society")
    MembershipFactory(organization=organization, user=expert)
    token = token_for(expert)
    path = f"/questions/{question.pk}/answers"

    # when
    unsaid = call("post", path, token=token, body={"body": BODY})
    someone_else = call(
        "post",
        path,
        token=token,
        body={"body": BODY, "contributor": ContributorFactory().pk},
    )
    as_organization = call(
        "post", path, token=token, body={"body": BODY, "contributor": organization.pk}
    )

    # then
    assert unsaid.status == 422
    assert unsaid.body["error"]["details"][0]["where"] == "contributor"
    assert someone_else.status == 403
    assert as_organization.status == 201
    assert Answer.objects.get().contributor == organization


# --- editing ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("asker", 200), ("editor", 200), ("stranger", 403), ("expert", 403)],
)
def test_the_asker_or_an_editor_edits_a_question(
    call, question, token_for, request, who, status
):
    # given
    user = request.getfixturevalue(who)
    before = _content()

    # when
    response = call(
        "patch",
        f"/questions/{question.pk}",
        token=token_for(user),
        body={"details": "She is 62.", "reason": "Added her age."},
    )

    # then
    assert response.status == status
    question.refresh_from_db()
    if status == 200:
        assert (question.title, question.details) == (TITLE, "She is 62.")
        assert Revision.objects.get(question=question).reason == "Added her age."
    else:
        assert response.error_code == "permission_denied"
        assert _content() == before


@pytest.mark.parametrize(
    ("who", "status"),
    [("other_expert", 200), ("editor", 200), ("expert", 403), ("asker", 403)],
)
def test_the_author_or_an_editor_edits_an_answer(
    call, answer, token_for, request, who, status
):
    # given
    user = request.getfixturevalue(who)
    before = _content()

    # when
    response = call(
        "patch",
        f"/answers/{answer.pk}",
        token=token_for(user),
        body={"body": BODY, "reason": "Clearer."},
    )

    # then
    assert response.status == status
    answer.refresh_from_db()
    if status == 200:
        # The answer was reviewed: the new words wait behind the reviewed ones.
        assert answer.newest_version()["body"] == BODY
        assert answer.draft is not None
        assert answer.body != BODY
        assert answer.review_state == Answer.Review.PENDING
        assert answer.revisions.get().reason == "Clearer."
    else:
        assert _content() == before


def test_a_hidden_answer_is_404_to_those_who_may_not_edit_it(
    call, answer, expert, other_expert, token_for
):
    Answer.objects.filter(pk=answer.pk).update(status=Answer.Status.HIDDEN)

    stranger = call("patch", f"/answers/{answer.pk}", token=token_for(expert), body={})
    author = call(
        "patch", f"/answers/{answer.pk}", token=token_for(other_expert), body={}
    )

    assert stranger.status == 404
    assert author.status == 200


# --- helpful, endorse, flag ---------------------------------------------------------


def test_helpful_marks_are_once_each_and_undoable(call, answer, stranger, token_for):
    # given
    token = token_for(stranger)
    path = f"/answers/{answer.pk}/helpful"

    # when
    first = call("post", path, token=token)
    again = call("post", path, token=token)
    undone = call("delete", path, token=token)

    # then
    assert (first.status, first.body["marked"], first.body["helpful_count"]) == (
        200,
        True,
        1,
    )
    assert (again.body["marked"], again.body["helpful_count"]) == (True, 1)
    assert (undone.body["marked"], undone.body["helpful_count"]) == (False, 0)
    assert not HelpfulMark.objects.exists()


def test_authors_cannot_mark_their_own_answer_helpful(
    call, answer, other_expert, token_for
):
    response = call(
        "post", f"/answers/{answer.pk}/helpful", token=token_for(other_expert)
    )

    assert response.status == 403
    assert not HelpfulMark.objects.exists()


def test_an_expert_endorses_and_withdraws(call, answer, expert, token_for):
    # given
    token = token_for(expert)
    path = f"/answers/{answer.pk}/endorsement"

    # when
    endorsed = call("post", path, token=token, body={"reason": "Matches the trials."})
    disputed = call(
        "post", path, token=token, body={"kind": "disagree", "reason": "Old data."}
    )
    withdrawn = call("delete", path, token=token)
    again = call("delete", path, token=token)

    # then
    assert endorsed.status == 200
    assert endorsed.body["contributor"]["name"] == "Jane Doe"
    assert disputed.body["kind"] == "disagree"
    assert withdrawn.body == {"answer_id": answer.pk, "withdrawn": True}
    assert again.body == {"answer_id": answer.pk, "withdrawn": False}
    assert not Endorsement.objects.exists()


@pytest.mark.parametrize(
    ("who", "body", "status"),
    [
        ("stranger", {"reason": "Good."}, 403),
        ("other_expert", {"reason": "Mine is good."}, 403),
        ("expert", {"reason": ""}, 422),
        ("expert", {"reason": "x" * 301}, 422),
    ],
)
def test_endorsements_follow_the_page_rules(
    call, answer, token_for, request, who, body, status
):
    user = request.getfixturevalue(who)

    response = call(
        "post", f"/answers/{answer.pk}/endorsement", token=token_for(user), body=body
    )

    assert response.status == status
    assert not Endorsement.objects.exists()


def test_a_reader_flags_once_until_editors_look(call, answer, stranger, token_for):
    # given
    token = token_for(stranger)
    body = {"kind": "answer", "id": answer.pk, "reason": "harmful"}

    # when
    first = call("post", "/flags", token=token, body=body)
    second = call("post", "/flags", token=token, body=body)

    # then
    assert first.status == 201
    flag = Flag.objects.get()
    assert (flag.reporter, flag.answer, flag.reason) == (stranger, answer, "harmful")
    assert first.body["target_id"] == answer.pk
    assert second.status == 409
    assert second.error_code == "already_flagged"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"kind": "answer", "reason": "other"}, 422, "invalid"),
        ({"kind": "answer", "reason": "astrology"}, 422, "invalid_request"),
        ({"kind": "question", "id": 999_999, "reason": "spam"}, 404, "not_found"),
        ({"kind": "hidden_answer", "reason": "spam"}, 404, "not_found"),
    ],
)
def test_flags_are_validated_and_hidden_items_are_404(
    call, answer, stranger, token_for, body, status, code
):
    hidden = AnswerFactory(status=Answer.Status.HIDDEN)
    body = {"id": answer.pk, **body}
    if body["kind"] == "hidden_answer":
        body = {**body, "kind": "answer", "id": hidden.pk}

    response = call("post", "/flags", token=token_for(stranger), body=body)

    assert response.status == status
    assert response.error_code == code
    assert not Flag.objects.exists()


def test_a_body_that_is_not_json_is_refused_in_the_error_shape(call, asker, token_for):
    client = Client()

    response = client.post(
        "/api/v1/questions",
        "{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token_for(asker)}",
    )

    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "bad_request"
