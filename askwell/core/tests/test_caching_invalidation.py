"""Any content change invalidates the cached pages and ETags it affects: each
kind of write, then the same anonymous request with the old ETag gets the
new page, on the local-memory cache and on Redis."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from askwell.accounts.tests.factories import UserFactory
from askwell.experts.tests.factories import ContributorFactory
from askwell.moderation import actions as moderation
from askwell.questions import actions as questions
from askwell.questions.models import Answer, Question
from askwell.questions.tests.factories import AnswerFactory, QuestionFactory
from askwell.review import actions as review
from askwell.review.actions import ensure_reviewers_group
from askwell.topics.tests.factories import TopicFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cache_backend")]


@pytest.fixture
def world(expert, editor):
    """A question with Jane Doe's answer, a second expert, a reader."""
    topic = TopicFactory(name="Colds", slug="colds")
    question = QuestionFactory(
        title="How long does a cold last?", slug="cold-length", topics=[topic]
    )
    answer = AnswerFactory(
        question=question,
        contributor=expert.contributor,
        author=expert,
        body="About a week to ten days.",
        review_state=Answer.Review.PENDING,
    )
    other = UserFactory(username="drsam")
    ContributorFactory(user=other, name="Sam Lee", credentials="MD", slug="sam-lee")
    editor.groups.add(ensure_reviewers_group())
    ContributorFactory(user=editor, name="Eda Tor", slug="eda-tor")
    return {
        "topic": topic,
        "question": question,
        "answer": answer,
        "expert": expert,
        "other": other,
        "editor": editor,
        "reader": UserFactory(username="reader"),
    }


def _post_answer(w: dict[str, Any]) -> str:
    questions.post_answer(
        w["other"],
        w["question"],
        contributor=w["other"].contributor,
        body="Zinc lozenges may shorten it a little.",
    )
    return "Zinc lozenges may shorten it a little."


def _edit_answer(w: dict[str, Any]) -> str:
    questions.edit_answer(w["expert"], w["answer"], body="Seven to ten days.")
    return "Seven to ten days."


def _hide_answer(w: dict[str, Any]) -> str:
    moderation.hide_content(w["editor"], w["answer"], reason="Spam.")
    return "No answers yet"


def _comment(w: dict[str, Any]) -> str:
    questions.post_comment(w["editor"], w["answer"], body="Does rest matter?")
    return "Does rest matter?"


def _helpful(w: dict[str, Any]) -> str:
    questions.mark_helpful(w["reader"], w["answer"])
    return "1 found this helpful"


def _endorse(w: dict[str, Any]) -> str:
    questions.endorse_answer(
        w["other"],
        w["answer"],
        contributor=w["other"].contributor,
        reason="Matches the evidence.",
    )
    return "Endorsed by 1 expert"


def _review(w: dict[str, Any]) -> str:
    review.approve_answer(w["editor"], w["answer"])
    return "Medically reviewed by"


def _edit_question(w: dict[str, Any]) -> str:
    questions.edit_question(
        w["editor"],
        w["question"],
        title="How many days does a cold last?",
        details="",
        topics=[w["topic"]],
    )
    return "How many days does a cold last?"


def _rename_topic(w: dict[str, Any]) -> str:
    w["topic"].name = "Common colds"
    w["topic"].save()
    return "Common colds"


def _rename_expert(w: dict[str, Any]) -> str:
    profile = w["expert"].contributor
    profile.name = "Jane Doe-Smith"
    profile.save()
    return "Jane Doe-Smith"


def _delete_account(w: dict[str, Any]) -> str:
    """Account deletion rewrites rows with QuerySet.update(), no signals."""
    from askwell.accounts.tests.factories import PASSWORD

    asker = UserFactory(username="leaving")
    Question.objects.filter(pk=w["question"].pk).update(asker=asker)
    Client().get(w["question"].get_absolute_url())  # cached with the asker
    moderation.delete_account(
        asker, password=PASSWORD, confirmation="delete my account"
    )
    return "How long does a cold last?"


WRITES: dict[str, Callable[[dict[str, Any]], str]] = {
    "new answer": _post_answer,
    "edited answer": _edit_answer,
    "hidden answer": _hide_answer,
    "comment": _comment,
    "helpful mark": _helpful,
    "endorsement": _endorse,
    "medical review": _review,
    "edited question": _edit_question,
    "renamed topic": _rename_topic,
    "renamed expert": _rename_expert,
    "deleted account": _delete_account,
}


@pytest.mark.parametrize("write", sorted(WRITES))
def test_a_write_changes_the_question_page_and_its_etag(world, write):
    # given: an anonymous visitor has the page and its ETag, and it is cached
    anonymous = Client()
    url = world["question"].get_absolute_url()
    before = anonymous.get(url)
    assert anonymous.get(url)["X-Askwell-Cache"] == "hit"

    # when
    expected = WRITES[write](world)

    # then: the old ETag no longer matches, and the new page is served
    after = anonymous.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert after["X-Askwell-Cache"] == "miss"
    assert expected in after.content.decode()
    assert after.content != before.content


def test_a_hidden_answer_leaves_the_cached_search_and_home_pages(world):
    # given
    anonymous = Client()
    pages = [reverse("home"), reverse("topics:detail", kwargs={"slug": "colds"})]
    before = {url: anonymous.get(url) for url in pages}
    assert all(
        "How long does a cold last?" in r.content.decode() for r in before.values()
    )

    # when
    moderation.hide_content(world["editor"], world["question"], reason="Off topic.")

    # then
    for url, response in before.items():
        after = anonymous.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
        assert after.status_code == 200, url
        assert "How long does a cold last?" not in after.content.decode(), url


def test_a_page_posted_through_the_site_invalidates(world):
    """The whole path: a signed-in POST, then the anonymous page."""
    # given
    anonymous = Client()
    url = world["question"].get_absolute_url()
    before = anonymous.get(url)
    reader = Client()
    reader.force_login(world["reader"])

    # when
    response = reader.post(
        reverse("questions:helpful", kwargs={"pk": world["answer"].pk})
    )

    # then
    assert response.status_code == 302
    after = anonymous.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert "1 found this helpful" in after.content.decode()


def test_an_import_invalidates(world, tmp_path):
    # given
    anonymous = Client()
    url = reverse("questions:list")
    before = anonymous.get(url)
    path = tmp_path / "content.jsonl"
    lines = [
        {"type": "header", "format": "askwell", "version": 1},
        {
            "type": "question",
            "source": "test",
            "external_id": "q1",
            "title": "Can adults catch hand, foot and mouth disease?",
        },
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))

    # when
    call_command("import", "jsonl", str(path), stdout=io.StringIO())

    # then
    after = anonymous.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert "Can adults catch hand, foot and mouth disease?" in after.content.decode()


def test_a_write_nobody_sees_keeps_the_cache(world):
    """Views, sign-ins and notifications are not content: the page stays
    cached and its ETag valid."""
    # given
    other = QuestionFactory(title="Is a fever dangerous?")
    anonymous = Client()
    url = world["question"].get_absolute_url()
    before = anonymous.get(url)
    reader = Client()

    # when: a visit to another question (its view counter), a sign-in, a follow
    assert anonymous.get(other.get_absolute_url())["X-Askwell-Cache"] == "miss"
    assert Question.objects.get(pk=other.pk).view_count == 1
    reader.force_login(world["reader"])
    reader.post(reverse("accounts:login"), {"login": "reader", "password": "wrong"})
    reader.post(
        reverse("notifications:follow-question", kwargs={"slug": "cold-length"})
    )

    # then
    again = anonymous.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert again.status_code == 304
