"""The pages for asking, answering, editing, history, helpful marks,
endorsements and comments, through the Django test client."""

from __future__ import annotations

import pytest
from django.urls import reverse

from askwell.questions import actions
from askwell.questions.models import (
    Answer,
    Comment,
    Endorsement,
    HelpfulMark,
    Question,
    Revision,
)
from askwell.search.indexing import bump_version
from askwell.topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db

ASK = reverse("questions:ask")
BODY = "Plasma exchange can help in a severe relapse that steroids did not calm."


def _answer(expert, question, **kwargs):
    return actions.post_answer(
        expert, question, contributor=expert.contributor, body=BODY, **kwargs
    )


# --- asking -------------------------------------------------------------------------


def test_asking_needs_signing_in(client):
    response = client.get(ASK)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_reader_asks_and_lands_on_the_question(client, asker):
    # given
    topic = TopicFactory(name="Multiple Sclerosis")
    client.force_login(asker)

    # when
    response = client.post(
        ASK,
        {"title": "Can plasma exchange help MS", "details": "", "topics": [topic.pk]},
        follow=True,
    )

    # then
    question = Question.objects.get()
    assert question.title == "Can plasma exchange help MS"
    assert response.redirect_chain == [(question.get_absolute_url(), 302)]
    assert "Your question is posted" in response.content.decode()


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("Gout", "Ask in a few more words"),
        ("My toe hurts a lot at night", "Write the title as a question"),
        ("", "This field is required."),
    ],
)
def test_a_title_that_is_not_a_question_is_refused_with_a_reason(
    client, asker, title, message
):
    client.force_login(asker)

    response = client.post(ASK, {"title": title})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Question.objects.exists()


def test_personal_details_are_pointed_out_before_posting(client, asker):
    client.force_login(asker)
    data = {
        "title": "Is my rash serious?",
        "details": "Call me on 555-123-4567 or write to jo@example.com. Born 03/14/1962.",
    }

    # when: first submit
    response = client.post(ASK, data)

    # then: nothing posted, the warning names each kind of detail
    html = response.content.decode()
    assert "Your question seems to include personal details" in html
    assert "a phone number, an email address, a full date of birth" in html
    assert not Question.objects.exists()

    # when: the reader asks for them to be removed
    response = client.post(ASK, {**data, "personal_details": "remove"})

    # then: the form comes back cleaned, still not posted
    html = response.content.decode()
    assert "Call me on [removed] or write to [removed]. Born [removed]." in html
    assert not Question.objects.exists()

    # when: they post as written after all
    client.post(ASK, {**data, "personal_details": "keep"})

    # then
    assert Question.objects.get().details == data["details"]


def test_emergency_wording_shows_the_notice_first(client, asker):
    client.force_login(asker)

    response = client.post(
        ASK,
        {
            "title": "Should I worry about this?",
            "details": "Crushing chest pain and I am short of breath and sweating.",
            "personal_details": "keep",
        },
    )

    # The question is still posted; its page opens with the notice.
    question = Question.objects.get()
    page = client.get(question.get_absolute_url()).content.decode()
    assert page.index("If this is an emergency, get help now") < page.index("<h1>")
    assert response.status_code == 302


