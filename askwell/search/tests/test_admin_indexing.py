"""Editors' changes in the admin reach search after the change commits."""

from __future__ import annotations

import pytest
from django.urls import reverse

from askwell.demo.loader import load_demo_content
from askwell.questions.models import Answer
from askwell.search.engine import search

pytestmark = pytest.mark.django_db(transaction=True)


def _top_answer_ids(text: str) -> list[int]:
    return [hit.answer.pk for hit in search(text, limit=50).hits]


def test_hiding_an_answer_in_the_admin_removes_it_from_search(admin_client):
    # given
    load_demo_content()
    answer = Answer.objects.get(
        external_id__endswith="/northfield-ms-society",
        question__slug__startswith="can-plasma",
    )
    assert answer.pk in _top_answer_ids("plasmapheresis multiple sclerosis")
    url = reverse("admin:questions_answer_change", args=[answer.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(status="hidden")
    # when
    response = admin_client.post(url, data)
    # then
    assert response.status_code == 302
    assert answer.pk not in _top_answer_ids("plasmapheresis multiple sclerosis")


def test_editing_an_answer_in_the_admin_makes_new_words_findable(admin_client):
    load_demo_content()
    answer = (
        Answer.objects.filter(question__slug__startswith="can-plasma")
        .order_by("pk")
        .first()
    )
    url = reverse("admin:questions_answer_change", args=[answer.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data["body"] = (
        answer.body + "\n\nAsk about apheresis nurses and zygomorphic scheduling."
    )

    admin_client.post(url, data)

    assert answer.pk in _top_answer_ids("zygomorphic")


def test_renaming_a_topic_in_the_admin_makes_its_questions_findable_by_the_name(
    admin_client,
):
    """A topic's names are part of every search document filed under it."""
    # given
    from askwell.topics.models import Topic

    load_demo_content()
    topic = Topic.objects.get(slug="multiple-sclerosis-treatment")
    filed = set(
        Answer.objects.filter(question__topics=topic).values_list("pk", flat=True)
    )
    assert filed
    assert not filed & set(_top_answer_ids("quokkalogy"))
    url = reverse("admin:topics_topic_change", args=[topic.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(name="Multiple Sclerosis Treatment (quokkalogy)", other_names="[]")
    data["codes"] = "{}"
    # when
    response = admin_client.post(url, data)
    # then
    assert response.status_code == 302
    assert filed & set(_top_answer_ids("quokkalogy"))
