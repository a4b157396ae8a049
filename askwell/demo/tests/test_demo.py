"""The demo content meets what the product promises, and `askwell demo` sets it up."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count

from askwell.demo.loader import load_demo_content
from askwell.experts.models import Book, Contributor, Video
from askwell.questions.models import Answer, Question, summarize_stances
from askwell.topics.models import Topic

pytestmark = pytest.mark.django_db

PLASMAPHERESIS = "can-plasmapheresis-help-treat-multiple-sclerosis-ms"


def test_demo_content_meets_the_minimums():
    load_demo_content()

    deep_roots = {t.path()[0].pk for t in Topic.objects.filter(depth__gte=1)}
    assert len(deep_roots) >= 3
    assert Question.objects.filter(answers__isnull=False).distinct().count() >= 30
    assert Answer.objects.published().count() >= 60
    answering = Contributor.objects.filter(answers__isnull=False).distinct()
    assert answering.count() >= 8
    assert answering.organizations().count() >= 2
    assert len(set(answering.people().values_list("credentials", flat=True))) >= 4
    assert Answer.objects.filter(source_book__isnull=False).exists()
    assert Video.objects.count() >= 5
    disagreeing = [
        q
        for q in Question.objects.prefetch_related("answers")
        if summarize_stances(q.answers.all())
    ]
    assert len(disagreeing) >= 2


def test_demo_centrepiece_question_is_as_specified():
    load_demo_content()

    question = Question.objects.get(slug=PLASMAPHERESIS)
    assert question.title == "Can plasmapheresis help treat multiple sclerosis (MS)?"
    assert [t.name for t in question.primary_topic().path()] == [
        "Multiple Sclerosis",
        "Multiple Sclerosis Treatment",
    ]
    answers = list(
        question.answers.published().select_related("contributor", "source_book")
    )
    kinds = sorted(a.contributor.kind for a in answers)
    assert kinds == ["organization", "person"]
    neurologist = next(a for a in answers if a.contributor.kind == "person")
    assert neurologist.contributor.credentials == "MD"
    assert neurologist.source_book is not None
    assert neurologist.source_book.authors.filter(
        pk=neurologist.contributor.pk
    ).exists()
    assert summarize_stances(answers).startswith("Experts differ")
    related_titles = " ".join(
        Question.objects.filter(
            topics__slug="multiple-sclerosis-treatment"
        ).values_list("title", flat=True)
    ).lower()
    for subject in ["fingolimod", "vertebral", "alternative", "stress"]:
        assert subject in related_titles
    assert Video.objects.filter(
        topics__slug="multiple-sclerosis-treatment", title__icontains="alternative"
    ).exists()


def test_loading_twice_updates_instead_of_duplicating():
    first = load_demo_content()
    counts = [
        m.objects.count() for m in (Topic, Contributor, Book, Video, Question, Answer)
    ]

    second = load_demo_content()

    assert [
        m.objects.count() for m in (Topic, Contributor, Book, Video, Question, Answer)
    ] == counts
    assert str(first) == str(second)
    assert (
        Answer.objects.values("question", "contributor")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
        == 0
    )


def test_demo_command_sets_up_content_and_admin_and_keeps_the_database_on_rerun():
    out = io.StringIO()

    call_command("demo", "--no-serve", stdout=out)
    first = out.getvalue()
    Question.objects.filter(slug=PLASMAPHERESIS).update(view_count=777)
    out = io.StringIO()
    call_command("demo", "--no-serve", "--port", "8123", stdout=out)
    second = out.getvalue()

    assert "Loading demo content" in first
    assert "user 'admin', password 'askwell-demo-admin'" in first
    assert get_user_model().objects.get(username="admin").is_superuser
    assert "Demo content already loaded: keeping the existing database" in second
    assert "http://127.0.0.1:8123/" in second
    assert Question.objects.get(slug=PLASMAPHERESIS).view_count == 777


def test_demo_has_a_sign_in_for_every_role():
    """The README's demo logins work and carry the role they claim."""
    from django.contrib.auth import authenticate

    from askwell.accounts import roles
    from askwell.demo.accounts import ACCOUNTS
    from askwell.experts import roles as expert_roles
    from askwell.experts.models import Contributor

    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    printed = out.getvalue()

    users = {}
    for account in ACCOUNTS:
        assert f"{account.username:<13} {account.password}" in printed
        users[account.username] = authenticate(
            username=account.username, password=account.password
        )
        assert users[account.username] is not None, account.username
    assert roles.is_reader(users["reader"])
    assert not expert_roles.is_expert(users["reader"])
    assert [c.slug for c in expert_roles.posting_contributors(users["drokafor"])] == [
        "samuel-okafor"
    ]
    assert [c.slug for c in expert_roles.posting_contributors(users["northfield"])] == [
        "northfield-ms-society"
    ]
    assert not expert_roles.is_expert(users["drwhitaker"])
    assert Contributor.objects.get(slug="paul-whitaker").user == users["drwhitaker"]
    assert roles.is_editor(users["editor"])
    assert not roles.is_editor(users["drokafor"])
    # Readers see who reviewed an answer by name: the reviewer can review.
    from askwell.review.permissions import is_reviewer, reviewer_identity_missing

    assert is_reviewer(users["editor"])
    assert reviewer_identity_missing(users["editor"]) == ""
    assert users["editor"].contributor.signature == "Dr. Erin Walsh, MD, MPH"


def test_demo_content_is_dated_by_its_age_and_books_have_covers():
    """Each question and answer was posted `age_days` ago and not changed
    since; answers count as published, never reviewed here; every book
    has a drawn cover."""
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    load_demo_content(now=now)

    question = Question.objects.get(slug=PLASMAPHERESIS)
    assert question.created_at == now - timedelta(days=40)
    rows = [
        *Question.objects.filter(source="demo"),
        *Answer.objects.filter(source="demo"),
    ]
    assert all(row.updated_at == row.created_at for row in rows)
    assert set(
        Answer.objects.filter(source="demo").values_list("review_state", "reviewed_at")
    ) == {("published", None)}
    assert all(
        book.cover.name == f"books/{book.slug}.png" for book in Book.objects.all()
    )
