"""Editors can list, search, filter and open every model in the admin."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

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
        "experts.video",
        "questions.answer",
        "questions.question",
        "topics.topic",
    ]


@pytest.mark.parametrize("label", MODELS)
def test_changelist_search_add_and_change_pages_load(admin_client, label):
    load_demo_content()
    app_label, model_name = label.split(".")
    model = next(m for m in admin.site._registry if m._meta.label_lower == label)
    changelist = reverse(f"admin:{app_label}_{model_name}_changelist")

    listing = admin_client.get(changelist)
    searched = admin_client.get(changelist, {"q": "sclerosis"})
    added = admin_client.get(reverse(f"admin:{app_label}_{model_name}_add"))
    changed = admin_client.get(
        reverse(
            f"admin:{app_label}_{model_name}_change", args=[model.objects.first().pk]
        )
    )

    assert [
        listing.status_code,
        searched.status_code,
        added.status_code,
        changed.status_code,
    ] == [
        200,
        200,
        200,
        200,
    ]
