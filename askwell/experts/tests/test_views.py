from __future__ import annotations

import pytest

from askwell.core.importing import ImportRow, Slugs
from askwell.experts.actions import import_contributors_batch
from askwell.experts.models import Contributor
from askwell.experts.tests.factories import (
    BookFactory,
    ContributorFactory,
    OrganizationFactory,
    VideoFactory,
)
from askwell.questions.models import Answer
from askwell.questions.tests.factories import AnswerFactory, QuestionFactory
from askwell.testing.datasets import naughty_strings
from askwell.topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


def test_person_profile_shows_credentials_verification_books_videos_and_answers(client):
    person = ContributorFactory(
        name="Ana Silva",
        credentials="PharmD",
        specialty="Pharmacy",
        bio="Hospital pharmacist.",
    )
    book = BookFactory(title="Medicines Explained")
    book.authors.set([person])
    VideoFactory(title="Taking tablets safely", presenter=person)
    AnswerFactory(
        contributor=person, question=QuestionFactory(title="Can I split my pills?")
    )
    AnswerFactory(
        contributor=person,
        question=QuestionFactory(title="Draft only?"),
        status=Answer.Status.DRAFT,
    )

    html = client.get(person.get_absolute_url()).content.decode()

    assert "<h1>Ana Silva, PharmD</h1>" in html
    assert "Pharmacy" in html
    assert "Hospital pharmacist." in html
    assert "Verified" in html
    assert "Medicines Explained" in html
    assert "Taking tablets safely" in html
    assert "Can I split my pills?" in html
    assert "Draft only?" not in html
    assert "Answers (1)" in html


def test_organization_profile_uses_the_same_page(client):
    org = OrganizationFactory(
        name="Lakeside Heart Society", website="https://heart.example.org"
    )

    html = client.get(org.get_absolute_url()).content.decode()

    assert "<h1>Lakeside Heart Society</h1>" in html
    assert "Organization" in html
    assert 'href="https://heart.example.org"' in html
    assert "No published answers yet." in html


def test_unverified_contributor_is_marked(client):
    person = ContributorFactory(is_verified=False, verified_at=None)

    assert "Not yet verified" in client.get(person.get_absolute_url()).content.decode()


def test_profile_answers_paginate(client, settings):
    settings.ASKWELL_PAGE_SIZE = 3
    person = ContributorFactory()
    for _ in range(7):
        AnswerFactory(contributor=person)

    response = client.get(person.get_absolute_url() + "?page=3")

    assert len(response.context["page"].object_list) == 1
    assert client.get(person.get_absolute_url() + "?page=4").status_code == 404


def test_book_page_shows_authors_link_and_answers_from_it(client):
    author = ContributorFactory(name="Lee Park", credentials="MD")
    book = BookFactory(title="The Long Road", description="Stories from a clinic.")
    book.authors.set([author])
    AnswerFactory(
        source_book=book, question=QuestionFactory(title="Is it worth trying?")
    )

    html = client.get(book.get_absolute_url()).content.decode()

    assert "<h1>The Long Road</h1>" in html
    assert "Lee Park, MD" in html
    assert "Stories from a clinic." in html
    assert "Is it worth trying?" in html
    assert 'href="https://books.example.org/guide"' in html


def test_video_page_shows_presenter_topics_and_transcript(client):
    topic = TopicFactory(name="Stress")
    video = VideoFactory(
        title="Breathing for calm", transcript="Breathe in slowly.", topics=[topic]
    )

    html = client.get(video.get_absolute_url()).content.decode()

    assert "<h1>Breathing for calm</h1>" in html
    assert video.presenter.signature in html
    assert "6:05" in html
    assert "Breathe in slowly." in html
    assert 'href="/topics/' + topic.slug + '/"' in html


def test_lists_of_contributors_and_videos(client):
    ContributorFactory(name="Listed Expert")
    VideoFactory(title="Listed video")

    assert "Listed Expert" in client.get("/contributors/").content.decode()
    assert "Listed video" in client.get("/videos/").content.decode()


@pytest.mark.parametrize(
    "url", ["/contributors/nobody/", "/books/no-book/", "/videos/no-video/"]
)
def test_unknown_objects_are_404(client, url):
    assert client.get(url).status_code == 404


def test_an_avatar_without_a_photo_shows_the_initials_without_the_title(client):
    person = ContributorFactory(name="Dr. Erin Walsh", credentials="MD")

    html = client.get(person.get_absolute_url()).content.decode()

    assert (
        '<span class="avatar avatar--initials '
        f'avatar--colour-{person.avatar_colour} avatar--large" aria-hidden="true">'
        "EW</span>"
    ) in html


def test_a_bio_is_shown_as_markdown_and_described_as_plain_text(client):
    # given
    person = ContributorFactory(
        name="Samuel Okafor", bio="Author of *Steady Ground*, a guide."
    )

    # when
    html = client.get(person.get_absolute_url()).content.decode()

    # then
    assert (
        '<div class="lead profile__bio prose"><p>Author of <em>Steady Ground</em>, '
        "a guide.</p>\n</div>"
    ) in html
    assert "*Steady Ground*" not in html
    assert '<meta name="description" content="Author of Steady Ground, a guide.">' in (
        html
    )
    assert '"description": "Author of Steady Ground, a guide."' in html


def test_raw_html_in_a_bio_is_shown_as_text():
    person = ContributorFactory(
        bio="<script>alert(1)</script> [x](javascript:alert(1)) <b onclick=x>hi</b>"
    )

    assert person.bio_html == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; [x](javascript:alert(1)) "
        "&lt;b onclick=x&gt;hi&lt;/b&gt;</p>\n"
    )


def test_an_imported_bio_is_rendered_when_created_and_when_changed():
    # given
    slugs = Slugs()
    row = ImportRow("test", "c-1", {"name": "Ana Silva", "bio": "*One*"})

    # when
    import_contributors_batch([row], slugs=slugs)
    created = Contributor.objects.get(external_id="c-1").bio_html
    row.values["bio"] = "**Two**"
    import_contributors_batch([row], slugs=slugs)

    # then
    assert created == "<p><em>One</em></p>\n"
    assert Contributor.objects.get(external_id="c-1").bio_html == (
        "<p><strong>Two</strong></p>\n"
    )


@pytest.mark.parametrize("part", range(2))
def test_a_naughty_bio_never_breaks_the_profile_page(client, part):
    """Every string of the Big List of Naughty Strings, as a bio (half of
    them per test, so that two test workers share them)."""
    person = ContributorFactory()
    for bio in naughty_strings()[part::2]:
        person.bio = bio.replace("\0", "")
        person.save(update_fields=["bio"])

        response = client.get(person.get_absolute_url())

        assert response.status_code == 200, bio
