"""Each person's own pages: an expert's For you (unanswered questions in
their specialty and followed topics) and My answers (where each answer
stands in medical review), everyone's My questions, and the header's links
to them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from askwell.accounts.tests.factories import EditorFactory, UserFactory
from askwell.experts.tests.factories import (
    ContributorFactory,
    MembershipFactory,
    OrganizationFactory,
)
from askwell.notifications.tests.factories import TopicFollowFactory
from askwell.questions import actions as question_actions
from askwell.questions.models import Answer, Question
from askwell.questions.tests.factories import AnswerFactory, QuestionFactory
from askwell.review import actions as review_actions
from askwell.topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db

FOR_YOU = reverse("experts:for_you")
MY_ANSWERS = reverse("experts:my_answers")
MY_QUESTIONS = reverse("questions:mine")


def _asked(title: str, *topics, days_ago: int = 0, **fields) -> Question:
    """An open question filed under `topics`, asked `days_ago` days ago."""
    question = QuestionFactory(
        title=title, status="open", topics=list(topics), **fields
    )
    Question.objects.filter(pk=question.pk).update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )
    return question


def _titles(response) -> list[str]:
    return [q.title for q in response.context["page"].object_list]


@pytest.fixture
def reviewer():
    user = EditorFactory(username="reviewer")
    ContributorFactory(user=user, name="Rita Review", credentials="MD")
    user.groups.add(review_actions.ensure_reviewers_group())
    return user


@pytest.fixture
def cardiologist():
    """A verified expert in cardiology, who follows no topic yet."""
    user = UserFactory(username="drheart")
    ContributorFactory(
        user=user, name="Hana Heart", credentials="MD", specialty="Cardiology"
    )
    return user


@pytest.fixture
def topics():
    """Heart health (a cardiologist has answered under it, so it is
    cardiology's), Heart attack below it, Diabetes with Diet below it, and
    Skin, nobody's."""
    heart = TopicFactory(name="Heart health", slug="heart-health")
    attack = TopicFactory(name="Heart attack", slug="heart-attack", parent=heart)
    diabetes = TopicFactory(name="Diabetes", slug="diabetes")
    diet = TopicFactory(name="Diabetes diet", slug="diabetes-diet", parent=diabetes)
    skin = TopicFactory(name="Skin", slug="skin")
    # Another cardiologist's published answer ties Heart health to cardiology.
    colleague = ContributorFactory(specialty="cardiology", name="Cole League")
    answered = _asked("Is a statin for life?", heart, days_ago=30)
    AnswerFactory(question=answered, contributor=colleague)
    return {
        "heart": heart,
        "attack": attack,
        "diabetes": diabetes,
        "diet": diet,
        "skin": skin,
    }


# --- For you ------------------------------------------------------------------------


@pytest.mark.parametrize("show_unreviewed", [False, True])
def test_for_you_lists_unanswered_questions_of_the_specialty_and_followed_topics(
    client, settings, cardiologist, other_expert, topics, show_unreviewed
):
    # given: the cardiologist follows Diabetes
    settings.ASKWELL_SHOW_UNREVIEWED = show_unreviewed
    TopicFollowFactory(user=cardiologist, topic=topics["diabetes"])
    _asked("Can I fly after a stent?", topics["heart"], days_ago=5)
    _asked("Is a low-carb diet safe?", topics["diet"], days_ago=1)
    _asked("Does metformin cause cramps?", topics["diabetes"], days_ago=3)
    _asked("Why does my skin itch?", topics["skin"], days_ago=0)
    answered = _asked("Is aspirin daily wise?", topics["heart"], days_ago=2)
    AnswerFactory(question=answered, contributor=other_expert.contributor)
    waiting = _asked("Does coffee raise blood pressure?", topics["heart"], days_ago=4)
    # Another expert's answer waits for review: readers see it only when
    # unreviewed answers are shown.
    AnswerFactory(
        question=waiting,
        contributor=other_expert.contributor,
        review_state=Answer.Review.PENDING,
    )
    mine = _asked("Can I run after a heart attack?", topics["attack"], days_ago=2)
    AnswerFactory(
        question=mine,
        contributor=cardiologist.contributor,
        review_state=Answer.Review.PENDING,
    )
    closed = _asked("Is a statin for ever?", topics["heart"], days_ago=2)
    Question.objects.filter(pk=closed.pk).update(status=Question.Status.CLOSED)
    _asked(
        "Is my heart murmur bad?",
        topics["heart"],
        days_ago=2,
        moderation=Question.Moderation.HELD,
    )
    client.force_login(cardiologist)

    # when
    response = client.get(FOR_YOU)

    # then: newest first; answered, closed, held, unrelated and their own
    # answered questions left out; a question under a subtopic of a
    # followed topic in
    assert response.status_code == 200
    assert _titles(response) == [
        "Is a low-carb diet safe?",
        "Does metformin cause cramps?",
        *([] if show_unreviewed else ["Does coffee raise blood pressure?"]),
        "Can I fly after a stent?",
    ]
    html = response.content.decode()
    assert f"{3 if show_unreviewed else 4} questions waiting for an answer" in html
    assert "in your specialty (Cardiology: the topics where its experts answer)" in html


def test_each_question_shows_its_topics_its_age_and_an_answer_link(
    client, cardiologist, topics
):
    # given
    question = _asked("Can I fly after a stent?", topics["heart"], days_ago=3)
    client.force_login(cardiologist)

    # when
    html = client.get(FOR_YOU).content.decode()

    # then
    assert "1 question waiting for an answer" in html
    assert '<span class="tag">Heart health</span>' in html
    assert "3\xa0days ago" in html
    answer_url = reverse("questions:answer", kwargs={"slug": question.slug})
    assert (
        f'href="{answer_url}">Answer<span class="visually-hidden"> “Can I fly after a stent?”'
        in html
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"show": "specialty"}, ["Can I fly after a stent?"]),
        ({"show": "followed"}, ["Is a low-carb diet safe?"]),
        ({"topic": "diabetes"}, ["Is a low-carb diet safe?"]),
        ({"topic": "heart-health", "show": "followed"}, []),
    ],
)
def test_the_filters_keep_one_source_or_one_topic(
    client, cardiologist, topics, query, expected
):
    # given
    TopicFollowFactory(user=cardiologist, topic=topics["diabetes"])
    _asked("Can I fly after a stent?", topics["heart"], days_ago=5)
    _asked("Is a low-carb diet safe?", topics["diet"], days_ago=1)
    client.force_login(cardiologist)

    # when
    response = client.get(FOR_YOU, query)

    # then
    assert _titles(response) == expected
    if not expected:
        assert "No question waits for an answer with these filters." in (
            response.content.decode()
        )


