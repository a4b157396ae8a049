"""Editors can list, search, filter and open every model in the admin."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from askwell.demo.accounts import ensure_demo_accounts
from askwell.demo.loader import load_demo_content

pytestmark = pytest.mark.django_db

MODELS = sorted(
    f"{model._meta.app_label}.{model._meta.model_name}"
    for model in admin.site._registry
    if model._meta.app_label in {"accounts", "topics", "experts", "questions"}
)


def test_every_content_model_is_registered():
    assert MODELS == [
        "accounts.user",
        "experts.book",
        "experts.contributor",
        "experts.credentialapplication",
        "experts.membership",
        "experts.video",
        "questions.answer",
        "questions.comment",
        "questions.endorsement",
        "questions.helpfulmark",
        "questions.question",
        "questions.revision",
        "topics.topic",
    ]


@pytest.mark.parametrize("label", MODELS)
def test_changelist_search_add_and_change_pages_load(admin_client, label):
    """Every page an admin can open loads; history-like models (revisions)
    refuse the add page rather than offer a form."""
    load_demo_content()
    _with_site_activity()
    app_label, model_name = label.split(".")
    model, model_admin = next(
        (m, a) for m, a in admin.site._registry.items() if m._meta.label_lower == label
    )
    changelist = reverse(f"admin:{app_label}_{model_name}_changelist")
    first = model.objects.first()

    listing = admin_client.get(changelist)
    searched = admin_client.get(changelist, {"q": "sclerosis"})
    added = admin_client.get(reverse(f"admin:{app_label}_{model_name}_add"))
    changed = admin_client.get(
        reverse(f"admin:{app_label}_{model_name}_change", args=[first.pk])
    )

    can_add = model_admin.has_add_permission(listing.wsgi_request)
    assert [
        listing.status_code,
        searched.status_code,
        added.status_code,
        changed.status_code,
    ] == [200, 200, 200 if can_add else 403, 200]


def _with_site_activity() -> None:
    """Demo accounts, an edited answer (revisions) and a comment, so every
    model has a row to open."""
    from django.contrib.auth import get_user_model

    from askwell.experts.actions import apply_for_verification
    from askwell.questions import actions
    from askwell.questions.models import Answer

    ensure_demo_accounts()
    okafor = get_user_model().objects.get(username="drokafor")
    answer = Answer.objects.filter(contributor__slug="samuel-okafor").first()
    actions.edit_answer(
        okafor, answer, body=f"{answer.body}\n\nUpdated.", reason="Typo"
    )
    actions.post_comment(okafor, answer, body="A short clarification on sclerosis.")
    apply_for_verification(
        get_user_model().objects.get(username="reader"),
        full_name="Rita Reader",
        credentials="RN",
        degree="BSN",
        licence_number="RN-12345",
        licence_issuer="State Board of Nursing",
        specialty="Multiple sclerosis nursing",
        evidence_url="https://example.org/licence",
    )


def test_an_edit_in_the_admin_keeps_a_revision(admin_client, admin_user):
    """Editors' admin edits appear in the answer's history like any other edit."""
    from askwell.questions.models import Answer, Revision

    load_demo_content()
    answer = Answer.objects.order_by("pk").first()
    url = reverse("admin:questions_answer_change", args=[answer.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data["body"] = f"{answer.body}\n\nReviewed again this year."

    response = admin_client.post(url, data)

    assert response.status_code == 302
    revision = Revision.objects.get(answer=answer)
    assert (revision.author, revision.reason) == (admin_user, "Edited in the admin")
    assert revision.body.endswith("Reviewed again this year.")
    # the admin's words are not the signer's, and not reviewed yet
    assert revision.by_signer is False
    answer.refresh_from_db()
    assert answer.review_state == Answer.Review.PENDING


def test_the_admin_cannot_re_sign_an_answer_or_decide_its_review(
    admin_client, admin_user
):
    """Signatures and review decisions are made on the site, never here."""
    from askwell.experts.models import Contributor
    from askwell.questions.models import Answer

    load_demo_content()
    answer = Answer.objects.order_by("pk").first()
    other = Contributor.objects.exclude(pk=answer.contributor_id).first()
    url = reverse("admin:questions_answer_change", args=[answer.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    before = (answer.contributor_id, answer.review_state, answer.reviewed_by_id)

    # when: a forged post tries to change them anyway
    response = admin_client.post(
        url,
        {
            **data,
            "contributor": other.pk,
            "review_state": "published",
            "reviewed_by": admin_user.pk,
        },
    )

    # then
    assert response.status_code == 302
    answer.refresh_from_db()
    assert (answer.contributor_id, answer.review_state, answer.reviewed_by_id) == before
    assert "contributor" not in form.fields
