"""Spam checks without third-party services: honeypot, minimum form time,
link limits for new accounts, and nofollow on every user link."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from askwell.accounts.models import User
from askwell.accounts.tests.factories import UserFactory
from askwell.core.antispam import (
    _SALT,
    HONEYPOT_FIELD,
    REFUSED,
    STARTED_FIELD,
    count_links,
    form_started_token,
)
from askwell.experts.tests.factories import ContributorFactory
from askwell.lib.markdown import render_markdown
from askwell.questions.models import Answer, Comment, Question
from askwell.questions.tests.factories import AnswerFactory, QuestionFactory

SIGNUP = {
    "username": "newcomer",
    "email": "newcomer@example.org",
    "password1": "a long enough passphrase 42",
    "password2": "a long enough passphrase 42",
}


@pytest.fixture
def min_time(settings):
    settings.ASKWELL_FORM_MIN_SECONDS = 3
    return 3


def _aged(seconds: float) -> str:
    return form_started_token(time.time() - seconds)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("extra", "stored"),
    [
        ({STARTED_FIELD: "aged"}, True),
        ({STARTED_FIELD: "aged", HONEYPOT_FIELD: "https://spam.example"}, False),
        ({STARTED_FIELD: "fresh"}, False),
        ({}, False),
        ({STARTED_FIELD: "1800000000:forged-signature"}, False),
        ({STARTED_FIELD: "stale"}, False),
    ],
    ids=["person", "honeypot", "too-fast", "no-timestamp", "forged", "days-old"],
)
def test_sign_up_refuses_bots_with_one_generic_message(client, min_time, extra, stored):
    # given
    tokens = {"aged": _aged(10), "fresh": _aged(0), "stale": _aged(3 * 24 * 3600)}
    form = {**SIGNUP, **{k: tokens.get(v, v) for k, v in extra.items()}}

    # when
    response = client.post(reverse("accounts:signup"), form)

    # then
    assert User.objects.filter(username="newcomer").exists() is stored
    if stored:
        assert response.status_code == 302
    else:
        assert response.status_code == 200
        assert response.context["form"].non_field_errors() == [REFUSED]


@pytest.mark.django_db
def test_the_forms_carry_the_trap_and_a_fresh_timestamp(client, min_time):
    response = client.get(reverse("accounts:signup"))

    html = response.content.decode()
    assert f'name="{HONEYPOT_FIELD}" value="" tabindex="-1"' in html
    assert '<div class="visually-hidden" aria-hidden="true">' in html
    assert f'name="{STARTED_FIELD}" value="' in html


@pytest.fixture
def people(db):
    old = timezone.now() - timedelta(days=30)
    asker = UserFactory(username="asker", date_joined=old)
    expert = UserFactory(username="drjane", date_joined=old)
    ContributorFactory(user=expert)
    answer = AnswerFactory(question=QuestionFactory(asker=asker), author=expert)
    return {"asker": asker, "expert": expert, "answer": answer}


@pytest.mark.parametrize("kind", ["ask", "answer", "comment"])
def test_content_forms_refuse_a_post_sent_too_fast(client, people, min_time, kind):
    # given
    url, form, model, user = _post("ask" if kind == "ask" else kind, people, links=0)
    client.force_login(user)
    before = model.objects.count()

    # when
    too_fast = client.post(url, {**form, STARTED_FIELD: _aged(0)})
    in_time = client.post(url, {**form, STARTED_FIELD: _aged(5)})

    # then
    assert REFUSED in too_fast.content.decode()
    assert in_time.status_code == 302
    assert model.objects.count() == before + 1


@pytest.mark.parametrize("kind", ["ask", "answer", "comment"])
def test_a_form_timestamp_works_once(client, people, min_time, kind):
    """One form waited for is one post: a bot cannot replay its timestamp."""
    # given
    url, form, model, user = _post(kind, people, links=0)
    client.force_login(user)
    before = model.objects.count()
    token = _aged(5)
    assert client.post(url, {**form, STARTED_FIELD: token}).status_code == 302

    # when: five more posts, each fine but for its timestamp
    replayed = []
    for _ in range(5):
        url, form, _, _ = _post(kind, people, links=0)
        replayed.append(client.post(url, {**form, STARTED_FIELD: token}))

    # then
    assert model.objects.count() == before + 1
    assert all(REFUSED in r.content.decode() for r in replayed)


def _shown_at(response) -> int:
    """When the form in `response` says it was first shown."""
    token = _started_field(response)
    return int(signing.Signer(salt=_SALT).unsign(token).split(":")[0])


@pytest.mark.django_db
def test_a_form_shown_again_keeps_the_time_it_was_first_shown(client, min_time):
    """A person correcting a refused form at once is not told to wait."""
    # given: a sign-up sent after 10 s, refused for its password
    first_shown = int(time.time()) - 10
    mistake = client.post(
        reverse("accounts:signup"),
        {
            **SIGNUP,
            "password2": "a different passphrase 42",
            STARTED_FIELD: form_started_token(first_shown),
        },
    )
    assert mistake.status_code == 200

    # when: corrected straight away, with the form's new timestamp
    corrected = client.post(
        reverse("accounts:signup"),
        {**SIGNUP, STARTED_FIELD: _started_field(mistake)},
    )

    # then
    assert _shown_at(mistake) == first_shown
    assert corrected.status_code == 302
    assert User.objects.filter(username="newcomer").exists()


def test_removing_personal_details_keeps_the_time_the_form_was_first_shown(
    client, people, min_time
):
    """Asking with personal details takes three posts (warned; "Remove
    them for me"; post): the last, sent at once, is not told to wait."""
    # given: a question with an email address, sent 10 s after the form was shown
    client.force_login(people["asker"])
    first_shown = int(time.time()) - 10
    title = "Can my doctor at jane@example.org help with my cold?"
    warned = client.post(
        reverse("questions:ask"),
        {"title": title, STARTED_FIELD: form_started_token(first_shown)},
    )
    assert "Your question seems to include personal details" in warned.content.decode()
    removed = client.post(
        reverse("questions:ask"),
        {
            "title": title,
            "personal_details": "remove",
            STARTED_FIELD: _started_field(warned),
        },
    )

    # when: posted straight away
    posted = client.post(
        reverse("questions:ask"),
        {
            "title": "Can my doctor at [removed] help with my cold?",
            STARTED_FIELD: _started_field(removed),
        },
    )

    # then
    assert _shown_at(removed) == first_shown
    assert posted.status_code == 302
    assert (
        Question.objects.get(
            title="Can my doctor at [removed] help with my cold?"
        ).asker
        == people["asker"]
    )


@pytest.mark.django_db
def test_a_form_sent_too_soon_keeps_its_clock_running(client, min_time):
    # given: shown a second ago, the minimum being 3 s
    first_shown = int(time.time()) - 1

    # when
    too_soon = client.post(
        reverse("accounts:signup"),
        {**SIGNUP, STARTED_FIELD: form_started_token(first_shown)},
    )

    # then
    assert REFUSED in too_soon.content.decode()
    assert _shown_at(too_soon) == first_shown


def test_a_replayed_timestamp_starts_the_clock_again(client, people, min_time):
    """A used timestamp earns no new one that skips the wait."""
    # given
    url, form, _, user = _post("comment", people, links=0)
    client.force_login(user)
    token = form_started_token(int(time.time()) - 60)
    client.post(url, {**form, STARTED_FIELD: token})

    # when
    replayed = client.post(url, {**form, STARTED_FIELD: token})

    # then
    assert REFUSED in replayed.content.decode()
    assert _shown_at(replayed) >= int(time.time()) - 1


def _started_field(response) -> str:
    (token,) = re.findall(
        rf'name="{STARTED_FIELD}" value="([^"]+)"', response.content.decode()
    )
    return token


def _post(kind: str, people: dict, links: int) -> tuple[str, dict, type, User]:
    """(url, form, model, author) for a post with `links` links in it."""
    urls = " ".join(f"[source {n}](https://example.org/{n})" for n in range(links))
    answer = people["answer"]
    if kind == "ask":
        form = {"title": "How long does a cold last?", "details": f"I read {urls}."}
        return reverse("questions:ask"), form, Question, people["asker"]
    if kind == "answer":
        question = QuestionFactory(asker=people["asker"], status="open")
        form = {
            "contributor": people["expert"].contributor.pk,
            "body": f"Rest and fluids help most people within a week. {urls}",
        }
        url = reverse("questions:answer", args=[question.slug])
        return url, form, Answer, people["expert"]
    form = {"body": f"Thank you, that helps. {urls}"}
    url = reverse("questions:comment", args=[answer.pk])
    return url, form, Comment, people["asker"]


@pytest.mark.parametrize("kind", ["ask", "answer", "comment"])
def test_new_accounts_may_post_only_a_few_links(client, people, settings, kind):
    # given: a two-day-old account
    settings.ASKWELL_NEW_ACCOUNT_MAX_LINKS = 2
    url, form, model, user = _post(kind, people, links=3)
    User.objects.filter(pk=user.pk).update(
        date_joined=timezone.now() - timedelta(days=2)
    )
    client.force_login(user)
    before = model.objects.count()

    # when
    response = client.post(url, form)

    # then
    assert model.objects.count() == before
    assert (
        "New accounts can include at most 2 links in a post (this one has 3)."
        in response.content.decode()
    )


def test_the_link_limit_counts_one_day_in_the_singular(client, people, settings):
    # given: accounts count as new for one day
    settings.ASKWELL_NEW_ACCOUNT_DAYS = 1
    settings.ASKWELL_NEW_ACCOUNT_MAX_LINKS = 2
    url, form, _model, user = _post("ask", people, links=3)
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now())
    client.force_login(user)

    # when
    response = client.post(url, form)

    # then
    html = response.content.decode()
    assert "once your account is 1 day old" in html
    assert "1 days" not in html