def test_a_topic_not_among_the_experts_is_refused_with_a_message(
    client, cardiologist, topics
):
    # given
    _asked("Can I fly after a stent?", topics["heart"], days_ago=5)
    client.force_login(cardiologist)

    # when
    response = client.get(FOR_YOU, {"topic": "skin", "show": "everything"})

    # then: the page says what is wrong and lists everything unfiltered
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "Topic: Select a valid choice. skin is not one of the available choices."
        in html
    )
    assert "Show: Select a valid choice. everything is not one of" in html
    assert _titles(response) == ["Can I fly after a stent?"]


@pytest.mark.parametrize(
    "value", ["<script>alert(1)</script>", "\x00", "é" * 5000, "../../etc/passwd"]
)
@pytest.mark.parametrize("name", ["show", "topic"])
def test_hostile_filter_values_get_a_clear_error(
    client, cardiologist, topics, name, value
):
    # given
    client.force_login(cardiologist)

    # when
    response = client.get(FOR_YOU, {name: value})

    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "Select a valid choice." in html or "Null characters" in html
    assert "<script>alert(1)</script>" not in html


def test_the_filter_lists_the_experts_topics_with_labels(client, cardiologist, topics):
    # given
    TopicFollowFactory(user=cardiologist, topic=topics["diabetes"])
    client.force_login(cardiologist)

    # when
    html = client.get(FOR_YOU).content.decode()

    # then
    assert '<label for="id_topic">Topic</label>' in html
    assert '<option value="diabetes">Diabetes</option>' in html
    assert '<option value="heart-health">Heart health</option>' in html
    assert 'value="skin"' not in html


