"""The question page: every element a reader relies on, and a flat query budget."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from askwell.experts.tests.factories import (
    BookFactory,
    ContributorFactory,
    OrganizationFactory,
    VideoFactory,
)
from askwell.questions.models import Answer, Question, Revision
from askwell.questions.tests.factories import AnswerFactory, QuestionFactory
from askwell.search import related
from askwell.search.indexing import index_answers
from askwell.topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def treatment_topic():
    parent = TopicFactory(name="Multiple Sclerosis", slug="multiple-sclerosis")
    return TopicFactory(
        name="Multiple Sclerosis Treatment", slug="ms-treatment", parent=parent
    )


def _page(client, question):
    index_answers(Answer.objects.values_list("pk", flat=True))
    response = client.get(question.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_answers_show_contributor_name_credentials_and_specialty(
    client, treatment_topic
):
    # given
    question = QuestionFactory(
        title="Can plasma exchange help MS?", topics=[treatment_topic]
    )
    neurologist = ContributorFactory(
        name="Sam Reyes", credentials="MD", specialty="Neurology"
    )
    AnswerFactory(
        question=question, contributor=neurologist, body="It can, *sometimes*."
    )
    # when
    html = _page(client, question)
    # then
    assert "<h1>Can plasma exchange help MS?</h1>" in html
    assert "Sam Reyes, MD" in html
    assert "Neurology" in html
    assert f'href="{neurologist.get_absolute_url()}"' in html
    assert "It can, <em>sometimes</em>." in html


def test_unpublished_answers_are_not_shown(client, treatment_topic):
    question = QuestionFactory(topics=[treatment_topic])
    AnswerFactory(question=question, body="Visible answer")
    AnswerFactory(question=question, body="Draft answer", status=Answer.Status.DRAFT)
    AnswerFactory(question=question, body="Hidden answer", status=Answer.Status.HIDDEN)

    html = _page(client, question)

    assert "Visible answer" in html
    assert "Draft answer" not in html
    assert "Hidden answer" not in html
    assert "1 expert answer" in html


def test_book_sourced_answer_shows_more_about_this_book(client, treatment_topic):
    question = QuestionFactory(topics=[treatment_topic])
    book = BookFactory(
        title="Living Well with MS", description="A neurologist's field guide."
    )
    AnswerFactory(question=question, source_book=book)

    html = _page(client, question)

    assert "More about this book" in html
    assert "Living Well with MS" in html
    assert "A neurologist&#x27;s field guide." in html
    assert 'href="https://books.example.org/guide"' in html


def test_differing_stances_are_summarised(client, treatment_topic):
    question = QuestionFactory(topics=[treatment_topic])
    AnswerFactory(question=question, stance=Answer.Stance.SUPPORTS)
    AnswerFactory(question=question, stance=Answer.Stance.SUPPORTS)
    AnswerFactory(question=question, stance=Answer.Stance.AGAINST)

    html = _page(client, question)

    assert "Experts differ: 2 supportive, 1 sceptical." in html


def test_agreeing_stances_show_no_summary(client, treatment_topic):
    question = QuestionFactory(topics=[treatment_topic])
    AnswerFactory(question=question, stance=Answer.Stance.SUPPORTS)
    AnswerFactory(question=question, stance=Answer.Stance.SUPPORTS)

    assert "Experts differ" not in _page(client, question)


def test_breadcrumb_shows_the_topic_path(client, treatment_topic):
    question = QuestionFactory(topics=[treatment_topic])

    html = _page(client, question)

    breadcrumb = html.split('aria-label="Breadcrumb"')[1].split("</nav>")[0]
    assert breadcrumb.index("Multiple Sclerosis<") < breadcrumb.index(
        "Multiple Sclerosis Treatment"
    )
    assert 'href="/topics/ms-treatment/"' in breadcrumb


def test_continue_learning_lists_related_questions_with_top_answer(
    client, treatment_topic
):
    question = QuestionFactory(topics=[treatment_topic])
    related = QuestionFactory(
        title="How effective is fingolimod?", topics=[treatment_topic]
    )
    org = OrganizationFactory(name="Lakeside MS Society")
    AnswerFactory(
        question=related, contributor=org, body="Fingolimod lowers relapse rates."
    )
    AnswerFactory(question=related, contributor=ContributorFactory(is_verified=False))
    unanswered = QuestionFactory(
        title="Nobody answered this yet?", topics=[treatment_topic]
    )

    html = _page(client, question)

    assert "Continue learning about Multiple Sclerosis Treatment" in html
    assert "How effective is fingolimod?" in html
    assert "Fingolimod lowers relapse rates." in html
    assert "— Lakeside MS Society" in html
    assert "More answers (2)" in html
    assert unanswered.title not in html


def test_related_videos_share_a_topic(client, treatment_topic):
    question = QuestionFactory(topics=[treatment_topic])
    VideoFactory(title="Alternative therapies and MS", topics=[treatment_topic])
    VideoFactory(title="Unrelated video about knees")

    html = _page(client, question)

    assert "Alternative therapies and MS" in html
    assert "Unrelated video about knees" not in html


def test_the_disclaimer_is_once_at_the_bottom_of_an_unanswered_question(
    client, settings, treatment_topic
):
    settings.ASKWELL_DISCLAIMER = "Operator's own words: not medical advice."
    question = QuestionFactory(topics=[treatment_topic])

    html = _page(client, question)

    assert html.count("Operator&#x27;s own words: not medical advice.") == 1
    assert html.index("Operator&#x27;s own words") > html.index(
        '<footer class="site-footer">'
    )


def test_the_disclaimer_is_near_the_answers_and_once_at_the_bottom(
    client, settings, treatment_topic
):
    # given
    settings.ASKWELL_DISCLAIMER = "Operator's own words: not medical advice."
    question = QuestionFactory(topics=[treatment_topic])
    AnswerFactory(question=question, body="First answer.")
    AnswerFactory(question=question, body="Second answer.")

    # when
    html = _page(client, question)

    # then: above the first answer, and in the footer; nothing in between
    words = "Operator&#x27;s own words: not medical advice."
    near, bottom = html.index(words), html.rindex(words)
    assert html.count(words) == 2
    assert near < html.index('<article class="answer')
    assert bottom > html.index('<footer class="site-footer">')


@pytest.mark.parametrize(
    ("views_before", "shown"), [(0, "· 1 view\n"), (1, "· 2 views\n")]
)
def test_the_view_count_is_in_the_singular_for_one(
    client, treatment_topic, views_before, shown
):
    question = QuestionFactory(topics=[treatment_topic], view_count=views_before)

    html = _page(client, question)

    assert shown in html


def test_a_never_edited_answer_shows_no_last_updated(client, treatment_topic):
    # given: an answer saved again since it was posted (a review), never edited
    question = QuestionFactory(topics=[treatment_topic])
    answer = AnswerFactory(question=question, body="Plasma exchange can help.")
    Revision.objects.create(
        question=question, answer=answer, number=1, body=answer.body
    )
    answer.review_state = Answer.Review.PUBLISHED
    answer.save(update_fields=["review_state", "updated_at"])

    # when
    html = _page(client, question)

    # then
    assert "Last updated" not in html


def test_an_edited_answer_shows_when_it_was_last_updated(client, treatment_topic):
    # given: posted in 2024, edited on 3 March 2025
    question = QuestionFactory(topics=[treatment_topic])
    answer = AnswerFactory(
        question=question,
        body="Plasma exchange can help.",
        created_at=datetime(2024, 1, 5, tzinfo=UTC),
    )
    for number, day in [
        (1, datetime(2024, 1, 5, tzinfo=UTC)),
        (2, datetime(2025, 3, 3, tzinfo=UTC)),
    ]:
        Revision.objects.create(
            question=question, answer=answer, number=number, created_at=day
        )

    # when
    html = _page(client, question)

    # then
    assert (
        'Last updated <time datetime="2025-03-03T00:00:00+00:00">March 3, 2025</time>'
        in html
    )


def test_viewing_counts_a_view(client, treatment_topic):
    question = QuestionFactory(topics=[treatment_topic], view_count=41)

    _page(client, question)

    question.refresh_from_db()
    assert question.view_count == 42


def test_unknown_question_is_404(client):
    response = client.get(
        reverse("questions:detail", kwargs={"slug": "no-such-question"})
    )
    assert response.status_code == 404
    assert "We couldn’t find that page" in response.content.decode()


def _question_with(n_answers: int, n_related: int, topic) -> object:
    question = QuestionFactory(topics=[topic])
    book = BookFactory()
    for i in range(n_answers):
        AnswerFactory(
            question=question,
            source_book=book if i % 2 else None,
            contributor=OrganizationFactory() if i % 3 else ContributorFactory(),
            stance=Answer.Stance.SUPPORTS if i % 2 else Answer.Stance.AGAINST,
        )
    for _ in range(n_related):
        related = QuestionFactory(topics=[topic])
        AnswerFactory(question=related)
        AnswerFactory(question=related, contributor=OrganizationFactory())
    VideoFactory(topics=[topic])
    return question


@pytest.mark.parametrize(("n_answers", "n_related"), [(2, 2), (20, 10)])
def test_question_page_query_budget_is_flat(
    client, django_assert_num_queries, n_answers, n_related
):
    """A fixed number of queries whatever the number of answers and related
    questions, and the same on both databases: "Continue learning" is read
    as stored by the job that follows each change (search/related.py).

    1 the question with its asker, 2 its view count, 3 its topics, 4 answers
    with their contributors, books and signal counts, 5 their edits by
    others than the signer, 6 their references, 7 their endorsements with
    contributors, 8 their comments with authors, 9 answers whose words are
    being revised (none here), 10 the topic's parent (the breadcrumb takes
    one per level), 11 the stored related questions, 12 those answered and
    visible, 13 their answers with contributors, 14 related videos.
    """
    parent = TopicFactory()
    topic = TopicFactory(parent=parent)
    question = _question_with(n_answers, n_related, topic)
    index_answers(Answer.objects.values_list("pk", flat=True))
    related.refresh([question.pk])

    with django_assert_num_queries(14):
        response = client.get(question.get_absolute_url())

    assert response.status_code == 200
    assert len(response.context["answers"]) == n_answers
    assert response.content.decode().count('class="related__item"') == min(n_related, 6)


def test_continue_learning_is_built_once_per_content_change(
    client, django_capture_on_commit_callbacks
):
    """The side column is the same for every reader: a second view reuses it
    (fewer queries); a change to the content builds it again."""
    # given: a question and two related ones on its topic
    topic = TopicFactory()
    question = _question_with(1, 2, topic)
    index_answers(Answer.objects.values_list("pk", flat=True))
    related = Question.objects.exclude(pk=question.pk).order_by("pk")
    first_title = related[0].title
    with CaptureQueriesContext(connection) as first:
        page = client.get(question.get_absolute_url()).content.decode()
    assert first_title in page

    # when: the same page again
    with CaptureQueriesContext(connection) as second:
        again = client.get(question.get_absolute_url()).content.decode()

    # then: the same related questions, without the queries that found them
    assert first_title in again
    assert again.count('class="related__item"') == 2
    assert len(second.captured_queries) < len(first.captured_queries)

    # when: one related question is hidden by an editor
    with django_capture_on_commit_callbacks(execute=True):
        Question.objects.filter(pk=related[0].pk).update(
            moderation=Question.Moderation.HIDDEN
        )
    after = client.get(question.get_absolute_url()).content.decode()

    # then
    assert first_title not in after
    assert after.count('class="related__item"') == 1
