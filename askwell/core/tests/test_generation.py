"""The content generation: which statements change it, and when."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.db import transaction

from askwell.core.generation import (
    GENERATION_KEY,
    changes_content,
    content_generation,
)
from askwell.questions.models import Question
from askwell.questions.tests.factories import QuestionFactory


@pytest.mark.parametrize(
    ("sql", "changes"),
    [
        ('INSERT INTO "questions_answer" ("body") VALUES (%s)', True),
        ('UPDATE "questions_answer" SET "status" = %s WHERE "id" = %s', True),
        ('DELETE FROM "questions_helpfulmark" WHERE "id" IN (%s)', True),
        ('INSERT OR IGNORE INTO "topics_topic" ("name") VALUES (%s)', True),
        ("INSERT INTO search_fts(rowid, title) VALUES (?, ?)", True),
        ('TRUNCATE "questions_question", "django_session";', True),
        ('UPDATE "accounts_user" SET "username" = %s WHERE "id" = %s', True),
        # A full save of a user changes what pages may show (the name).
        (
            'UPDATE "accounts_user" SET "last_login" = %s, "username" = %s '
            'WHERE "accounts_user"."id" = %s',
            True,
        ),
        # Per visit and per sign-in: no page shows them as text.
        (
            'UPDATE "questions_question" SET "view_count" = '
            '("questions_question"."view_count" + %s) '
            'WHERE "questions_question"."id" = %s',
            False,
        ),
        (
            'UPDATE "accounts_user" SET "last_login" = %s '
            'WHERE "accounts_user"."id" = %s',
            False,
        ),
        ('INSERT INTO "django_session" ("session_key") VALUES (%s)', False),
        ('INSERT INTO "notifications_notification" ("text") VALUES (%s)', False),
        ('INSERT INTO "audit_logentry" ("action") VALUES (%s)', False),
        ('INSERT INTO "moderation_flag" ("reason") VALUES (%s)', False),
        ('SELECT "id" FROM "questions_answer" FOR UPDATE', False),
        ("SAVEPOINT s1", False),
        ("PRAGMA foreign_keys = ON", False),
    ],
)
def test_which_statements_change_content(sql, changes):
    assert changes_content(sql) is changes


def _stored() -> int:
    """The generation as stored, without marking it read."""
    return int(caches["shared"].get(GENERATION_KEY))


@pytest.mark.django_db(transaction=True)
def test_a_transaction_changes_the_generation_again_when_it_commits():
    # given
    before = content_generation()

    # when
    with transaction.atomic():
        QuestionFactory()
        during = _stored()
        QuestionFactory()
        QuestionFactory()
        still = _stored()
    after = _stored()

    # then: at once (a page was rendered since the last bump), not again for
    # the next writes, and once more on commit
    assert during != before
    assert still == during
    assert after != during


@pytest.mark.django_db(transaction=True)
def test_writes_nobody_read_in_between_wait_for_the_commit():
    # given: the generation was changed and nothing has read it since
    QuestionFactory()
    before = _stored()

    # when
    with transaction.atomic():
        QuestionFactory()
        during = _stored()
    after = _stored()

    # then
    assert during == before
    assert after != before


def _write_then_fail() -> None:
    with transaction.atomic():
        QuestionFactory()
        raise RuntimeError


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_leaves_no_bump_after_it():
    # given
    QuestionFactory()
    before = _stored()

    # when
    with pytest.raises(RuntimeError):
        _write_then_fail()

    # then
    assert Question.objects.count() == 1
    assert _stored() == before


@pytest.mark.django_db(transaction=True)
def test_an_autocommitted_write_changes_the_generation_at_once():
    # given
    question = QuestionFactory()
    before = _stored()

    # when
    Question.objects.filter(pk=question.pk).update(title="Is a fever dangerous?")

    # then
    assert _stored() != before


def test_a_lost_generation_starts_again_somewhere_new():
    # given
    first = content_generation()
    caches["shared"].delete(GENERATION_KEY)

    # when
    second = content_generation()

    # then
    assert second != first
    assert content_generation() == second
