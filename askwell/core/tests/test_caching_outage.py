"""Pages and writes keep working while a cache is down: the site is slower,
not broken."""

from __future__ import annotations

import pytest

from askwell.core import ratelimit
from askwell.core.tests.conftest import free_port, redis_caches
from askwell.questions.tests.factories import AnswerFactory, QuestionFactory

pytestmark = pytest.mark.django_db

PUBLIC = "public, max-age=60, s-maxage=10, stale-while-revalidate=300"


@pytest.fixture
def site():
    AnswerFactory(question=QuestionFactory(title="How long does a cold last?"))


def _unreachable() -> dict[str, object]:
    return redis_caches(f"redis://127.0.0.1:{free_port()}/0")["default"]


def test_pages_render_while_the_page_cache_is_down(client, site, settings):
    # given
    settings.CACHES = {**settings.CACHES, "default": _unreachable()}

    # when
    first = client.get("/")
    second = client.get("/", HTTP_IF_NONE_MATCH=first["ETag"])

    # then: rendered each time, and still revalidated by ETag
    assert first.status_code == 200
    assert "How long does a cold last?" in first.content.decode()
    assert first["Cache-Control"] == PUBLIC
    assert second.status_code == 304


def test_pages_and_writes_work_while_the_generation_is_unreachable(
    client, site, settings
):
    # given
    settings.CACHES = {**settings.CACHES, "shared": _unreachable()}

    # when: a write, then the page
    QuestionFactory(title="Is a fever dangerous?")
    response = client.get("/")

    # then: no ETag can be made, so nobody may keep the page
    assert response.status_code == 200
    assert "Is a fever dangerous?" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    assert "ETag" not in response


def test_question_pages_render_while_the_fragment_cache_is_down(client, site, settings):
    """The question page caches its side column ({% cache %}): an unreachable
    cache renders it anyway."""
    # given
    settings.CACHES = {**settings.CACHES, "default": _unreachable()}
    question = QuestionFactory(title="Does a cold turn into flu?")
    AnswerFactory(question=question)

    # when
    response = client.get(question.get_absolute_url())

    # then
    assert response.status_code == 200
    assert "Does a cold turn into flu?" in response.content.decode()


def test_rate_limits_hold_while_redis_is_down(client, site, settings, monkeypatch):
    """With Redis unreachable, counts go to the database: the limited pages
    work, and their limits still hold."""
    # given
    monkeypatch.setattr(ratelimit, "now", lambda: 1_800_000_000.0)
    settings.CACHES = {**settings.CACHES, "default": _unreachable()}
    settings.ASKWELL_RATE_LIMITS = {
        **settings.ASKWELL_RATE_LIMITS,
        "search": {"ip": "2/m"},
    }

    # when
    statuses = [client.get("/search/", {"q": "cold"}).status_code for _ in range(3)]

    # then
    assert statuses == [200, 200, 429]
