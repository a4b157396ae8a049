from __future__ import annotations

import pytest

from askwell.experts.tests.factories import (
    ContributorFactory,
    OrganizationFactory,
    VideoFactory,
)
from askwell.questions.tests.factories import AnswerFactory, QuestionFactory
from askwell.topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    root = TopicFactory(name="Diabetes", slug="diabetes")
    child = TopicFactory(
        name="Type 2 Diabetes", slug="type-2", parent=root, other_names=["T2D"]
    )
    leaf = TopicFactory(name="Diabetes Diet", slug="diabetes-diet", parent=child)
    return root, child, leaf


def test_topic_page_shows_path_subtopics_and_other_names(client, tree):
    _root, child, _leaf = tree

    html = client.get(child.get_absolute_url()).content.decode()

    assert "<h1>Type 2 Diabetes</h1>" in html
    assert "Also called: T2D" in html
    assert 'href="/topics/diabetes/"' in html.split('aria-label="Breadcrumb"')[1]
    assert 'href="/topics/diabetes-diet/">Diabetes Diet<' in html


def test_topic_page_lists_questions_from_subtopics(client, tree):
    root, _child, leaf = tree
    QuestionFactory(title="Can I eat fruit with diabetes?", topics=[leaf])
    QuestionFactory(title="Off-topic question?", topics=[TopicFactory()])

    html = client.get(root.get_absolute_url()).content.decode()

    assert "Can I eat fruit with diabetes?" in html
    assert "Off-topic question?" not in html


def test_topic_questions_sort_by_newest_or_most_viewed(client, tree):
    _, child, _ = tree
    older_popular = QuestionFactory(
        title="Older but popular?", topics=[child], view_count=900
    )
    QuestionFactory(title="Newer but quiet?", topics=[child], view_count=3)

    newest = client.get(child.get_absolute_url()).context["page"].object_list
    viewed = (
        client.get(child.get_absolute_url() + "?sort=most-viewed")
        .context["page"]
        .object_list
    )

    assert [q.title for q in newest] == ["Newer but quiet?", older_popular.title]
    assert [q.title for q in viewed] == [older_popular.title, "Newer but quiet?"]


def test_topic_questions_paginate(client, settings, tree):
    settings.ASKWELL_PAGE_SIZE = 2
    _, child, _ = tree
    for _ in range(5):
        QuestionFactory(topics=[child])

    second = client.get(child.get_absolute_url() + "?page=2")
    past_end = client.get(child.get_absolute_url() + "?page=4")
    not_a_number = client.get(child.get_absolute_url() + "?page=abc")

    assert len(second.context["page"].object_list) == 2
    assert "Page 2 of 3" in second.content.decode()
    assert past_end.status_code == 404
    assert not_a_number.status_code == 404


def test_topic_page_shows_top_contributors_and_videos(client, tree):
    _, child, leaf = tree
    busy = OrganizationFactory(name="Busy Society")
    quiet = ContributorFactory(name="Quiet Expert")
    for _ in range(3):
        AnswerFactory(question=QuestionFactory(topics=[leaf]), contributor=busy)
    AnswerFactory(question=QuestionFactory(topics=[child]), contributor=quiet)
    VideoFactory(title="Cooking for diabetes", topics=[leaf])

    response = client.get(child.get_absolute_url())

    contributors = response.context["top_contributors"]
    assert [(c.name, c.topic_answers) for c in contributors] == [
        ("Busy Society", 3),
        ("Quiet Expert", 1),
    ]
    assert "Cooking for diabetes" in response.content.decode()


def test_empty_topic_says_so(client):
    topic = TopicFactory(name="Gout")

    assert (
        "No questions about Gout yet."
        in client.get(topic.get_absolute_url()).content.decode()
    )


def test_topic_directory_lists_roots_with_children(client, tree):
    html = client.get("/topics/").content.decode()

    assert "Diabetes" in html
    assert "Type 2 Diabetes" in html


def test_unknown_topic_is_404(client):
    assert client.get("/topics/nope/").status_code == 404


def test_directory_shows_a_few_children_and_links_to_the_rest(client):
    root = TopicFactory(name="Diseases", slug="diseases")
    for n in range(12):
        TopicFactory(name=f"Disease {n:02d}", parent=root)

    html = client.get("/topics/").content.decode()

    assert "Disease 07" in html
    assert "Disease 08" not in html
    assert 'href="/topics/diseases/subtopics/">All 12 topics' in html


def test_subtopics_page_lists_every_child_alphabetically_paginated(client):
    root = TopicFactory(name="Drugs", slug="drugs")
    for n in range(105):
        TopicFactory(name=f"Drug {n:03d}", parent=root)

    first = client.get("/topics/drugs/subtopics/")
    second = client.get("/topics/drugs/subtopics/?page=2")

    assert [t.name for t in first.context["page"].object_list][:2] == [
        "Drug 000",
        "Drug 001",
    ]
    assert [t.name for t in second.context["page"].object_list] == [
        f"Drug {n}" for n in range(100, 105)
    ]
    assert "Page 1 of 2" in first.content.decode()


def test_topic_page_shows_the_first_subtopics_and_links_to_all(client):
    root = TopicFactory(name="Herbs", slug="herbs")
    for n in range(45):
        TopicFactory(name=f"Herb {n:02d}", parent=root)

    html = client.get("/topics/herbs/").content.decode()

    assert "Herb 39" in html
    assert "Herb 40" not in html
    assert "All 45 subtopics of Herbs" in html