def test_with_nothing_to_draw_on_the_page_says_to_follow_topics(client, cardiologist):
    # given: no cardiologist has answered, and they follow nothing
    client.force_login(cardiologist)

    # when
    response = client.get(FOR_YOU)

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "No topics to draw on yet" in html
    assert f'href="{reverse("topics:directory")}"' in html
    assert "<form" not in html.split("<h1>For you</h1>")[1].split("</main>")[0]


def test_when_every_question_is_answered_the_page_says_so(client, cardiologist, topics):
    # given: the only question of their topics is answered (in the fixture)
    client.force_login(cardiologist)

    # when
    html = client.get(FOR_YOU).content.decode()

    # then
    assert "Every question in your topics has an answer for now." in html


@pytest.mark.parametrize("who", ["stranger", "editor"])
def test_for_you_explains_itself_to_anyone_not_an_expert(client, request, who):
    # given
    client.force_login(request.getfixturevalue(who))

    # when
    response = client.get(FOR_YOU)

    # then
    assert response.status_code == 403
    html = response.content.decode()
    assert "does not answer as a verified expert yet" in html
    assert f'href="{reverse("experts:apply")}"' in html


@pytest.mark.parametrize("count", [3, 25])
def test_for_you_query_count_stays_flat(
    client, settings, cardiologist, topics, django_assert_max_num_queries, count
):
    """1 the session, 2 the user, 3 the contributors they sign as, 4 the
    specialty's topics, 5 the followed topics, 6 and 7 the topics below
    them (one per level, the last finding none), 8 the count, 9 the page of
    questions, 10 their topics, 11 the user's groups (the header's editor
    menu), 12 the header's unread notifications."""
    # given
    settings.ASKWELL_PAGE_SIZE = 20
    TopicFollowFactory(user=cardiologist, topic=topics["diabetes"])
    for n in range(count):
        _asked(f"Question {n} on the heart?", topics["heart"], topics["attack"])
        _asked(f"Question {n} on diet?", topics["diet"])
    client.force_login(cardiologist)

    # when
    with django_assert_max_num_queries(12):
        response = client.get(FOR_YOU)

    # then
    assert len(response.context["page"].object_list) == min(2 * count, 20)


def test_the_next_page_keeps_the_filters(client, settings, cardiologist, topics):
    # given
    settings.ASKWELL_PAGE_SIZE = 2
    for n in range(3):
        _asked(f"Question {n} on the heart?", topics["heart"])
    client.force_login(cardiologist)

    # when
    html = client.get(FOR_YOU, {"show": "specialty"}).content.decode()

    # then
    assert 'href="?show=specialty&amp;page=2"' in html


# --- My answers ---------------------------------------------------------------------


def _answer(user, title: str, body: str = "Rest helps most people.") -> Answer:
    question = QuestionFactory(title=title, status="open")
    return question_actions.post_answer(
        user, question, contributor=user.contributor, body=body
    )


def test_my_answers_shows_each_review_state_with_the_reviewers_note(
    client, expert, other_expert, reviewer
):
    # given: one answer per state, newest last
    rejected = _answer(expert, "Is honey good for a cough?")
    review_actions.reject_answer(reviewer, rejected, note="No evidence cited.")
    changes = _answer(expert, "Does rest help gout?")
    review_actions.request_changes(reviewer, changes, note="Say how long to rest.")
    revising = _answer(expert, "Is ice better than heat?")
    review_actions.approve_answer(reviewer, revising)
    question_actions.edit_answer(expert, revising, body="Ice for the first two days.")
    approved = _answer(expert, "Can I walk with a sprain?")
    review_actions.approve_answer(reviewer, approved, note="Clear and well sourced.")
    _answer(expert, "Should I stretch a sprain?")
    _answer(other_expert, "Is a sprain worse than a break?")
    client.force_login(expert)

    # when
    response = client.get(MY_ANSWERS)

    # then: newest first, each with its state, note and Edit link; never
    # another expert's
    html = response.content.decode()
    rows = [(r.answer.question.title, r.state) for r in response.context["rows"]]
    assert rows == [
        ("Should I stretch a sprain?", "Waiting for medical review"),
        ("Can I walk with a sprain?", "Approved"),
        (
            "Is ice better than heat?",
            "New version waiting for medical review; readers see the approved one",
        ),
        ("Does rest help gout?", "Changes requested"),
        ("Is honey good for a cough?", "Not accepted"),
    ]
    assert "Is a sprain worse than a break?" not in html
    assert "5 answers, newest first" in html
    assert "Say how long to rest." in html
    assert "No evidence cited." in html
    assert "Clear and well sourced." in html
    assert html.count("Edit<span") == 5
    assert (
        f'href="{reverse("questions:edit-answer", kwargs={"pk": changes.pk})}"' in html
    )


