"""Readers report questions, answers and comments (flag_content and /moderation/flag/)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from askwell.accounts.tests.factories import PASSWORD
from askwell.audit.models import LogEntry
from askwell.moderation.actions import flag_content
from askwell.moderation.models import Flag

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["question", "answer", "comment"])
def test_a_reader_flags_each_kind_of_item(kind, reporter, request):
    # given
    target = request.getfixturevalue(kind)

    # when
    flag = flag_content(reporter, target, reason=Flag.Reason.HARMFUL)

    # then
    stored = Flag.objects.get()
    assert stored == flag
    assert (stored.kind, stored.target, stored.reporter) == (kind, target, reporter)
    assert (stored.reason, stored.status) == ("harmful", "open")
    entry = LogEntry.objects.get(action="flag.created")
    assert (entry.actor, entry.object_id) == (reporter, str(target.pk))
    assert entry.data == {"flag": flag.pk, "reason": "harmful"}


def test_other_needs_text(reporter, answer):
    with pytest.raises(ValidationError) as error:
        flag_content(reporter, answer, reason=Flag.Reason.OTHER, text="   ")

    assert error.value.error_dict["text"][0].code == "text_required"
    assert not Flag.objects.exists()


def test_one_open_flag_per_reader_per_item(reporter, answer):
    # given
    flag_content(reporter, answer, reason=Flag.Reason.SPAM)

    # when
    with pytest.raises(ValidationError) as error:
        flag_content(reporter, answer, reason=Flag.Reason.HARMFUL)

    # then
    assert error.value.code == "already_flagged"
    assert Flag.objects.count() == 1


def test_a_handled_flag_lets_the_reader_flag_again(reporter, answer):
    # given
    first = flag_content(reporter, answer, reason=Flag.Reason.SPAM)
    Flag.objects.filter(pk=first.pk).update(status=Flag.Status.DISMISSED)

    # when
    flag_content(reporter, answer, reason=Flag.Reason.SPAM)

    # then
    assert list(Flag.objects.values_list("status", flat=True).order_by("pk")) == [
        "dismissed",
        "open",
    ]


def test_signed_out_visitors_cannot_flag(answer):
    with pytest.raises(PermissionDenied):
        flag_content(AnonymousUser(), answer, reason=Flag.Reason.SPAM)

    assert not Flag.objects.exists()
    assert not LogEntry.objects.exists()


def test_the_database_refuses_a_flag_on_two_items(reporter, question, answer):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Flag.objects.create(
            reporter=reporter, question=question, answer=answer, reason="spam"
        )


# --- the pages ----------------------------------------------------------------------


def test_the_question_page_has_a_report_link_for_each_item(
    client, question, answer, comment
):
    response = client.get(question.get_absolute_url())

    html = response.content.decode()
    assert f'href="/moderation/flag/question/{question.pk}/"' in html
    assert f'href="/moderation/flag/answer/{answer.pk}/"' in html
    assert f'href="/moderation/flag/comment/{comment.pk}/"' in html


def test_the_flag_form_sends_a_report(client, reporter, answer):
    # given
    client.login(username="reporter", password=PASSWORD)
    url = f"/moderation/flag/answer/{answer.pk}/"

    # when
    page = client.get(url)
    response = client.post(url, {"reason": "other", "text": "Dose looks wrong"})

    # then
    assert page.status_code == 200
    assert "Report this answer to the editors" in page.content.decode()
    assert response.status_code == 302
    assert (
        response["Location"]
        == f"{answer.question.get_absolute_url()}#answer-{answer.pk}"
    )
    flag = Flag.objects.get()
    assert (flag.answer, flag.reason, flag.text) == (
        answer,
        "other",
        "Dose looks wrong",
    )


def test_the_form_shows_why_a_report_is_refused(client, reporter, answer):
    client.login(username="reporter", password=PASSWORD)

    response = client.post(f"/moderation/flag/answer/{answer.pk}/", {"reason": "other"})

    assert response.status_code == 200
    assert "Tell the editors in a few words what is wrong." in response.content.decode()
    assert not Flag.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(client, answer):
    response = client.post(f"/moderation/flag/answer/{answer.pk}/", {"reason": "spam"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Flag.objects.exists()


@pytest.mark.parametrize(
    "url",
    ["/moderation/flag/user/1/", "/moderation/flag/answer/999999/"],
)
def test_unknown_items_are_not_found(client, reporter, url):
    client.login(username="reporter", password=PASSWORD)

    assert client.get(url).status_code == 404


def test_a_hidden_answer_cannot_be_reported(client, reporter, answer):
    # given
    answer.status = "hidden"
    answer.save(update_fields=["status"])
    client.login(username="reporter", password=PASSWORD)

    # when
    response = client.post(f"/moderation/flag/answer/{answer.pk}/", {"reason": "spam"})

    # then
    assert response.status_code == 404
    assert not Flag.objects.exists()
