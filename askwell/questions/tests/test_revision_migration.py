"""Migration 0005: existing revisions written by someone other than the
text's signer are marked, so answers and histories show them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [
    ("questions", "0004_revision_by_signer"),
    ("experts", "0006_remove_contributor_members"),
]
AFTER = [("questions", "0005_revision_by_signer_backfill")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_latest():
    """Leave the database fully migrated for the tests that follow."""
    yield
    executor = MigrationExecutor(connection)
    _migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_latest")
def test_edits_by_others_than_the_signer_are_marked():
    # given: a person's answer edited by an editor, an organization's answer
    # edited by a member, a question edited by its asker and by the editor
    old = _migrate(BEFORE)
    User = old.get_model("accounts", "User")
    Contributor = old.get_model("experts", "Contributor")
    Membership = old.get_model("experts", "Membership")
    Question = old.get_model("questions", "Question")
    Answer = old.get_model("questions", "Answer")
    Revision = old.get_model("questions", "Revision")
    now = timezone.now()
    jane, editor, member, asker = (
        User.objects.create(username=name, email=f"{name}@example.org")
        for name in ("jane", "editor", "member", "asker")
    )
    person = Contributor.objects.create(name="Jane Doe", slug="jane", user=jane)
    society = Contributor.objects.create(
        kind="organization", name="MS Society", slug="ms"
    )
    Membership.objects.create(
        organization=society,
        user=member,
        status="active",
        joined_at=now - timedelta(days=5),
    )
    question = Question.objects.create(title="Q?", slug="q", asker=asker)
    by_person = Answer.objects.create(
        question=question, contributor=person, author=jane, body="A"
    )
    by_society = Answer.objects.create(
        question=question, contributor=society, author=member, body="B"
    )

    def revision(answer, number, author):
        return Revision.objects.create(
            question=question, answer=answer, number=number, author=author
        ).pk

    marks = {
        "jane's answer": revision(by_person, 1, jane),
        "editor's edit": revision(by_person, 2, editor),
        "member's answer": revision(by_society, 1, member),
        "member's edit": revision(by_society, 2, member),
        "editor's edit of the society's": revision(by_society, 3, editor),
        "asker's edit": revision(None, 1, asker),
        "editor's edit of the question": revision(None, 2, editor),
        "imported": revision(by_society, 4, None),
    }

    # when
    new = _migrate(AFTER)

    # then
    Revision = new.get_model("questions", "Revision")
    by_signer = dict(Revision.objects.values_list("pk", "by_signer"))
    assert {name: by_signer[pk] for name, pk in marks.items()} == {
        "jane's answer": True,
        "editor's edit": False,
        "member's answer": True,
        "member's edit": True,
        "editor's edit of the society's": False,
        "asker's edit": True,
        "editor's edit of the question": False,
        "imported": True,
    }
