"""Read endpoints: the topic tree, question lists with filters and cursor
pages, a question with what readers may see of it, contributors, books,
videos, similar questions."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from askwell.experts.tests.factories import (
    BookFactory,
    ContributorFactory,
    OrganizationFactory,
    VideoFactory,
)
from askwell.questions.models import Answer, Endorsement, HelpfulMark, Question
from askwell.questions.tests.factories import AnswerFactory, QuestionFactory
from askwell.topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


def test_topic_tree_nests_children_to_the_requested_depth(call):
    # given
    neuro = TopicFactory(name="Neurology", slug="neurology")
    ms = TopicFactory(name="Multiple sclerosis", slug="ms", parent=neuro)
    TopicFactory(name="MS treatment", slug="ms-treatment", parent=ms)
    TopicFactory(name="Skin", slug="skin")

    # when
    shallow = call("get", "/topics", params={"depth": 1})
    deep = call("get", "/topics", params={"depth": 3})
    below = call("get", "/topics", params={"parent": ms.pk})

    # then
    assert shallow.status == 200
    assert [
        (t["name"], t["child_count"], t["children"]) for t in shallow.body["topics"]
    ] == [
        ("Neurology", 1, []),
        ("Skin", 0, []),
    ]
    first = deep.body["topics"][0]
    assert first["url"] == "/topics/neurology/"
    assert first["children"][0]["name"] == "Multiple sclerosis"
    assert first["children"][0]["children"][0]["slug"] == "ms-treatment"
    assert [t["name"] for t in below.body["topics"]] == ["MS treatment"]


def test_topic_tree_of_an_unknown_parent_is_404(call):
    response = call("get", "/topics", params={"parent": 999_999})

    assert response.status == 404
    assert response.error_code == "not_found"


def test_question_list_filters_by_topic_status_contributor_and_type(call):
    # given
    ms = TopicFactory(name="Multiple sclerosis")
    treatment = TopicFactory(name="MS treatment", parent=ms)
    author = ContributorFactory()
    in_subtopic = QuestionFactory(topics=[treatment], status="answered")
    AnswerFactory(question=in_subtopic, contributor=author)
    open_one = QuestionFactory(topics=[ms], status="open", question_type="causes")
    elsewhere = QuestionFactory(status="open")

    def ids(**params):
        response = call("get", "/questions", params=params)
        assert response.status == 200, response.body
        return {q["id"] for q in response.body["results"]}

    # then
    assert ids(topic=ms.pk) == {in_subtopic.pk, open_one.pk}
    assert ids(status="open") == {open_one.pk, elsewhere.pk}
    assert ids(contributor=author.pk) == {in_subtopic.pk}
    assert ids(question_type="causes") == {open_one.pk}
    assert ids(topic=ms.pk, status="answered") == {in_subtopic.pk}


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"topic": 999_999}, 404, "not_found"),
        ({"contributor": 999_999}, 404, "not_found"),
        ({"status": "pending"}, 422, "invalid_request"),
        ({"question_type": "astrology"}, 422, "invalid_request"),
        ({"limit": 0}, 422, "invalid_request"),
        ({"limit": 101}, 422, "invalid_request"),
        ({"cursor": "not-a-cursor"}, 400, "invalid_cursor"),
        ({"cursor": "WyJ4IiwieSJd"}, 400, "invalid_cursor"),  # ["x","y"]
    ],
)
def test_bad_list_parameters_get_the_error_shape(call, params, status, code):
    QuestionFactory()

    response = call("get", "/questions", params=params)

    assert response.status == status
    assert response.error_code == code
    assert set(response.body["error"]) == {"code", "message", "details"}


def test_cursor_pages_walk_every_question_once_in_a_stable_order(call):
    # given: 23 questions, some asked at the very same moment
    moment = timezone.now()
    created = []
    for n in range(23):
        question = QuestionFactory()
        Question.objects.filter(pk=question.pk).update(
            created_at=moment - timedelta(minutes=n // 3)
        )
        created.append(question.pk)

    # when
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 5} | ({"cursor": cursor} if cursor else {})
        response = call("get", "/questions", params=params)
        assert response.status == 200
        seen += [q["id"] for q in response.body["results"]]
        pages += 1
        cursor = response.body["next_cursor"]
        if cursor is None:
            break
        # A question asked while paging does not shift the later pages.
        if pages == 2:
            QuestionFactory()

    # then
    assert pages == 5
    assert len(seen) == len(set(seen)) == 23
    assert set(seen) == set(created)
    expected = list(
        Question.objects.filter(pk__in=created)
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)
    )
    assert seen == expected


def test_question_shows_published_answers_in_page_order_with_signals(
    call, expert, other_expert
):
    # given
    question = QuestionFactory(
        title="Can plasma exchange help MS?", details="My mom has MS."
    )
    mine = AnswerFactory(
        question=question, contributor=expert.contributor, stance="supports"
    )
    organization = AnswerFactory(
        question=question,
        contributor=OrganizationFactory(name="MS Society"),
        stance="against",
    )
    HelpfulMark.objects.create(answer=mine, user=other_expert)
    Endorsement.objects.create(
        answer=mine,
        contributor=other_expert.contributor,
        user=other_expert,
        kind="endorse",
        reason="Matches the trials.",
    )
    mine.references.create(position=0, doi="10.1000/xyz", title="A trial")

    # when
    response = call("get", f"/questions/{question.pk}")

    # then
    assert response.status == 200
    body = response.body
    assert body["title"] == "Can plasma exchange help MS?"
    assert body["details_html"] == "<p>My mom has MS.</p>\n"
    assert body["answer_count"] == 2
    assert body["stance_summary"] == "Experts differ: 1 supportive, 1 sceptical"
    assert [a["id"] for a in body["answers"]] == [mine.pk, organization.pk]
    first = body["answers"][0]
    assert first["contributor"]["signature"] == "Jane Doe, RN"
    assert first["helpful_count"] == 1
    assert first["endorsement_count"] == 1
    assert first["endorsements"][0]["reason"] == "Matches the trials."
    assert first["endorsements"][0]["contributor"]["name"] == "Sam Lee"
    assert first["references"] == [
        {
            "url": "",
            "doi": "10.1000/xyz",
            "pmid": "",
            "title": "A trial",
            "link": "https://doi.org/10.1000/xyz",
        }
    ]
    assert first["review"]["medically_reviewed"] is True


@pytest.mark.parametrize("status", [Answer.Status.HIDDEN, Answer.Status.DELETED])
def test_hidden_and_deleted_answers_are_never_shown(call, status):
    # given
    question = QuestionFactory()
    shown = AnswerFactory(question=question)
    AnswerFactory(question=question, status=status, body="Buy my miracle pills.")

    # when
    detail = call("get", f"/questions/{question.pk}")
    listed = call("get", "/questions")

    # then
    assert [a["id"] for a in detail.body["answers"]] == [shown.pk]
    assert "miracle" not in str(detail.body)
    assert listed.body["results"][0]["answer_count"] == 1


def test_answers_waiting_for_review_follow_the_operators_setting(call, settings):
    # given
    question = QuestionFactory()
    AnswerFactory(question=question, review_state=Answer.Review.PENDING)
    settings.ASKWELL_SHOW_UNREVIEWED = False

    # when
    response = call("get", f"/questions/{question.pk}")

    # then
    assert response.body["answers"] == []


@pytest.mark.parametrize(
    "moderation",
    [
        Question.Moderation.HELD,
        Question.Moderation.HIDDEN,
        Question.Moderation.DELETED,
    ],
)
def test_held_hidden_and_deleted_questions_are_404_and_unlisted(
    call, moderation, stranger, token_for
):
    # given
    question = QuestionFactory(moderation=moderation, title="Secret question?")
    AnswerFactory(question=question)
    token = token_for(stranger)

    # when
    anonymous = call("get", f"/questions/{question.pk}")
    reader = call("get", f"/questions/{question.pk}", token=token)
    listed = call("get", "/questions")
    similar = call("get", f"/questions/{question.pk}/similar")

    # then
    assert (anonymous.status, reader.status, similar.status) == (404, 404, 404)
    assert listed.body["results"] == []


def test_askers_see_their_own_held_question_as_on_the_page(call, asker, token_for):
    question = QuestionFactory(moderation=Question.Moderation.HELD, asker=asker)

    response = call("get", f"/questions/{question.pk}", token=token_for(asker))

    assert response.status == 200
    assert response.body["asker"] == "asker"


def test_anonymous_askers_are_named_to_no_one_but_themselves_and_editors(
    call, asker, stranger, editor, token_for
):
    # given
    question = QuestionFactory(asker=asker, is_anonymous=True)

    # when
    seen = {
        who: call("get", f"/questions/{question.pk}", token=token).body["asker"]
        for who, token in [
            ("anonymous", None),
            ("stranger", token_for(stranger)),
            ("asker", token_for(asker)),
            ("editor", token_for(editor)),
        ]
    }
    listed = call("get", "/questions").body["results"][0]

    # then
    assert seen == {
        "anonymous": None,
        "stranger": None,
        "asker": "asker",
        "editor": "asker",
    }
    assert listed["asker"] is None
    assert "asker" not in str(call("get", f"/questions/{question.pk}").body).replace(
        '"asker": null', ""
    ).replace("'asker': None", "")


def test_a_named_asker_is_shown(call, asker):
    question = QuestionFactory(asker=asker)

    assert call("get", f"/questions/{question.pk}").body["asker"] == "asker"


def test_contributors_list_and_one_contributor(call):
    # given
    person = ContributorFactory(name="Ada Bell", bio="Neurologist.")
    OrganizationFactory(name="Brain Society")
    AnswerFactory(contributor=person)
    AnswerFactory(contributor=person, status=Answer.Status.HIDDEN)
    book = BookFactory(title="Living with MS")
    book.authors.add(person)
    VideoFactory(presenter=person, title="Plasma exchange explained")

    # when
    listed = call("get", "/contributors")
    people = call("get", "/contributors", params={"kind": "person"})
    one = call("get", f"/contributors/{person.pk}")

    # then
    assert [(c["name"], c["answer_count"]) for c in listed.body["results"]] == [
        ("Ada Bell", 1),
        ("Brain Society", 0),
    ]
    assert [c["kind"] for c in people.body["results"]] == ["person"]
    assert one.body["bio"] == "Neurologist."
    assert one.body["bio_html"] == "<p>Neurologist.</p>\n"
    assert [b["title"] for b in one.body["books"]] == ["Living with MS"]
    assert [v["title"] for v in one.body["videos"]] == ["Plasma exchange explained"]
    assert call("get", "/contributors/999999").status == 404


def test_books_and_videos(call):
    # given
    author = ContributorFactory(name="Ada Bell")
    book = BookFactory(title="Living with MS", published_year=2021)
    book.authors.add(author)
    topic = TopicFactory(name="Multiple sclerosis")
    VideoFactory(presenter=author, title="MS in six minutes", topics=[topic])

    # when
    books = call("get", "/books").body["results"]
    videos = call("get", "/videos").body["results"]

    # then
    assert books[0]["title"] == "Living with MS"
    assert books[0]["published_year"] == 2021
    assert [a["name"] for a in books[0]["authors"]] == ["Ada Bell"]
    assert videos[0]["duration_seconds"] == 365
    assert videos[0]["presenter"]["name"] == "Ada Bell"
    assert videos[0]["topics"] == [
        {"id": topic.pk, "name": "Multiple sclerosis", "slug": topic.slug}
    ]


@pytest.mark.parametrize(
    "path",
    ["/questions/abc", "/questions/1/nothing", "/nothing", "/"],
)
def test_unknown_paths_are_404_in_the_error_shape(call, path):
    response = call("get", path)

    assert response.status == 404
    assert response.error_code == "not_found"


def test_a_method_a_path_lacks_is_405_in_the_error_shape(call):
    response = call("put", "/topics", body={})

    assert response.status == 405
    assert response.error_code == "method_not_allowed"
    assert response.body["error"]["details"] == {"allowed": ["GET"]}
    assert response.headers["Allow"] == "GET"


def test_a_hidden_answer_does_not_list_its_question_under_its_author(call):
    # given
    author = ContributorFactory()
    AnswerFactory(contributor=author, status=Answer.Status.HIDDEN)
    AnswerFactory(
        contributor=author,
        question=QuestionFactory(moderation=Question.Moderation.HIDDEN),
    )

    # when
    response = call("get", "/questions", params={"contributor": author.pk})

    # then
    assert response.status == 200
    assert response.body["results"] == []
    assert call("get", f"/contributors/{author.pk}").body["answer_count"] == 0


@pytest.mark.parametrize("path", ["/questions", "/videos"])
@pytest.mark.parametrize(
    "values",
    [
        # Out of the years 1 to 9999 once converted to UTC.
        ["9999-12-31T23:59:59-23:59", 5],
        ["0001-01-01T00:00:00+23:59", 5],
        # Without an offset: never given out by the API.
        ["2026-01-01T10:00:00", 5],
        ["not a date", 5],
    ],
)
def test_a_cursor_whose_date_the_database_cannot_use_gets_400(call, path, values):
    # given
    QuestionFactory()
    VideoFactory()
    cursor = base64.urlsafe_b64encode(json.dumps(values).encode()).decode()

    # when
    response = call("get", path, params={"cursor": cursor})

    # then
    assert response.status == 400
    assert response.body == {
        "error": {
            "code": "invalid_cursor",
            "message": "This cursor is not one the API gave out; start again without it.",
            "details": None,
        }
    }