def test_changes_requested_on_a_new_version_says_readers_keep_the_approved_one(
    client, expert, reviewer
):
    # given
    answer = _answer(expert, "Is ice better than heat?")
    review_actions.approve_answer(reviewer, answer)
    question_actions.edit_answer(expert, answer, body="Ice for the first two days.")
    review_actions.request_changes(reviewer, answer, note="Say for which injuries.")
    client.force_login(expert)

    # when
    response = client.get(MY_ANSWERS)

    # then
    [row] = response.context["rows"]
    assert row.state == (
        "Changes requested on your new version; readers see the approved one"
    )
    assert "Say for which injuries." in response.content.decode()


def test_an_organizations_answers_are_the_members_who_wrote_them(client, expert):
    # given: Jane and Omar are members of a society; each wrote one of its answers
    society = OrganizationFactory(name="Gout Society")
    omar = UserFactory(username="omar")
    for member in (expert, omar):
        MembershipFactory(organization=society, user=member)
    AnswerFactory(
        question=QuestionFactory(title="Jane's for the society?"),
        contributor=society,
        author=expert,
    )
    AnswerFactory(
        question=QuestionFactory(title="Omar's for the society?"),
        contributor=society,
        author=omar,
    )
    client.force_login(expert)

    # when
    response = client.get(MY_ANSWERS)

    # then
    assert [r.answer.question.title for r in response.context["rows"]] == [
        "Jane's for the society?"
    ]
    assert "for Gout Society" in response.content.decode()


def test_a_removed_answer_says_so_and_offers_no_edit(client, expert):
    # given
    AnswerFactory(
        question=QuestionFactory(title="Is it contagious?"),
        contributor=expert.contributor,
        author=expert,
        status=Answer.Status.HIDDEN,
    )
    client.force_login(expert)

    # when
    response = client.get(MY_ANSWERS)

    # then
    [row] = response.context["rows"]
    assert row.state == "Removed by an editor"
    assert row.can_edit is False
    assert "1 answer, newest first" in response.content.decode()


@pytest.mark.parametrize(
    ("who", "says"),
    [
        ("expert", "You have not answered a question yet."),
        ("stranger", "apply to be verified as an expert"),
    ],
)
def test_without_answers_the_page_says_what_to_do(client, request, who, says):
    # given
    client.force_login(request.getfixturevalue(who))

    # when
    response = client.get(MY_ANSWERS)

    # then
    assert response.status_code == 200
    assert says in response.content.decode()


@pytest.mark.parametrize("count", [2, 12])
def test_my_answers_query_count_stays_flat(
    client, settings, expert, reviewer, django_assert_max_num_queries, count
):
    """1 the session, 2 the user, 3 the count, 4 the page of answers with
    their questions and contributors, 5 their review decisions, 6 the
    contributors the user signs as (Edit links), 7 the user's groups (the
    header's editor menu), 8 the header's unread notifications."""
    # given
    settings.ASKWELL_PAGE_SIZE = 10
    for n in range(count):
        answer = _answer(expert, f"Question {n}?")
        review_actions.request_changes(reviewer, answer, note=f"Note {n}.")
    client.force_login(expert)

    # when
    with django_assert_max_num_queries(8):
        response = client.get(MY_ANSWERS)

    # then
    assert len(response.context["rows"]) == min(count, 10)


# --- My questions -------------------------------------------------------------------


