"""Downloading one's data (/moderation/me/export/) and deleting one's account
(/moderation/me/delete/) under the rule the page states."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from askwell.accounts.actions import create_api_token
from askwell.accounts.models import User
from askwell.accounts.tests.factories import PASSWORD, UserFactory
from askwell.audit.models import LogEntry
from askwell.experts.models import Contributor, Membership
from askwell.experts.tests.factories import (
    CredentialApplicationFactory,
    MembershipFactory,
)
from askwell.moderation.actions import delete_account, flag_content
from askwell.moderation.models import Flag
from askwell.moderation.privacy import collect_user_data
from askwell.moderation.tests.factories import CommentFactory
from askwell.notifications.models import (
    Notification,
    Preference,
    QuestionFollow,
    SavedQuestion,
    TopicFollow,
)
from askwell.questions.models import (
    Answer,
    Comment,
    Endorsement,
    HelpfulMark,
    Question,
    Revision,
)
from askwell.questions.tests.factories import AnswerFactory, QuestionFactory
from askwell.topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def active_author(author, question, answer, comment, reporter):
    """`author` with one of everything: an anonymous question too."""
    QuestionFactory(asker=author, title="A private worry", is_anonymous=True)
    HelpfulMark.objects.create(answer=answer, user=author)
    TopicFollow.objects.create(user=author, topic=TopicFactory(name="Ankles"))
    QuestionFollow.objects.create(user=author, question=question)
    SavedQuestion.objects.create(user=author, question=question)
    Notification.objects.create(
        recipient=author, kind="answer_posted", url="/q/", text="Jane answered"
    )
    Notification.objects.create(
        recipient=reporter, actor=author, kind="comment_posted", url="/q/", text="x"
    )
    Preference.objects.create(user=author, email_frequency="daily")
    flag_content(author, answer, reason=Flag.Reason.SPAM)
    author.first_name, author.last_name = "Avery", "Quill"
    author.save(update_fields=["first_name", "last_name"])
    return author


def _export(client, user):
    client.login(username=user.username, password=PASSWORD)
    response = client.post("/moderation/me/export/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    return json.loads(response.content)


def test_the_export_holds_everything_about_the_person(client, active_author):
    data = _export(client, active_author)

    assert data["account"]["username"] == "author"
    assert data["account"]["first_name"] == "Avery"
    assert sorted((q["title"], q["anonymous"]) for q in data["questions"]) == [
        ("A private worry", True),
        ("Does rest help a sprained ankle heal?", False),
    ]
    assert [c["body"] for c in data["comments"]] == ["How long is gently?"]
    assert len(data["helpful_marks"]) == 1
    assert [f["topic"] for f in data["followed_topics"]] == ["Ankles"]
    assert len(data["followed_questions"]) == len(data["saved_questions"]) == 1
    assert [n["text"] for n in data["notifications"]] == ["Jane answered"]
    assert data["notification_preferences"]["email_frequency"] == "daily"
    assert [f["reason"] for f in data["flags"]] == ["spam"]
    entry = LogEntry.objects.get(action="account.exported")
    assert (entry.actor, entry.data) == (active_author, {"user_id": active_author.pk})


def test_an_experts_export_has_their_answers_and_endorsements(client, expert, answer):
    # given
    other = AnswerFactory(question=answer.question)
    Endorsement.objects.create(
        answer=other,
        contributor=expert.contributor,
        user=expert,
        kind="endorse",
        reason="Good",
    )

    # when
    data = _export(client, expert)

    # then
    assert [a["body"] for a in data["answers"]] == [
        "Rest for two days, then move it gently."
    ]
    assert [(e["as"], e["reason"]) for e in data["endorsements"]] == [
        ("Jane Doe, RN", "Good")
    ]
    assert data["expert_profile"]["name"] == "Jane Doe"


def test_the_export_page_needs_a_sign_in_and_a_post(client, reporter):
    assert client.post("/moderation/me/export/").status_code == 302
    client.login(username="reporter", password=PASSWORD)
    page = client.get("/moderation/me/export/")
    assert page["Content-Type"].startswith("text/html")
    assert not LogEntry.objects.exists()


# --- deleting -----------------------------------------------------------------------


def test_deleting_follows_the_stated_rule(active_author, question, comment, expert):
    # when
    done = delete_account(
        active_author, password=PASSWORD, confirmation="Delete my account"
    )

    # then: questions stay, anonymous and unlinked
    assert set(
        Question.objects.filter(asker=None).values_list("title", "is_anonymous")
    ) == {
        ("Does rest help a sprained ankle heal?", True),
        ("A private worry", True),
    }
    # comments stay without an author; flags without a reporter
    comment.refresh_from_db()
    assert (comment.author, comment.body) == (None, "How long is gently?")
    assert Flag.objects.get().reporter is None
    # marks, follows, saves, notifications and preferences go
    for model in (HelpfulMark, TopicFollow, QuestionFollow, SavedQuestion, Preference):
        assert not model.objects.exists(), model
    assert not Notification.objects.filter(recipient=active_author).exists()
    assert Notification.objects.get().actor is None
    # the account is an empty, disabled record
    user = User.objects.get(pk=active_author.pk)
    assert (user.username, user.email, user.first_name, user.last_name) == (
        f"deleted-{user.pk}",
        "",
        "",
        "",
    )
    assert (user.is_active, user.has_usable_password()) == (False, False)
    entry = LogEntry.objects.get(action="account.deleted")
    assert (entry.actor, entry.object_repr) == (user, f"deleted-{user.pk}")
    assert entry.data == done
    assert done["questions_anonymized"] == 2


def test_an_experts_signed_answers_stay_but_lose_the_account(expert, answer):
    delete_account(expert, password=PASSWORD, confirmation="delete my account")

    answer.refresh_from_db()
    assert (answer.status, answer.author) == ("published", None)
    contributor = Contributor.objects.get(pk=answer.contributor_id)
    assert (contributor.name, contributor.user) == ("Jane Doe", None)


def test_memberships_end_and_stay_as_history(client, author):
    # given: a member of one organization, invited to another
    member_of = MembershipFactory(user=author, organization__name="Ankle Society")
    invited_to = MembershipFactory(
        user=author, status=Membership.Status.INVITED, joined_at=None
    )

    # when
    exported = _export(client, author)
    done = delete_account(author, password=PASSWORD, confirmation="delete my account")

    # then: the export lists them; deletion ends them without deleting them
    assert exported["organizations"] == ["Ankle Society"]
    assert [(m["organization"], m["status"]) for m in exported["memberships"]] == [
        ("Ankle Society", "active"),
        (invited_to.organization.name, "invited"),
    ]
    assert done["organizations_left"] == 1
    member_of.refresh_from_db()
    invited_to.refresh_from_db()
    assert (member_of.status, invited_to.status) == ("ended", "declined")
    assert member_of.left_at is not None


@pytest.mark.parametrize(
    ("password", "confirmation", "field"),
    [("wrong", "delete my account", "password"), (PASSWORD, "yes", "confirmation")],
)
def test_a_wrong_password_or_confirmation_changes_nothing(
    active_author, password, confirmation, field
):
    with pytest.raises(ValidationError) as error:
        delete_account(active_author, password=password, confirmation=confirmation)

    assert list(error.value.error_dict) == [field]
    user = User.objects.get(pk=active_author.pk)
    assert (user.username, user.is_active) == ("author", True)
    assert HelpfulMark.objects.count() == 1
    assert not LogEntry.objects.filter(action="account.deleted").exists()


def test_administrators_cannot_delete_themselves_here(admin_user):
    with pytest.raises(PermissionDenied):
        delete_account(admin_user, password=PASSWORD, confirmation="delete my account")

    assert User.objects.get(pk=admin_user.pk).is_active


def test_the_delete_page_states_the_rule_deletes_and_signs_out(client, active_author):
    # given
    client.login(username="author", password=PASSWORD)

    # when
    page = client.get("/moderation/me/delete/")
    response = client.post(
        "/moderation/me/delete/",
        {"password": PASSWORD, "confirmation": "delete my account"},
    )

    # then
    assert "become anonymous" in page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "_auth_user_id" not in client.session
    assert not User.objects.get(pk=active_author.pk).is_active
    assert not client.login(username="author", password=PASSWORD)


def test_the_delete_page_shows_a_wrong_password(client, active_author):
    client.login(username="author", password=PASSWORD)

    response = client.post(
        "/moderation/me/delete/",
        {"password": "nope", "confirmation": "delete my account"},
    )

    assert response.status_code == 200
    assert "That is not your password." in response.content.decode()
    assert User.objects.get(pk=active_author.pk).is_active


def test_the_settings_page_links_to_both(client, reporter):
    client.login(username="reporter", password=PASSWORD)

    html = client.get("/accounts/settings/").content.decode()

    assert 'href="/moderation/me/export/"' in html
    assert 'href="/moderation/me/delete/"' in html


def test_other_people_are_untouched(active_author, reporter):
    UserFactory(username="bystander")
    delete_account(active_author, password=PASSWORD, confirmation="delete my account")

    assert set(
        User.objects.filter(is_active=True).values_list("username", flat=True)
    ) == {
        "reporter",
        "drjane",
        "bystander",
    }
    assert Answer.objects.count() == 1
    assert Comment.objects.count() == 1


# --- every app's part ---------------------------------------------------------------


@pytest.fixture
def holds_everything(expert, answer, comment, reporter):
    """`expert` with a row in every table that holds personal data."""
    own = QuestionFactory(asker=expert, title="Is ice better than heat?")
    Revision.objects.create(question=own, number=1, author=expert, title=own.title)
    HelpfulMark.objects.create(answer=answer, user=expert)
    Endorsement.objects.create(
        answer=AnswerFactory(question=own),
        contributor=expert.contributor,
        user=expert,
        kind="endorse",
        reason="Sound",
    )
    CommentFactory(answer=answer, author=expert, body="Two days at most.")
    TopicFollow.objects.create(user=expert, topic=TopicFactory(name="Ankles"))
    QuestionFollow.objects.create(user=expert, question=answer.question)
    SavedQuestion.objects.create(user=expert, question=answer.question)
    Notification.objects.create(
        recipient=expert, kind="answer_posted", url="/q/", text="New answer"
    )
    Notification.objects.create(
        recipient=reporter, actor=expert, kind="comment_posted", url="/q/", text="x"
    )
    Preference.objects.create(user=expert, email_frequency="daily")
    flag_content(expert, comment, reason=Flag.Reason.SPAM)
    MembershipFactory(user=expert, organization__name="Ankle Society")
    CredentialApplicationFactory(applicant=expert, full_name="Jane Doe")
    create_api_token(expert, name="laptop")
    Contributor.objects.filter(user=expert).update(photo="contributors/jane.webp")
    return expert


def test_the_export_and_the_erasure_cover_every_app(holds_everything):
    # when
    data = collect_user_data(holds_everything)
    done = delete_account(
        holds_everything, password=PASSWORD, confirmation="delete my account"
    )

    # then
    assert {key: len(value) for key, value in data.items()} == {
        "format": len("askwell-personal-data/1"),
        "exported_at": len(data["exported_at"]),
        "account": 8,
        "questions": 1,
        "answers": 1,
        "comments": 1,
        "helpful_marks": 1,
        "endorsements": 1,
        "followed_topics": 1,
        "followed_questions": 1,
        "saved_questions": 1,
        "notifications": 1,
        "notification_preferences": len(Preference.field_names()),
        "flags": 1,
        "expert_profile": 8,
        "organizations": 1,
        "memberships": 1,
        "api_tokens": 1,
        "expert_applications": 1,
    }
    assert done == {
        "photos_deleted": 1,
        "questions_anonymized": 1,
        "comments_kept_without_author": 1,
        "answers_unlinked": 1,
        "revisions_unlinked": 1,
        "endorsements_unlinked": 1,
        "profiles_unlinked": 1,
        "flags_kept_without_reporter": 1,
        "notifications_unlinked_as_actor": 1,
        "helpful_marks_deleted": 1,
        "topic_follows_deleted": 1,
        "question_follows_deleted": 1,
        "saved_questions_deleted": 1,
        "notifications_deleted": 1,
        "preferences_deleted": 1,
        "applications_deleted": 1,
        "api_tokens_deleted": 1,
        "organizations_left": 1,
    }
