"""Rate limits: per user and per address, a friendly 429 page or the API's
error shape, and sign-in throttling that always lifts."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from askwell.accounts.models import User
from askwell.accounts.tests.factories import PASSWORD, UserFactory
from askwell.core import ratelimit
from askwell.core.tests.conftest import redis_caches
from askwell.experts.tests.factories import ContributorFactory
from askwell.moderation.actions import DELETE_CONFIRMATION
from askwell.moderation.models import Flag
from askwell.questions.models import Answer, Comment, Endorsement, HelpfulMark, Question
from askwell.questions.tests.factories import AnswerFactory, QuestionFactory

# The start of a 15-minute window: limits below lift exactly 900 s later.
START = 1_800_000_000.0


@pytest.fixture
def clock(monkeypatch, cache_backend):
    """A clock the tests move; the cache starts and ends empty. Every test
    that counts runs twice: without Redis (counts in the database) and with
    Redis as the cache."""
    moment = {"now": START}
    monkeypatch.setattr(ratelimit, "now", lambda: moment["now"])
    cache.clear()
    yield moment
    cache.clear()


@pytest.fixture
def limits(settings, clock):
    def set_limits(**rates: dict[str, str]) -> None:
        settings.ASKWELL_RATE_LIMITS = {**settings.ASKWELL_RATE_LIMITS, **rates}

    return set_limits


def _login(client: Client, login: str, password: str, ip: str = "203.0.113.7"):
    return client.post(
        reverse("accounts:login"),
        {"login": login, "password": password},
        REMOTE_ADDR=ip,
    )


def _assert_too_many(response, seconds: int, minutes: int) -> None:
    assert response.status_code == 429
    assert response.headers["Retry-After"] == str(seconds)
    plural = "" if minutes == 1 else "s"
    assert (
        f"Too many attempts; try again in {minutes} minute{plural}."
        in response.content.decode()
    )


# --- sign-in ------------------------------------------------------------------------


@pytest.mark.django_db
def test_sign_in_attempts_are_limited_per_address_and_account(client, limits):
    # given
    limits(login={"ip+login": "3/15m", "ip": "100/15m"})
    UserFactory(username="alice")
    for _ in range(3):
        assert _login(client, "alice", "wrong guess").status_code == 200

    # when
    blocked = _login(client, "alice", PASSWORD)

    # then: even the right password waits, and no one is signed in.
    _assert_too_many(blocked, 900, 15)
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_guessing_from_elsewhere_does_not_lock_the_owner_out(client, limits):
    # given: someone guesses at alice's password from another address
    limits(login={"ip+login": "3/15m", "ip": "100/15m"})
    alice = UserFactory(username="alice")
    for _ in range(4):
        _login(Client(), "alice", "wrong guess", ip="198.51.100.66")

    # when
    response = _login(client, "alice", PASSWORD, ip="203.0.113.7")

    # then
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


@pytest.mark.django_db
def test_the_sign_in_lock_lifts_when_its_window_ends(client, limits, clock):
    # given
    limits(login={"ip+login": "3/15m", "ip": "100/15m"})
    alice = UserFactory(username="alice")
    for _ in range(4):
        _login(client, "alice", "wrong guess")
    clock["now"] = START + 600
    _assert_too_many(_login(client, "alice", PASSWORD), 300, 5)

    # when
    clock["now"] = START + 900
    response = _login(client, "alice", PASSWORD)

    # then
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


@pytest.mark.django_db
def test_a_username_and_an_email_address_of_one_account_count_together(client, limits):
    # given: guesses by username, then by email address, in any case
    limits(login={"ip+login": "4/15m", "ip": "100/15m"})
    UserFactory(username="alice", email="Alice@Example.org")
    for login in ("alice", "alice@example.org", "ALICE@example.org", "alice"):
        assert _login(client, login, "wrong guess").status_code == 200

    # when
    blocked = _login(client, "Alice@Example.org", PASSWORD)

    # then
    _assert_too_many(blocked, 900, 15)
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_names_without_an_account_count_casefolded(client, limits):
    # given
    limits(login={"ip+login": "2/15m", "ip": "100/15m"})
    _login(client, "nobody", "guess")
    _login(client, "NoBody", "guess")

    # when
    response = _login(client, " NOBODY ", "guess")

    # then
    _assert_too_many(response, 900, 15)


@pytest.mark.django_db
def test_without_redis_counts_outlive_the_processs_memory(
    client, settings, monkeypatch
):
    """Without REDIS_URL the default cache is each process's own memory;
    the counts are kept where every worker, and a restarted one, sees
    them."""
    # given
    monkeypatch.setattr(ratelimit, "now", lambda: START)
    login_limit = {"ip+login": "3/15m", "ip": "100/15m"}
    settings.ASKWELL_RATE_LIMITS = {
        **settings.ASKWELL_RATE_LIMITS,
        "login": login_limit,
    }
    UserFactory(username="alice")
    for _ in range(3):
        _login(client, "alice", "wrong guess")

    # when: this worker's memory is gone (a restart, or another worker)
    cache.clear()
    response = _login(client, "alice", PASSWORD)

    # then
    _assert_too_many(response, 900, 15)


@pytest.mark.django_db
def test_one_address_trying_many_accounts_is_limited(client, limits):
    # given
    limits(login={"ip+login": "10/15m", "ip": "3/15m"})
    for n in range(3):
        _login(client, f"user{n}", "guess")

    # when
    response = _login(client, "user99", "guess")

    # then
    _assert_too_many(response, 900, 15)


# --- sign-up and password reset ---------------------------------------------------


@pytest.mark.django_db
def test_sign_ups_are_limited_per_address(client, limits):
    # given
    limits(signup={"ip": "1/h"})
    form = {
        "username": "newcomer",
        "email": "newcomer@example.org",
        "password1": "a long enough passphrase 42",
        "password2": "a long enough passphrase 42",
    }
    assert client.post(reverse("accounts:signup"), form).status_code == 302

    # when
    response = client.post(
        reverse("accounts:signup"),
        {**form, "username": "second", "email": "second@example.org"},
    )

    # then
    _assert_too_many(response, 3600, 60)
    assert list(User.objects.values_list("username", flat=True)) == ["newcomer"]


@pytest.mark.django_db
def test_sign_ups_are_limited_per_mailbox(limits, django_capture_on_commit_callbacks):
    """Each sign-up mails its address (a link, or to an owner: someone tried),
    so sign-ups naming one address are limited from wherever they come."""
    # given
    limits(signup={"ip": "100/h", "email": "2/h"})
    UserFactory(username="owner", email="owner@example.org")
    form = {
        "email": "owner@example.org",
        "password1": "a long enough passphrase 42",
        "password2": "a long enough passphrase 42",
    }
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(2):
            Client().post(
                reverse("accounts:signup"),
                {**form, "username": f"someone{n}"},
                REMOTE_ADDR=f"198.51.100.{n}",
            )

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            reverse("accounts:signup"),
            {**form, "username": "someone9", "email": "Owner@Example.org"},
            REMOTE_ADDR="198.51.100.9",
        )

    # then
    _assert_too_many(response, 3600, 60)
    assert [m.to for m in mail.outbox] == [["owner@example.org"]] * 2


@pytest.mark.django_db(transaction=True)
def test_password_resets_are_limited_per_address(client, limits):
    # given
    limits(password_reset={"ip": "2/h"})
    UserFactory(username="alice", email="alice@example.org")
    for _ in range(2):
        client.post(reverse("accounts:password_reset"), {"email": "alice@example.org"})
    assert len(mail.outbox) == 2

    # when
    response = client.post(
        reverse("accounts:password_reset"), {"email": "alice@example.org"}
    )

    # then
    _assert_too_many(response, 3600, 60)
    assert len(mail.outbox) == 2


# --- mail: per mailbox and per client -------------------------------------------


@pytest.mark.django_db
def test_password_reset_mail_is_limited_per_mailbox(
    limits, django_capture_on_commit_callbacks
):
    # given
    limits(password_reset={"ip": "100/h", "email": "2/h"})
    UserFactory(username="alice", email="alice@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(2):
            Client().post(
                reverse("accounts:password_reset"),
                {"email": "alice@example.org"},
                REMOTE_ADDR=f"198.51.100.{n}",
            )

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            reverse("accounts:password_reset"),
            {"email": "ALICE@example.org"},
            REMOTE_ADDR="198.51.100.9",
        )

    # then
    _assert_too_many(response, 3600, 60)
    assert [m.to for m in mail.outbox] == [["alice@example.org"]] * 2


def _resend(email: str, ip: str):
    return Client().post(
        reverse("accounts:resend_verification"), {"email": email}, REMOTE_ADDR=ip
    )


@pytest.mark.django_db
def test_verification_mail_is_limited_per_mailbox(
    limits, django_capture_on_commit_callbacks
):
    # given: two resends to one mailbox, from two addresses
    limits(resend_verification={"ip": "100/h", "email": "2/h"})
    UserFactory(email="new@example.org", is_active=False, last_login=None)
    with django_capture_on_commit_callbacks(execute=True):
        _resend("new@example.org", "198.51.100.1")
        _resend("New@Example.org ", "198.51.100.2")

    # when: a third, from a third address
    with django_capture_on_commit_callbacks(execute=True):
        response = _resend("new@example.org", "198.51.100.3")

    # then
    _assert_too_many(response, 3600, 60)
    assert [m.to for m in mail.outbox] == [["new@example.org"]] * 2


@pytest.mark.django_db
def test_verification_mail_is_limited_per_client(limits):
    # given
    limits(resend_verification={"ip": "2/h", "email": "100/h"})
    for n in range(2):
        _resend(f"person{n}@example.org", "198.51.100.1")

    # when
    response = _resend("person9@example.org", "198.51.100.1")

    # then
    _assert_too_many(response, 3600, 60)


@pytest.mark.parametrize(
    ("limit", "addresses", "accounts"),
    [
        ({"user": "100/h", "ip": "100/h", "new_email": "2/h"}, ["new@example.org"], 3),
        (
            {"user": "2/h", "ip": "100/h", "new_email": "100/h"},
            ["a@x.org", "b@x.org", "c@x.org"],
            1,
        ),
    ],
    ids=["per-mailbox", "per-account"],
)
@pytest.mark.django_db
def test_change_of_email_mail_is_limited(
    limits, django_capture_on_commit_callbacks, limit, addresses, accounts
):
    # given
    limits(email_change=limit)
    clients = []
    for n in range(accounts):
        client = Client()
        client.force_login(UserFactory(username=f"user{n}", email=f"user{n}@x.org"))
        clients.append(client)
    requests = [
        (clients[n % accounts], addresses[n % len(addresses)]) for n in range(3)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        for client, address in requests[:2]:
            form = {"new_email": address, "password": PASSWORD}
            assert (
                client.post(reverse("accounts:email_change"), form).status_code == 302
            )

    # when
    client, address = requests[2]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:email_change"),
            {"new_email": address, "password": PASSWORD},
        )

    # then
    _assert_too_many(response, 3600, 60)
    assert len(mail.outbox) == 2


# --- forms that ask for the current password -----------------------------------


def _password_form(kind: str, password: str) -> tuple[str, dict[str, str]]:
    if kind == "email":
        form = {"new_email": "new@example.org", "password": password}
        return reverse("accounts:email_change"), form
    if kind == "password":
        new = "a new long passphrase 42"
        form = {"old_password": password, "new_password1": new, "new_password2": new}
        return reverse("accounts:password_change"), form
    form = {"password": password, "confirmation": DELETE_CONFIRMATION}
    return reverse("moderation:delete-account"), form


@pytest.mark.parametrize("kind", ["email", "password", "delete"])
@pytest.mark.parametrize(
    ("limit", "accounts"),
    [({"user": "2/h", "ip": "100/h"}, 1), ({"user": "100/h", "ip": "2/h"}, 2)],
    ids=["per-account", "per-address"],
)
@pytest.mark.django_db
def test_guesses_at_the_current_password_are_limited(limits, kind, limit, accounts):
    # given: two wrong guesses, from one account or two on one address
    limits(password_confirm=limit)
    users = [UserFactory(username=f"user{n}") for n in range(accounts)]
    clients = []
    for user in users:
        clients.append(Client())
        clients[-1].force_login(user)
    for n in range(2):
        url, form = _password_form(kind, "wrong guess")
        assert clients[n % accounts].post(url, form).status_code == 200

    # when: the right password
    url, form = _password_form(kind, PASSWORD)
    response = clients[-1].post(url, form)

    # then: refused, and nothing changed
    _assert_too_many(response, 3600, 60)
    user = User.objects.get(pk=users[-1].pk)
    assert user.check_password(PASSWORD)
    assert user.email == users[-1].email
    assert user.is_active


# --- contributions ----------------------------------------------------------------


@pytest.fixture
def scene(db):
    asker = UserFactory(username="asker")
    question = QuestionFactory(asker=asker, status="open")
    expert = UserFactory(username="drjane")
    ContributorFactory(user=expert)
    other = UserFactory(username="drsam")
    ContributorFactory(user=other)
    answer = AnswerFactory(question=QuestionFactory(asker=asker))
    return {
        "asker": asker,
        "expert": expert,
        "other_expert": other,
        "question": question,
        "answer": answer,
    }


def _contribution(kind: str, scene: dict) -> tuple[User, str, dict, type]:
    """(who, url, form, model whose rows the request adds)."""
    answer = scene["answer"]
    if kind == "ask":
        form = {"title": "How long does a cold usually last?", "details": ""}
        return scene["asker"], reverse("questions:ask"), form, Question
    if kind == "answer":
        url = reverse("questions:answer", args=[scene["question"].slug])
        body = "Rest and fluids help most people recover within about a week."
        form = {"contributor": scene["expert"].contributor.pk, "body": body}
        return scene["expert"], url, form, Answer
    if kind == "comment":
        url = reverse("questions:comment", args=[answer.pk])
        return scene["asker"], url, {"body": "Thank you, that helps."}, Comment
    if kind == "flag":
        url = reverse("moderation:flag", args=["answer", answer.pk])
        return scene["expert"], url, {"reason": "spam"}, Flag
    if kind == "helpful":
        url = reverse("questions:helpful", args=[answer.pk])
        return scene["asker"], url, {}, HelpfulMark
    url = reverse("questions:endorse", args=[answer.pk])
    form = {
        "contributor": scene["other_expert"].contributor.pk,
        "kind": "endorse",
        "reason": "Matches current guidance.",
    }
    return scene["other_expert"], url, form, Endorsement


@pytest.mark.parametrize(
    ("kind", "limit"),
    [
        ("ask", "ask"),
        ("answer", "answer"),
        ("comment", "comment"),
        ("flag", "flag"),
        ("helpful", "vote"),
        ("endorse", "vote"),
    ],
)
def test_contributions_are_limited_per_user(client, limits, scene, kind, limit):
    # given
    limits(**{limit: {"user": "1/h", "ip": "100/h"}})
    user, url, form, model = _contribution(kind, scene)
    client.force_login(user)
    client.post(url, form)
    stored = model.objects.count()
    assert stored >= 1

    # when
    response = client.post(url, form)

    # then
    _assert_too_many(response, 3600, 60)
    assert model.objects.count() == stored


def test_the_user_limit_leaves_other_people_free(client, limits, scene):
    # given
    limits(ask={"user": "1/h", "ip": "100/h"})
    user, url, form, _ = _contribution("ask", scene)
    client.force_login(user)
    client.post(url, form)

    # when
    other = Client()
    other.force_login(scene["expert"])
    response = other.post(url, {**form, "title": "Does zinc shorten a cold?"})

    # then
    assert response.status_code == 302
    assert Question.objects.filter(title="Does zinc shorten a cold?").exists()


def test_the_address_limit_counts_every_account_on_it(client, limits, scene):
    # given
    limits(ask={"user": "100/h", "ip": "1/h"})
    user, url, form, _ = _contribution("ask", scene)
    client.force_login(user)
    client.post(url, form)

    # when
    other = Client()
    other.force_login(scene["expert"])
    response = other.post(url, {**form, "title": "Does zinc shorten a cold?"})

    # then
    _assert_too_many(response, 3600, 60)
    assert not Question.objects.filter(title="Does zinc shorten a cold?").exists()


# --- search -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_search_page_is_limited(client, limits):
    # given
    limits(search={"user": "2/m", "ip": "2/m"})
    for _ in range(2):
        assert client.get(reverse("search"), {"q": "cold"}).status_code == 200

    # when
    response = client.get(reverse("search"), {"q": "cold"})

    # then
    _assert_too_many(response, 60, 1)


@pytest.mark.django_db
def test_the_search_api_answers_429_in_its_error_shape(client, limits, clock):
    # given
    limits(search={"user": "2/m", "ip": "2/m"})
    clock["now"] = START + 15
    for _ in range(2):
        assert client.get("/api/v1/search", {"q": "cold"}).status_code == 200

    # when
    response = client.get("/api/v1/search", {"q": "cold"})

    # then
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "45"
    assert response.json() == {
        "error": {
            "code": "rate_limited",
            "message": "Too many requests; try again in 45 seconds.",
            "details": {"retry_after": 45},
        }
    }


# --- building blocks ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "count", "period"),
    [("10/h", 10, 3600), ("5/15m", 5, 900), ("1/s", 1, 1), ("3/2d", 3, 172800)],
)
def test_rates_read_count_and_period(text, count, period):
    assert ratelimit.Rate.parse(text) == ratelimit.Rate(count, period)


@pytest.mark.parametrize("text", ["10", "10/x", "/h", "ten/h", "10/h/2"])
def test_a_malformed_rate_is_refused(text):
    with pytest.raises(ValueError, match="is not a rate"):
        ratelimit.Rate.parse(text)


@pytest.mark.parametrize(
    ("proxies", "meta", "expected"),
    [
        (0, {"REMOTE_ADDR": "203.0.113.7"}, "203.0.113.7"),
        # A client-sent X-Forwarded-For is ignored without trusted proxies.
        (
            0,
            {"REMOTE_ADDR": "203.0.113.7", "HTTP_X_FORWARDED_FOR": "1.2.3.4"},
            "203.0.113.7",
        ),
        # One proxy: its entry, the rightmost, not what the client prepended.
        (
            1,
            {
                "REMOTE_ADDR": "10.0.0.1",
                "HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.9",
            },
            "198.51.100.9",
        ),
        # IPv6 clients count by their /64.
        (0, {"REMOTE_ADDR": "2001:db8:1:2:aaaa::1"}, "2001:db8:1:2::/64"),
    ],
)
def test_the_client_address(settings, proxies, meta, expected):
    settings.ASKWELL_PROXY_COUNT = proxies
    request = RequestFactory().get("/", **meta)

    assert ratelimit.client_ip(request) == expected


def test_the_environment_replaces_limits_by_name():
    env = {
        **os.environ,
        "ASKWELL_RATE_LIMITS": json.dumps({"search": {"ip": "5/m"}}),
    }
    code = (
        "import json, askwell.settings as s; "
        "print(json.dumps([s.ASKWELL_RATE_LIMITS['search'], s.ASKWELL_RATE_LIMITS['login']]))"
    )

    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )

    assert json.loads(result.stdout) == [
        {"ip": "5/m"},
        {"ip+login": "10/15m", "ip": "50/15m"},
    ]


def test_every_form_that_mails_an_address_is_limited_per_mailbox_by_default():
    env = {**os.environ, "ASKWELL_RATE_LIMITS": "{}"}
    code = (
        "import json, askwell.settings as s; print(json.dumps(s.ASKWELL_RATE_LIMITS))"
    )

    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )

    defaults = json.loads(result.stdout)
    mailing = {
        "signup": "email",
        "password_reset": "email",
        "resend_verification": "email",
        "email_change": "new_email",
    }
    for name, field in mailing.items():
        assert {field, "ip"} <= set(defaults[name]), name


def test_with_redis_every_process_counts_against_one_limit(redis_url, settings):
    """What REDIS_URL is for with several app processes: another process's
    sign-ups count here."""
    # given: another process signs up twice from one address, with REDIS_URL
    limit = {"signup": {"ip": "2/d"}}
    settings.CACHES = redis_caches(redis_url)
    settings.ASKWELL_RATE_LIMITS = {**settings.ASKWELL_RATE_LIMITS, **limit}
    cache.clear()
    code = (
        "import django; django.setup(); "
        "from django.test import RequestFactory; "
        "from askwell.core.ratelimit import hit; "
        "request = RequestFactory().post('/', REMOTE_ADDR='198.51.100.20'); "
        "hit(request, 'signup'); hit(request, 'signup')"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "askwell.settings",
        "REDIS_URL": redis_url,
        "ASKWELL_RATE_LIMITS": json.dumps(limit),
    }
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    request = RequestFactory().post("/", REMOTE_ADDR="198.51.100.20")

    # when, then: the third sign-up, from this process, is one too many
    with pytest.raises(ratelimit.RateLimited):
        ratelimit.hit(request, "signup")
    cache.clear()
