"""Every string of askwell/testing/data/blns.json through the ask, answer and
comment forms: no server error, and what is stored is exactly what was sent
(or the form says clearly why not). Beyond the list: text at and one
character over each field's limit, deeply nested Markdown, and NUL."""

from __future__ import annotations

import pytest
from django.urls import reverse

from askwell.lib import limits
from askwell.questions import actions
from askwell.questions.models import Answer, Comment, Question
from askwell.testing.datasets import naughty_strings

pytestmark = pytest.mark.django_db

CLEAR_ERRORS = (
    "Null characters are not allowed.",
    "At most ",
    "Ask in a few more words",
    "Write the title as a question",
    "This field is required.",
    "An answer needs at least a couple of sentences.",
)


@pytest.fixture
def strings() -> list[str]:
    return naughty_strings()


def _refused_clearly(response) -> bool:
    html = response.content.decode()
    return response.status_code in (200, 400) and any(e in html for e in CLEAR_ERRORS)


def test_ask_form_stores_hostile_strings_exactly_or_says_why_not(
    client, asker, strings
):
    client.force_login(asker)
    stored = 0
    for text in strings:
        title = f"What about {text}?"
        response = client.post(
            reverse("questions:ask"),
            {"title": title, "details": text, "personal_details": "keep"},
        )
        if response.status_code == 302:
            question = Question.objects.get(slug=response["Location"].split("/")[2])
            assert (question.title, question.details) == (title.strip(), text), text
            stored += 1
        else:
            assert _refused_clearly(response), (text, response.status_code)
    # Most strings are ordinary enough to be posted as they are.
    assert stored > len(strings) * 0.8


# The strings are shared out over PARTS tests, so that the test workers can
# run them side by side (one test of all of them took up to 4 minutes).
PARTS = 4


@pytest.mark.parametrize("part", range(PARTS))
def test_answers_and_comments_store_hostile_strings_exactly_or_say_why_not(
    client, expert, asker, open_question, strings, part
):
    strings = strings[part::PARTS]
    # given: one answer to comment on
    answer = actions.post_answer(
        expert,
        open_question,
        contributor=expert.contributor,
        body="Rest, fluids and time help most people with this.",
    )
    client.force_login(asker)
    for text in strings:
        response = client.post(
            reverse("questions:comment", args=[answer.pk]), {"body": text}
        )
        if response.status_code == 302:
            assert Comment.objects.order_by("-pk").first().body == text.strip(), text
        else:
            assert _refused_clearly(response), (text, response.status_code)

    # and answer bodies, through the preview and the edit form
    client.force_login(expert)
    edit = reverse("questions:edit-answer", args=[answer.pk])
    for text in strings:
        body = f"Here is a careful answer with several words. {text}"
        assert (
            client.post(reverse("questions:preview"), {"body": body}).status_code == 200
        )
        response = client.post(
            edit, {"contributor": expert.contributor.pk, "body": body}
        )
        if response.status_code == 302:
            assert Answer.objects.get(pk=answer.pk).body == body, text
        else:
            assert _refused_clearly(response), (text, response.status_code)


def _beyond_the_list(limit: int) -> list[str]:
    """Text one character over `limit`, and Markdown nested as deep as
    `limit` characters allow (brackets, images in links, quotes, lists,
    emphasis), and a NUL."""
    deep_list = "".join("  " * i + "- a\n" for i in range(200))[:limit]
    return [
        "x" * (limit + 1),
        "[" * limit,
        ("![[" * limit)[:limit],
        ("> " * limit)[:limit],
        ("*a" * limit)[:limit],
        ("**a_" * limit)[:limit],
        deep_list,
        "a\x00b",
    ]


def test_forms_store_deep_nesting_exactly_and_refuse_overlong_text_clearly(
    client, expert, asker, open_question
):
    # given
    answer = actions.post_answer(
        expert,
        open_question,
        contributor=expert.contributor,
        body="Rest, fluids and time help most people with this.",
    )
    stored = 0

    # when / then: question details
    client.force_login(asker)
    for text in _beyond_the_list(limits.QUESTION_DETAILS):
        response = client.post(
            reverse("questions:ask"),
            {"title": "What about this?", "details": text, "personal_details": "keep"},
        )
        if response.status_code == 302:
            question = Question.objects.get(slug=response["Location"].split("/")[2])
            assert question.details == text
            question.delete()
            stored += 1
        else:
            assert _refused_clearly(response), (text[:20], response.status_code)

    # comments
    for text in _beyond_the_list(limits.COMMENT):
        response = client.post(
            reverse("questions:comment", args=[answer.pk]), {"body": text}
        )
        if response.status_code == 302:
            assert Comment.objects.order_by("-pk").first().body == text.strip()
            stored += 1
        else:
            assert _refused_clearly(response), (text[:20], response.status_code)

    # answers, and their preview
    client.force_login(expert)
    edit = reverse("questions:edit-answer", args=[answer.pk])
    lead = "Here is a careful answer with several words.\n\n"
    for text in _beyond_the_list(limits.ANSWER_BODY - len(lead)):
        body = lead + text
        preview = client.post(reverse("questions:preview"), {"body": body})
        assert preview.status_code in (200, 400), text[:20]
        response = client.post(
            edit, {"contributor": expert.contributor.pk, "body": body}
        )
        if response.status_code == 302:
            assert Answer.objects.get(pk=answer.pk).body == body
            stored += 1
        else:
            assert _refused_clearly(response), (text[:20], response.status_code)

    # then: all the nesting was stored; the over-long and NUL texts were not
    assert stored == 3 * 6