@pytest.mark.parametrize("kind", ["ask", "answer", "comment"])
def test_new_accounts_may_post_up_to_the_limit(client, people, settings, kind):
    settings.ASKWELL_NEW_ACCOUNT_MAX_LINKS = 2
    url, form, model, user = _post(kind, people, links=2)
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now())
    client.force_login(user)
    before = model.objects.count()

    response = client.post(url, form)

    assert response.status_code == 302
    assert model.objects.count() == before + 1


def test_an_old_account_with_published_content_may_post_links(client, people):
    # given: the asker's account is 30 days old and has a visible question
    url, form, model, user = _post("comment", people, links=5)
    client.force_login(user)

    # when
    response = client.post(url, form)

    # then
    assert response.status_code == 302
    assert model.objects.get().body == form["body"]


def test_an_old_account_with_nothing_published_counts_as_new(client, people):
    # given: thirty days old, but its only question is hidden
    Question.objects.filter(asker=people["asker"]).update(
        moderation=Question.Moderation.HIDDEN
    )
    url, form, model, user = _post("ask", people, links=3)
    client.force_login(user)

    # when
    response = client.post(url, form)

    # then
    assert "New accounts can include at most" in response.content.decode()
    assert not model.objects.filter(title=form["title"]).exists()


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("No links at all.", 0),
        ("[one](https://example.org) and <https://example.com/two>", 2),
        ("Plain https://spam.example and www.spam.example", 2),
        ("[bad](javascript:alert(1))", 0),
        ("Email [me](mailto:a@example.org)", 1),
    ],
)
def test_links_are_counted_as_readers_would_see_them(text, links):
    assert count_links(text) == links


@pytest.mark.parametrize(
    "source",
    ["[a](https://example.org)", "<https://example.org>", "[a](mailto:a@b.org)"],
)
def test_every_user_link_is_nofollow_ugc(source):
    html = render_markdown(source)

    assert html.count("<a ") == 1
    assert 'rel="nofollow ugc noopener"' in html
