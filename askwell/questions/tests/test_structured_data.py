"""JSON-LD on question pages: a QAPage with the Question and each published
answer, parsed back out of the HTML as a crawler reads it."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from askwell.accounts.tests.factories import EditorFactory, UserFactory
from askwell.experts.tests.factories import ContributorFactory, OrganizationFactory
from askwell.moderation.actions import hide_content
from askwell.questions.actions import mark_helpful
from askwell.questions.models import Answer, Question
from askwell.questions.tests.factories import AnswerFactory, QuestionFactory
from askwell.review.actions import approve_answer, ensure_reviewers_group
from askwell.testing.datasets import naughty_strings
from askwell.testing.pages import json_ld, read_head

pytestmark = pytest.mark.django_db

SITE = "https://askwell.example.org"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.ASKWELL_SITE_URL = SITE
    # Related questions use lexical search only; their tests cover the model.
    settings.ASKWELL_EMBEDDING_MODEL = "none"


def _qa_page(client, question, user=None) -> dict:
    if user is not None:
        client.force_login(user)
    response = client.get(question.get_absolute_url())
    assert response.status_code == 200
    (data,) = json_ld(response.content.decode())
    return data


def test_question_page_is_a_qapage_with_every_published_answer(client):
    # given: a person and an organization answer; readers mark one helpful
    asker = UserFactory(username="curious")
    question = QuestionFactory(
        title="Can plasma exchange help MS?",
        slug="plasma-exchange-ms",
        details="My mother has **relapsing** MS.",
        asker=asker,
    )
    neurologist = ContributorFactory(
        name="Sam Reyes", slug="sam-reyes", credentials="MD, PhD", specialty="Neurology"
    )
    society = OrganizationFactory(
        name="Northfield MS Society",
        slug="northfield",
        website="https://northfield.example.org",
    )
    person_answer = AnswerFactory(
        question=question, contributor=neurologist, body="It can, *sometimes*."
    )
    org_answer = AnswerFactory(
        question=question, contributor=society, body="Ask your neurologist."
    )
    for _ in range(2):
        mark_helpful(UserFactory(), person_answer)
    mark_helpful(UserFactory(), org_answer)

    # when
    data = _qa_page(client, question)

    # then
    page = f"{SITE}/questions/plasma-exchange-ms/"
    assert data == {
        "@context": "https://schema.org",
        "@type": "QAPage",
        "url": page,
        "name": "Can plasma exchange help MS?",
        "mainEntity": {
            "@type": "Question",
            "name": "Can plasma exchange help MS?",
            "text": "My mother has relapsing MS.",
            "dateCreated": question.created_at.isoformat(),
            "answerCount": 2,
            "url": page,
            "author": {"@type": "Person", "name": "curious"},
            "suggestedAnswer": [
                {
                    "@type": "Answer",
                    "text": "It can, sometimes.",
                    "dateCreated": person_answer.created_at.isoformat(),
                    "dateModified": person_answer.updated_at.isoformat(),
                    "upvoteCount": 2,
                    "url": f"{page}#answer-{person_answer.pk}",
                    "author": {
                        "@type": "Person",
                        "name": "Sam Reyes",
                        "url": f"{SITE}/contributors/sam-reyes/",
                        "honorificSuffix": "MD, PhD",
                        "hasCredential": [
                            {
                                "@type": "EducationalOccupationalCredential",
                                "name": "MD",
                            },
                            {
                                "@type": "EducationalOccupationalCredential",
                                "name": "PhD",
                            },
                        ],
                        "jobTitle": "Neurology",
                        "knowsAbout": "Neurology",
                        "hasOccupation": {"@type": "Occupation", "name": "Physician"},
                    },
                },
                {
                    "@type": "Answer",
                    "text": "Ask your neurologist.",
                    "dateCreated": org_answer.created_at.isoformat(),
                    "dateModified": org_answer.updated_at.isoformat(),
                    "upvoteCount": 1,
                    "url": f"{page}#answer-{org_answer.pk}",
                    "author": {
                        "@type": "Organization",
                        "name": "Northfield MS Society",
                        "url": f"{SITE}/contributors/northfield/",
                    },
                },
            ],
        },
    }


def test_a_nurse_is_a_person_but_not_a_physician(client):
    question = QuestionFactory()
    AnswerFactory(
        question=question,
        contributor=ContributorFactory(
            credentials="RN, BSN", specialty="Diabetes care"
        ),
    )

    data = _qa_page(client, question)

    (answer,) = data["mainEntity"]["suggestedAnswer"]
    assert answer["author"]["@type"] == "Person"
    assert answer["author"]["honorificSuffix"] == "RN, BSN"
    assert "hasOccupation" not in answer["author"]


def test_only_answers_readers_see_are_listed(client, settings):
    # given: answers the page does not show, for every reason there is
    settings.ASKWELL_SHOW_UNREVIEWED = False
    question = QuestionFactory()
    shown = AnswerFactory(question=question, body="Shown.")
    AnswerFactory(question=question, body="Draft.", status=Answer.Status.DRAFT)
    AnswerFactory(question=question, body="Deleted.", status=Answer.Status.DELETED)
    AnswerFactory(
        question=question, body="Waiting.", review_state=Answer.Review.PENDING
    )
    AnswerFactory(
        question=question, body="Rejected.", review_state=Answer.Review.REJECTED
    )
    hidden = AnswerFactory(question=question, body="Hidden.")
    hide_content(EditorFactory(), hidden, reason="Spam.")

    # when
    data = _qa_page(client, question)

    # then
    entity = data["mainEntity"]
    assert entity["answerCount"] == 1
    assert [a["url"].rsplit("#", 1)[1] for a in entity["suggestedAnswer"]] == [
        f"answer-{shown.pk}"
    ]


def test_a_question_without_answers_has_no_suggested_answer(client):
    question = QuestionFactory(status=Question.Status.OPEN)

    entity = _qa_page(client, question)["mainEntity"]

    assert entity["answerCount"] == 0
    assert "suggestedAnswer" not in entity
    assert entity["text"] == question.title


@pytest.mark.parametrize("viewer", ["anonymous", "editor", "asker"])
def test_an_anonymous_asker_is_never_named(client, viewer):
    # given: editors and the asker see the name on the page; JSON-LD is
    # the same for everyone
    asker = UserFactory(username="secretasker")
    question = QuestionFactory(asker=asker, is_anonymous=True)
    AnswerFactory(question=question)
    user = {"anonymous": None, "editor": EditorFactory(), "asker": asker}[viewer]

    # when
    data = _qa_page(client, question, user)

    # then
    assert "author" not in data["mainEntity"]
    assert "secretasker" not in json.dumps(data)


def test_a_reviewed_answer_makes_it_a_medical_web_page(client):
    # given: a reviewer with a profile approves one answer; an imported
    # answer counts as reviewed by its source; a third waits for review
    question = QuestionFactory()
    reviewer = EditorFactory(username="reviewer")
    reviewer.groups.add(ensure_reviewers_group())
    ContributorFactory(
        user=reviewer, name="Ana Ruiz", slug="ana-ruiz", credentials="MD"
    )
    written = AnswerFactory(question=question, review_state=Answer.Review.PENDING)
    approve_answer(reviewer, written)
    source = OrganizationFactory(name="NIH Genetic and Rare Diseases", slug="gard")
    imported_on = timezone.now() - timedelta(days=400)
    AnswerFactory(
        question=question,
        contributor=source,
        source="medquad",
        external_id="GARD_1",
        reviewed_at=imported_on,
    )
    AnswerFactory(question=question, review_state=Answer.Review.PENDING)
    written.refresh_from_db()

    # when
    data = _qa_page(client, question)

    # then
    assert data["@type"] == ["QAPage", "MedicalWebPage"]
    assert data["lastReviewed"] == written.reviewed_at.date().isoformat()
    assert sorted(r["name"] for r in data["reviewedBy"]) == [
        "Ana Ruiz",
        "NIH Genetic and Rare Diseases",
    ]
    ana = next(r for r in data["reviewedBy"] if r["name"] == "Ana Ruiz")
    assert ana["url"] == f"{SITE}/contributors/ana-ruiz/"
    assert ana["hasOccupation"] == {"@type": "Occupation", "name": "Physician"}
    assert data["mainEntity"]["answerCount"] == 3


def test_an_edit_awaiting_review_does_not_count_as_reviewed(client):
    # given: an answer reviewed once, then changed (pending again)
    question = QuestionFactory()
    AnswerFactory(
        question=question,
        review_state=Answer.Review.PENDING,
        reviewed_by=UserFactory(),
        reviewed_at=timezone.now(),
    )

    # when
    data = _qa_page(client, question)

    # then
    assert data["@type"] == "QAPage"
    assert "lastReviewed" not in data
    assert "reviewedBy" not in data


@pytest.mark.parametrize("part", range(4))
def test_hostile_titles_round_trip_and_stay_inside_the_script(client, part):
    """Every blns string as a question title and an answer's text: the
    JSON-LD holds the title exactly, and the page has exactly one JSON-LD
    block and the same scripts as any other question page. The strings are
    shared out over four tests that the test workers run side by side."""
    every = [s for s in naughty_strings() if s.strip()]
    assert len(every) > 500
    strings = every[part::4]
    contributor = ContributorFactory()
    baseline = client.get(
        AnswerFactory(contributor=contributor).question.get_absolute_url()
    ).content.decode()
    scripts = baseline.count("<script")

    wrong = []
    for n, text in enumerate(strings):
        question = QuestionFactory(title=text, slug=f"hostile-{n}")
        AnswerFactory(question=question, contributor=contributor, body=text)
        html = client.get(question.get_absolute_url()).content.decode()
        blocks = read_head(html).json_ld
        if len(blocks) != 1 or html.count("<script") != scripts:
            wrong.append((text, "script count"))
            continue
        if json.loads(blocks[0])["mainEntity"]["name"] != text:
            wrong.append((text, "name"))

    assert wrong == []