def test_similar_questions_and_the_emergency_notice_come_while_typing(client, asker):
    client.force_login(asker)

    response = client.get(
        reverse("search-similar"),
        {"title": "I want to end my life", "details": "", "oob": "1"},
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert '<div id="emergency-live" hx-swap-oob="true">' in html
    assert "crisis line" in html


def test_topics_are_suggested_from_the_words_typed(client, asker):
    gout = TopicFactory(name="Gout")
    TopicFactory(name="Asthma")
    bump_version()  # as saving a topic in the admin does
    client.force_login(asker)

    response = client.get(
        reverse("questions:suggest-topics"), {"title": "Does gout run in families?"}
    )

    html = response.content.decode()
    assert f'name="topics" value="{gout.pk}"' in html
    assert "Asthma" not in html


def test_personal_details_are_pointed_out_while_typing(client, asker):
    """The ask page's aids (similar questions, the emergency notice) say it
    under the question, out of band, before anything is posted."""
    client.force_login(asker)

    # when: typed with an email address, then without
    warned = client.get(
        reverse("search-similar"),
        {"title": "Can I mail my results to jo@example.com?", "oob": "1"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    cleared = client.get(
        reverse("search-similar"),
        {"title": "Can I mail my results to my doctor?", "oob": "1"},
        HTTP_HX_REQUEST="true",
    ).content.decode()

    # then
    assert (
        '<div id="personal-details-live" hx-swap-oob="innerHTML">'
        '<p class="notice notice--warning personal-details-live">'
        "<strong>Your question seems to include an email address.</strong>"
    ) in warned
    assert '<div id="personal-details-live" hx-swap-oob="innerHTML"></div>' in cleared
    assert not Question.objects.exists()


def test_the_search_box_gets_no_personal_details_warning(client):
    """Only the ask page (oob=1) is warned: a search is not posted."""
    html = client.get(
        reverse("search-similar"), {"q": "can I mail jo@example.com my results"}
    ).content.decode()

    assert "personal-details-live" not in html


def test_the_topic_finder_lists_topics_whose_names_match(client, asker):
    # given
    ms = TopicFactory(name="Multiple Sclerosis", other_names=["MS"])
    treatment = TopicFactory(name="Sclerosis treatments", parent=ms)
    TopicFactory(name="Asthma")
    client.force_login(asker)

    # when
    html = client.get(
        reverse("questions:suggest-topics"), {"find": "scler", "title": ""}
    ).content.decode()

    # then: names that start with the words first
    assert "<legend>Topics matching “scler”</legend>" in html
    assert html.index(f'value="{treatment.pk}"') < html.index(f'value="{ms.pk}"')
    assert '<span class="topic-choice__parent">in Multiple Sclerosis</span>' in html
    assert "Asthma" not in html


def test_the_topic_finder_keeps_the_ticked_topics_ticked_first(client, asker):
    # given: asthma ticked, the finder typed for something else
    asthma = TopicFactory(name="Asthma")
    gout = TopicFactory(name="Gout")
    client.force_login(asker)

    # when
    html = client.get(
        reverse("questions:suggest-topics"),
        {"find": "gou", "topics": [str(asthma.pk), "not-an-id"]},
    ).content.decode()

    # then
    assert (
        f'<input type="checkbox" name="topics" value="{asthma.pk}" checked> Asthma'
        in html
    )
    assert f'<input type="checkbox" name="topics" value="{gout.pk}"> Gout' in html
    assert html.index("Your topics") < html.index("Topics matching")


def test_the_topic_finder_says_when_nothing_matches(client, asker):
    TopicFactory(name="Asthma")
    client.force_login(asker)

    html = client.get(
        reverse("questions:suggest-topics"), {"find": "zzz"}
    ).content.decode()

    assert "No other topic matches “zzz”." in html


def test_the_topic_finder_refuses_words_over_the_limit_unread(client, asker):
    client.force_login(asker)

    response = client.get(reverse("questions:suggest-topics"), {"find": "a" * 201})

    assert response.status_code == 400
    assert "At most 200 characters (you sent 201)." in response.content.decode()


def test_the_ask_page_offers_the_picker_and_the_plain_list_without_scripts(
    client, asker
):
    # given: a topic chosen by the link that led here
    gout = TopicFactory(name="Gout", slug="gout")
    client.force_login(asker)

    # when
    html = client.get(ASK, {"topic": "gout"}).content.decode()

    # then: ticked in the picker, selected in the list for browsers without scripts
    picker = html.split('<fieldset class="topic-picker"', 1)[1].split("</fieldset>")[0]
    assert '<label class="topic-picker__find-label" for="topic-find">' in html
    assert f'name="topics" value="{gout.pk}" checked>' in picker
    fallback = html.split("<noscript>", 1)[1].split("</noscript>")[0]
    assert '<input type="hidden" name="topics_from" value="list">' in fallback
    assert '<select name="topics_listed" id="id_topics" multiple' in fallback
    assert f'<option value="{gout.pk}" selected>Gout</option>' in fallback


def test_without_scripts_only_the_plain_list_counts(client, asker):
    """A browser without scripts still sends the picker's hidden checkboxes:
    what the list says wins, so a topic can be taken off there."""
    # given
    gout = TopicFactory(name="Gout")
    asthma = TopicFactory(name="Asthma")
    client.force_login(asker)

    # when: gout ticked in the (hidden) picker, asthma chosen in the list
    client.post(
        ASK,
        {
            "title": "Does gout run in families?",
            "topics": [gout.pk],
            "topics_from": "list",
            "topics_listed": [asthma.pk],
        },
    )

    # then
    assert list(Question.objects.get().topics.all()) == [asthma]


def test_the_picker_chooses_the_topics_with_scripts(client, asker):
    # given
    gout = TopicFactory(name="Gout")
    TopicFactory(name="Asthma")
    client.force_login(asker)

    # when: no list sent, the ticked boxes count
    client.post(ASK, {"title": "Does gout run in families?", "topics": [gout.pk]})

    # then
    assert list(Question.objects.get().topics.all()) == [gout]


def test_the_edit_page_ticks_the_questions_topics_and_takes_others(client, asker):
    # given
    gout = TopicFactory(name="Gout")
    asthma = TopicFactory(name="Asthma")
    question = actions.ask_question(
        asker, title="Does gout run in families?", topics=[gout]
    )
    client.force_login(asker)
    url = reverse("questions:edit", args=[question.slug])

    # when
    html = client.get(url).content.decode()
    client.post(url, {"title": question.title, "topics": [asthma.pk]})

    # then
    assert f'name="topics" value="{gout.pk}" checked> Gout' in html
    assert f'<option value="{gout.pk}" selected>Gout</option>' in html
    assert list(question.topics.all()) == [asthma]


def test_anonymous_asker_is_hidden_from_readers_but_not_from_editors(
    client, asker, editor, stranger
):
    question = actions.ask_question(asker, title="Is this lump cancer?", anonymous=True)

    for user, shows_name in (
        (None, False),
        (stranger, False),
        (editor, True),
        (asker, True),
    ):
        client.logout()
        if user:
            client.force_login(user)
        html = client.get(question.get_absolute_url()).content.decode()
        assert ("asker" in html.split("Asked", 1)[1][:200]) is shows_name, user
        assert "anonymously" in html


# --- answering ----------------------------------------------------------------------


def test_an_expert_with_one_signature_is_told_it_not_offered_a_list(
    client, expert, open_question
):
    """No "Answer as" label over nothing: the signature is said in words and
    sent hidden."""
    client.force_login(expert)

    html = client.get(
        reverse("questions:answer", args=[open_question.slug])
    ).content.decode()

    assert '<label for="id_contributor">' not in html
    assert (
        f'<p class="form__signer">You answer as <strong>{expert.contributor.signature}</strong>.</p>'
        in html
    )
    assert (
        f'<input type="hidden" name="contributor" value="{expert.contributor.pk}" id="id_contributor">'
        in html
    )


@pytest.mark.parametrize("who", ["asker", "stranger", "unverified"])
def test_answer_page_is_for_verified_experts_only(client, request, open_question, who):
    client.force_login(request.getfixturevalue(who))

    response = client.get(reverse("questions:answer", args=[open_question.slug]))

    assert response.status_code == 403
    assert "Only verified experts" in response.content.decode()


def test_expert_publishes_an_answer_with_references(client, expert, open_question):
    client.force_login(expert)
    url = reverse("questions:answer", args=[open_question.slug])

    response = client.post(
        url,
        {
            "contributor": expert.contributor.pk,
            "body": BODY,
            "references": "doi:10.1000/xyz | A trial\npmid:12345\nhttps://example.org/ms",
            "stance": "supports",
        },
    )

    answer = Answer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == answer.get_absolute_url()
    page = client.get(open_question.get_absolute_url()).content.decode()
    assert (
        '<a href="https://doi.org/10.1000/xyz" rel="nofollow ugc noopener">A trial</a>'
        in page
    )
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/12345/"' in page


def test_a_bad_reference_line_is_named(client, expert, open_question):
    client.force_login(expert)

    response = client.post(
        reverse("questions:answer", args=[open_question.slug]),
        {
            "contributor": expert.contributor.pk,
            "body": BODY,
            "references": "https://ok.org\nnot a link",
        },
    )

    assert "Line 2: “not a link” is not a web address" in response.content.decode()
    assert not Answer.objects.exists()


def test_preview_renders_safely_with_reading_level_and_jargon(client, expert):
    client.force_login(expert)
    body = (
        "After a myocardial infarction <script>alert(1)</script> most people go home "
        "within a week. They take medicine every day. They walk a little more each day."
    )

    response = client.post(reverse("questions:preview"), {"body": body})

    html = response.content.decode()
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "Reading level: <strong>grade" in html
    assert "<mark>myocardial infarction</mark> → “heart attack”" in html


def test_author_edits_the_answer_and_history_shows_the_change(
    client, expert, open_question
):
    answer = _answer(expert, open_question)
    client.force_login(expert)

    client.post(
        reverse("questions:edit-answer", args=[answer.pk]),
        {
            "contributor": expert.contributor.pk,
            "body": BODY.replace("can help", "may help"),
            "reason": "Softer wording",
        },
    )

    html = client.get(
        reverse("questions:answer-history", args=[answer.pk])
    ).content.decode()
    assert (
        '<del><span class="visually-hidden">[removed: </span>can'
        '<span class="visually-hidden">]</span></del>'
        '<ins><span class="visually-hidden">[added: </span>may'
        '<span class="visually-hidden">]</span></ins>'
    ) in html
    assert "“Softer wording”" in html


def test_editor_restores_from_the_history_page(client, expert, editor, open_question):
    answer = _answer(expert, open_question)
    actions.edit_answer(expert, answer, body="Second text of the answer, rather worse.")
    first = Revision.objects.get(answer=answer, number=1)
    client.force_login(editor)

    assert (
        "Restore revision 1"
        in client.get(
            reverse("questions:answer-history", args=[answer.pk])
        ).content.decode()
    )
    client.post(
        reverse("questions:restore", args=[first.pk]), {"reason": "Reviewed text"}
    )

    answer.refresh_from_db()
    assert answer.body == BODY


def test_non_editors_cannot_restore(client, expert, open_question):
    answer = _answer(expert, open_question)
    actions.edit_answer(expert, answer, body="Second text of the answer, rather worse.")
    client.force_login(expert)

    response = client.post(
        reverse(
            "questions:restore", args=[Revision.objects.get(answer=answer, number=1).pk]
        )
    )

    assert response.status_code == 403
    answer.refresh_from_db()
    assert answer.body == "Second text of the answer, rather worse."


# --- helpful, endorse, comment ------------------------------------------------------


def test_helpful_toggles_with_htmx(client, expert, stranger, open_question):
    answer = _answer(expert, open_question)
    client.force_login(stranger)
    url = reverse("questions:helpful", args=[answer.pk])

    marked = client.post(url, HTTP_HX_REQUEST="true").content.decode()
    undone = client.post(url, {"undo": "1"}, HTTP_HX_REQUEST="true").content.decode()

    assert "1 found this helpful" in marked
    assert 'aria-pressed="true"' in marked
    assert "0 found this helpful" in undone
    assert not HelpfulMark.objects.exists()


def test_helpful_without_javascript_redirects_back(
    client, expert, stranger, open_question
):
    answer = _answer(expert, open_question)
    client.force_login(stranger)

    response = client.post(reverse("questions:helpful", args=[answer.pk]))

    assert response["Location"] == answer.get_absolute_url()
    assert HelpfulMark.objects.filter(answer=answer, user=stranger).exists()


def test_signed_out_helpful_click_goes_to_sign_in(client, expert, open_question):
    answer = _answer(expert, open_question)

    response = client.post(reverse("questions:helpful", args=[answer.pk]))

    assert response["Location"].startswith(reverse("accounts:login"))
    assert not HelpfulMark.objects.exists()


def test_endorsement_shows_with_name_and_reason(
    client, expert, other_expert, open_question
):
    answer = _answer(expert, open_question)
    client.force_login(other_expert)

    client.post(
        reverse("questions:endorse", args=[answer.pk]),
        {
            "contributor": other_expert.contributor.pk,
            "kind": "endorse",
            "reason": "Matches the trials.",
        },
    )

    assert Endorsement.objects.get().reason == "Matches the trials."
    page = client.get(open_question.get_absolute_url()).content.decode()
    assert "Endorsed by 1 expert" in page
    assert "Sam Lee, MD</a>: “Matches the trials.”" in page


def test_comment_is_posted_and_shown(client, expert, asker, open_question):
    answer = _answer(expert, open_question)
    client.force_login(asker)

    response = client.post(
        reverse("questions:comment", args=[answer.pk]),
        {"body": "Does this help *PPMS* too?"},
    )

    comment = Comment.objects.get()
    assert response["Location"] == comment.get_absolute_url()
    page = client.get(open_question.get_absolute_url()).content.decode()
    assert "Does this help <em>PPMS</em> too?" in page


def test_empty_comment_is_refused_with_the_form_again(
    client, expert, asker, open_question
):
    answer = _answer(expert, open_question)
    client.force_login(asker)

    response = client.post(reverse("questions:comment", args=[answer.pk]), {"body": ""})

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Comment.objects.exists()


def test_question_page_query_count_stays_flat_for_a_signed_in_expert(
    client, expert, other_expert, stranger, open_question, django_assert_max_num_queries
):
    """Permission checks per answer read the user's contributors once."""
    for _ in range(6):
        from askwell.questions.tests.factories import AnswerFactory

        AnswerFactory(question=open_question)
    client.force_login(expert)
    client.get(
        open_question.get_absolute_url()
    )  # warm caches (index version, matrices)

    with django_assert_max_num_queries(24):
        response = client.get(open_question.get_absolute_url())

    assert response.status_code == 200
    assert len(response.context["answers"]) == 6


def test_ask_page_lists_the_top_of_the_hierarchy_and_accepts_deeper_topics(
    client, asker
):
    """Thousands of imported topics do not all go into the list; a deeper
    topic (from the suggestions) is still accepted."""
    # given
    ms = TopicFactory(name="Multiple Sclerosis")
    treatment = TopicFactory(name="MS Treatment", parent=ms)
    deep = TopicFactory(name="Plasma Exchange for MS", parent=treatment)
    client.force_login(asker)

    # when
    page = client.get(ASK).content.decode()
    client.post(ASK, {"title": "Does plasma exchange help MS?", "topics": [deep.pk]})

    # then
    assert f'<option value="{ms.pk}">Multiple Sclerosis</option>' in page
    assert f'<option value="{treatment.pk}">— MS Treatment</option>' in page
    assert "Plasma Exchange for MS" not in page
    assert list(Question.objects.get().topics.all()) == [deep]