def test_my_questions_lists_every_question_asked_with_counts_and_states(
    client, asker, stranger, other_expert
):
    # given
    waiting = _asked("Is my rash serious?", days_ago=5, asker=asker)
    answered = _asked(
        "Can stress cause hives?", days_ago=4, asker=asker, is_anonymous=True
    )
    AnswerFactory.create_batch(2, question=answered)
    held = _asked(
        "Is a mole like mine a worry?",
        days_ago=3,
        asker=asker,
        moderation=Question.Moderation.HELD,
    )
    removed = _asked(
        "Buy cheap pills here?",
        days_ago=2,
        asker=asker,
        moderation=Question.Moderation.HIDDEN,
    )
    one = _asked("Does sun cream expire?", days_ago=1, asker=asker)
    AnswerFactory(question=one, contributor=other_expert.contributor)
    _asked("Someone else's question?", asker=stranger)
    client.force_login(asker)

    # when
    response = client.get(MY_QUESTIONS)

    # then
    rows = [(r.question.title, r.state, r.shown) for r in response.context["rows"]]
    assert rows == [
        ("Does sun cream expire?", "Answered", True),
        ("Buy cheap pills here?", "Removed by an editor", False),
        (
            "Is a mole like mine a worry?",
            "Held: an editor checks a first question before it is public",
            True,
        ),
        ("Can stress cause hives?", "Answered", True),
        ("Is my rash serious?", "Waiting for an expert", True),
    ]
    html = response.content.decode()
    assert "5 questions you asked" in html
    assert "Someone else" not in html
    assert "· 1 answer\n" in html
    assert "· 2 answers\n" in html
    assert "· 0 answers\n" in html
    assert html.count("Asked anonymously") == 1
    assert f'href="{held.get_absolute_url()}"' in html
    assert f'href="{removed.get_absolute_url()}"' not in html
    assert f'href="{waiting.get_absolute_url()}"' in html


def test_without_questions_the_page_offers_to_ask(client, stranger):
    # given
    client.force_login(stranger)

    # when
    html = client.get(MY_QUESTIONS).content.decode()

    # then
    assert "You have not asked a question yet." in html
    assert f'<a href="{reverse("questions:ask")}">Ask a question</a>' in html


@pytest.mark.parametrize("count", [2, 30])
def test_my_questions_query_count_stays_flat(
    client, settings, asker, django_assert_max_num_queries, count
):
    """1 the session, 2 the user, 3 the count, 4 the page of questions with
    their answer counts and the questions they duplicate, 5 the user's
    groups (the header's editor menu), 6 the contributors they sign as (the
    header's expert links), 7 the header's unread notifications."""
    # given
    settings.ASKWELL_PAGE_SIZE = 20
    for n in range(count):
        AnswerFactory(question=_asked(f"Question {n}?", asker=asker))
    client.force_login(asker)

    # when
    with django_assert_max_num_queries(7):
        response = client.get(MY_QUESTIONS)

    # then
    assert len(response.context["rows"]) == min(count, 20)


def test_mine_is_a_reserved_slug(asker):
    # when
    question = question_actions.ask_question(asker, title="Mine?", details="")

    # then
    assert question.slug != "mine"


# --- the header ---------------------------------------------------------------------


def _account_nav(client, url: str = reverse("home")) -> str:
    html = client.get(url).content.decode()
    return html.split('<ul class="account-nav">')[1].split("</ul>")[0]


def test_the_header_links_experts_to_their_pages(client, expert):
    # given
    client.force_login(expert)

    # when
    nav = _account_nav(client)

    # then
    assert f'<a href="{FOR_YOU}">For you</a>' in nav
    assert f'<a href="{MY_ANSWERS}">My answers</a>' in nav
    assert f'<a href="{MY_QUESTIONS}">My questions</a>' in nav


def test_the_header_links_readers_to_their_questions_only(client, stranger):
    # given
    client.force_login(stranger)

    # when
    nav = _account_nav(client)

    # then
    assert f'<a href="{MY_QUESTIONS}">My questions</a>' in nav
    assert "For you" not in nav
    assert "My answers" not in nav


def test_the_header_marks_the_current_page(client, expert):
    # given
    client.force_login(expert)

    # when
    nav = _account_nav(client, FOR_YOU)

    # then
    assert f'<a href="{FOR_YOU}" aria-current="page">For you</a>' in nav
    assert f'<a href="{MY_ANSWERS}">My answers</a>' in nav


def test_signed_out_visitors_see_no_personal_links(client):
    # when
    nav = _account_nav(client)

    # then
    assert "My questions" not in nav
    assert "For you" not in nav
