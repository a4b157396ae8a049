"""The search page (/search/) and the similar-questions fragment (/search/similar/),
through the Django test client over the indexed demo content.

The demo content is loaded and embedded once for the module; every test runs
in a savepoint that is rolled back.
"""

from __future__ import annotations

import re

import pytest

from askwell.questions.models import Question
from askwell.search import engine
from askwell.search.indexing import current_version
from askwell.search.spelling import suggest
from askwell.testing.datasets import naughty_strings
from askwell.topics.models import Topic

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("indexed_demo")]

SEARCH = "/search/"
SIMILAR = "/search/similar/"
TARGET_QUERY = "my mom was told she has MS, would having her plasma cleaned help?"
PLASMAPHERESIS_URL = "/questions/can-plasmapheresis-help-treat-multiple-sclerosis-ms/"
EMERGENCY = "If this is an emergency, get help now"
EMPTY_STATE = "Try fewer words, the name of the condition or medicine"
PROMPT = "Type a question in your own words"


def _titles(html: str) -> list[str]:
    """The question links of the result list, in order."""
    return re.findall(r'<h2 class="result__title"><a href="([^"]+)">', html)


def _results(response) -> list[tuple[str, int]]:
    """(question slug, answer count) of each result on the page."""
    return [
        (item.question.slug, item.answer_count)
        for item in response.context["page"].object_list
    ]


# --- results ---------------------------------------------------------------------


def test_results_are_grouped_by_question(client):
    """Each question appears once, with its top answer, however many of its
    answers matched."""
    # when
    response = client.get(SEARCH, {"q": TARGET_QUERY})

    # then
    assert response.status_code == 200
    html = response.content.decode()
    titles = _titles(html)
    assert len(titles) == 10
    assert len(set(titles)) == 10
    assert titles[0] == PLASMAPHERESIS_URL
    first = response.context["page"].object_list[0]
    assert first.answer.question.slug == first.question.slug
    assert first.answer_count == 2


NO_CLOSE_MATCH = "We don't have an expert answer to this yet."


def test_a_close_match_is_shown_as_expert_answers(client):
    query = "Is plasma exchange a good treatment for MS?"
    html = client.get(SEARCH, {"q": query}).content.decode()
    assert "questions with expert answers" in html
    assert NO_CLOSE_MATCH not in html


def test_ask_follows_every_result_list_in_the_readers_words(client):
    """Even a close match may not be what the reader meant: under the
    results, Ask is offered with their query as the title."""
    # when
    html = client.get(
        SEARCH, {"q": "Is plasma exchange a good treatment for MS?"}
    ).content.decode()

    # then the link comes after the last result
    ask = (
        'href="/questions/ask/?title=Is%20plasma%20exchange%20a%20good'
        '%20treatment%20for%20MS%3F">Ask an expert</a>'
    )
    assert ask in html
    assert html.index(ask) > html.index("</ol>")


def test_no_close_match_says_so_and_offers_to_ask_in_the_readers_words(client):
    """Something still ranks first, but the page does not present it as the
    answer: it says nothing close was found and links to Ask with the query
    as the title."""
    # when
    response = client.get(SEARCH, {"q": "tylenol and alcohol"})

    # then
    html = response.content.decode()
    assert _titles(html)
    assert NO_CLOSE_MATCH in html
    # said first, before any result
    assert html.index(NO_CLOSE_MATCH) < html.index('class="result__title"')
    assert "questions with expert answers" not in html
    assert "that may be related" in html
    assert 'href="/questions/ask/?title=tylenol%20and%20alcohol"' in html


def test_ask_takes_the_title_offered_by_search(client, asker):
    # given a signed-in reader who followed the link
    client.force_login(asker)

    # when
    html = client.get(
        "/questions/ask/", {"title": "tylenol and alcohol"}
    ).content.decode()

    # then the title field holds the reader's words
    assert re.search(r'name="title"[^>]*value="tylenol and alcohol"', html)


def test_result_shows_answer_count_and_contributor_with_credentials(client):
    """A result names its answer's contributor as signed (name, credentials),
    the specialty, the verified badge and the number of published answers."""
    # when
    response = client.get(SEARCH, {"q": "How is multiple sclerosis diagnosed?"})

    # then
    html = response.content.decode()
    first = html.split('<li class="result">')[1].split("</li>")[0]
    assert "/questions/how-is-multiple-sclerosis-diagnosed/" in first
    assert '<a href="/contributors/samuel-okafor/">Dr. Samuel Okafor, MD</a>' in first
    assert ", Neurology" in first
    assert '<span class="badge badge--verified">Verified</span>' in first
    assert ">1 answer<span" in first
    assert _results(response)[0] == ("how-is-multiple-sclerosis-diagnosed", 1)


def test_answer_count_counts_only_published_answers(client):
    """A hidden answer is neither shown nor counted."""
    # given
    question = Question.objects.get(
        slug="can-plasmapheresis-help-treat-multiple-sclerosis-ms"
    )
    question.answers.filter(contributor__slug="northfield-ms-society").update(
        status="hidden"
    )

    # when
    response = client.get(SEARCH, {"q": TARGET_QUERY})

    # then
    first = response.context["page"].object_list[0]
    assert (first.question.slug, first.answer_count) == (question.slug, 1)
    assert first.answer.contributor.slug == "samuel-okafor"
    assert (
        "Northfield Multiple Sclerosis Society</a>"
        not in (response.content.decode().split('<li class="result">')[1])
    )


def test_matched_words_are_highlighted(client):
    """The reader's words and their vocabulary equivalents are marked in excerpts."""
    # when
    response = client.get(SEARCH, {"q": TARGET_QUERY})

    # then
    html = response.content.decode()
    first = html.split('<li class="result">')[1]
    marked = re.findall(r"<mark>([^<]*)</mark>", first)
    assert marked[:3] == ["Plasmapheresis", "plasma exchange", "plasma"]


def test_query_is_escaped_in_the_page(client):
    """Markup in the query is shown as text, never run."""
    # when
    response = client.get(SEARCH, {"q": "<script>alert('MS')</script> plasma"})

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(&#x27;MS&#x27;)&lt;/script&gt; plasma" in html


# --- facets ----------------------------------------------------------------------


def test_facets_list_topics_types_and_contributor_kinds(client):
    """The side panel offers topic, question type and contributor kind, with
    links that keep the query."""
    # when
    response = client.get(SEARCH, {"q": TARGET_QUERY})

    # then
    facets = response.context["facets"]
    treatment = Topic.objects.get(slug="multiple-sclerosis-treatment")
    found = [item.question for item in response.context["page"].paginator.object_list]
    under_treatment = sum(1 for q in found if treatment in q.topics.all())
    of_type_treatment = sum(1 for q in found if q.question_type == "treatment")
    assert facets["topic"][0] == (
        str(treatment.pk),
        "Multiple Sclerosis Treatment",
        under_treatment,
    )
    assert ("treatment", "Treatment", of_type_treatment) in facets["type"]
    assert [value for value, _, _ in facets["kind"]] == ["person", "organization"]
    html = response.content.decode()
    assert "<h2>Narrow the results</h2>" in html
    assert f"&amp;topic={treatment.pk}" in html
    assert "&amp;type=side%20effects" in html or "&amp;type=treatment" in html


@pytest.mark.parametrize(
    ("parameter", "value", "check"),
    [
        ("type", "treatment", lambda item: item.question.question_type == "treatment"),
        (
            "kind",
            "organization",
            lambda item: item.answer.contributor.kind == "organization",
        ),
    ],
)
def test_choosing_a_facet_filters_the_results(client, parameter, value, check):
    """Every result satisfies the chosen facet, and its count is what is shown."""
    # given
    unfiltered = client.get(SEARCH, {"q": TARGET_QUERY})
    facet = {v: n for v, _, n in unfiltered.context["facets"][parameter]}

    # when
    response = client.get(SEARCH, {"q": TARGET_QUERY, parameter: value})

    # then
    page = response.context["page"]
    assert page.paginator.count == facet[value]
    assert all(check(item) for item in page.object_list)
    assert not all(check(item) for item in unfiltered.context["page"].object_list)
    assert "Clear filters" in response.content.decode()


def test_choosing_a_topic_facet_filters_the_results(client):
    """A topic facet keeps only questions filed under that topic; the facets
    still describe the whole unfiltered result."""
    # given
    symptoms = Topic.objects.get(slug="multiple-sclerosis-symptoms")

    # when
    response = client.get(SEARCH, {"q": "multiple sclerosis", "topic": symptoms.pk})

    # then
    assert sorted(_results(response)) == [
        ("how-is-multiple-sclerosis-diagnosed", 1),
        ("what-are-the-first-signs-of-multiple-sclerosis", 2),
    ]
    assert len(response.context["facets"]["topic"]) > 1


def test_contributor_kind_facet_count_matches_the_filtered_results(client):
    """The number beside "Experts" is the number of results that facet shows."""
    # given
    unfiltered = client.get(SEARCH, {"q": TARGET_QUERY})
    people = {v: n for v, _, n in unfiltered.context["facets"]["kind"]}["person"]

    # when
    response = client.get(SEARCH, {"q": TARGET_QUERY, "kind": "person"})

    # then
    assert response.context["page"].paginator.count == people


def test_filters_with_no_match_show_the_empty_state_with_a_way_out(client):
    """A filter that excludes everything says so and links to the unfiltered search."""
    # when
    response = client.get(
        SEARCH, {"q": "plasmapheresis", "type": "storage and disposal"}
    )

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert _titles(html) == []
    assert "No expert answers match “plasmapheresis” with these filters" in html
    assert '<a href="?q=plasmapheresis">search without filters</a>' in html


@pytest.mark.parametrize(
    ("parameter", "value"),
    [("type", "not a type"), ("kind", "robot"), ("topic", "abc"), ("topic", "-1")],
)
def test_unknown_filter_values_are_ignored(client, parameter, value):
    """A made-up filter value does not filter (nor fail)."""
    # when
    filtered = client.get(SEARCH, {"q": TARGET_QUERY, parameter: value})
    plain = client.get(SEARCH, {"q": TARGET_QUERY})

    # then
    assert filtered.status_code == 200
    assert _results(filtered) == _results(plain)


# --- pagination ------------------------------------------------------------------


def test_second_page_continues_the_results(client):
    """Page 2 holds the next ten questions, none from page 1."""
    # given
    first = client.get(SEARCH, {"q": TARGET_QUERY})

    # when
    second = client.get(SEARCH, {"q": TARGET_QUERY, "page": "2"})

    # then
    assert second.status_code == 200
    assert second.context["page"].number == 2
    total = second.context["page"].paginator.count
    assert total > 10
    assert len(_results(second)) == min(10, total - 10)
    assert not set(_titles(first.content.decode())) & set(
        _titles(second.content.decode())
    )
    html = second.content.decode()
    assert '<ol class="results" start="11">' in html
    assert 'rel="prev"' in html


@pytest.mark.parametrize("page", ["99", "0", "abc", "-1", "1.5", ""])
def test_page_past_the_end_or_not_a_number_is_not_found(client, page):
    """Only existing page numbers are pages."""
    # when
    response = client.get(SEARCH, {"q": TARGET_QUERY, "page": page})

    # then
    assert response.status_code == 404


def test_last_page_exists_and_the_next_does_not(client):
    """The last page number shown is reachable; one more is not."""
    # given
    last = client.get(SEARCH, {"q": TARGET_QUERY}).context["page"].paginator.num_pages

    # when
    at_last = client.get(SEARCH, {"q": TARGET_QUERY, "page": str(last)})
    past_last = client.get(SEARCH, {"q": TARGET_QUERY, "page": str(last + 1)})

    # then
    assert (at_last.status_code, past_last.status_code) == (200, 404)
    assert 'rel="next"' not in at_last.content.decode()


# --- did you mean ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "correction"),
    [
        ("multple sclerosis", "multiple sclerosis"),
        ("sclerosiss", "sclerosis"),
        ("diabetis diet", "diabetes diet"),
    ],
)
def test_suggest_corrects_misspelled_medical_words(text, correction):
    """suggest() replaces unknown words by the closest known medical word."""
    assert suggest(text, current_version()) == correction


@pytest.mark.parametrize("text", ["multiple sclerosis", "heart attack", "MS", ""])
def test_suggest_leaves_correct_text_alone(text):
    """Nothing to suggest when every word is known (or too short to judge)."""
    assert suggest(text, current_version()) is None


@pytest.mark.parametrize(
    "text", [TARGET_QUERY, "what causes heart attacks"], ids=["told", "causes"]
)
def test_suggest_leaves_everyday_words_alone(text):
    """A correctly spelled message gets no "Did you mean"."""
    assert suggest(text, current_version()) is None


@pytest.mark.parametrize(
    "text",
    ["chest pain and left arm numb", "my kid has a fever of 39", "numbness in my feet"],
    ids=["left", "kid", "numbness"],
)
def test_suggest_never_turns_an_ordinary_word_into_another(text):
    """ "left" is not a misspelling of "cleft": a word of general English
    (or a plain inflection of one) is never corrected, whether or not the
    site's medical lexicon has it."""
    assert suggest(text, current_version()) is None


@pytest.mark.parametrize(
    ("text", "correction"),
    [
        ("plasmaphoresis", "plasmapheresis"),
        ("diabetis and left arm numb", "diabetes and left arm numb"),
    ],
)
def test_suggest_still_corrects_a_misspelling_among_ordinary_words(text, correction):
    assert suggest(text, current_version()) == correction


def test_did_you_mean_for_a_misspelling_without_results(client, lexical_only):
    """When the misspelled word finds nothing, the page offers the correction."""
    # when
    response = client.get(SEARCH, {"q": "sclerosiss"})

    # then
    html = response.content.decode()
    assert response.context["suggestion"] == "sclerosis"
    assert 'Did you mean <a href="?q=sclerosis">sclerosis</a>?' in html


def test_did_you_mean_for_a_misspelling_with_embeddings(client):
    """ "multple sclerosis" offers "multiple sclerosis" with the model installed."""
    # when
    response = client.get(SEARCH, {"q": "multple sclerosis"})

    # then
    assert (
        'Did you mean <a href="?q=multiple%20sclerosis">multiple sclerosis</a>?'
        in response.content.decode()
    )


# --- empty states and the emergency notice ----------------------------------------


def test_query_without_match_shows_the_helpful_empty_state(client, lexical_only):
    """Nothing found: say so, and suggest fewer words or browsing topics."""
    # when
    response = client.get(SEARCH, {"q": "xyzzy qwertyuiop"})

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert _titles(html) == []
    assert "No expert answers match “xyzzy qwertyuiop”." in html
    assert EMPTY_STATE in html
    assert 'href="/topics/"' in html
    assert 'href="/questions/ask/?title=xyzzy%20qwertyuiop"' in html


def test_gibberish_shows_the_empty_state_with_embeddings(client):
    """A query that means nothing finds nothing, with the model installed too."""
    # when
    response = client.get(SEARCH, {"q": "xyzzy qwertyuiop"})

    # then
    assert EMPTY_STATE in response.content.decode()


def test_empty_query_shows_the_prompt(client):
    """No query: the form, an example question, and no results or facets."""
    # when
    response = client.get(SEARCH, {"q": "   "})

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert PROMPT in html
    assert "page" not in response.context
    assert "Narrow the results" not in html
    assert EMERGENCY not in html


def test_emergency_notice_for_an_emergency(client):
    """A message describing an emergency shows the notice above everything."""
    # when
    response = client.get(SEARCH, {"q": "crushing chest pain and I can't breathe"})

    # then
    html = response.content.decode()
    assert response.context["emergency"] is True
    assert html.count(EMERGENCY) == 1
    assert html.index(EMERGENCY) < html.index("<h1>Search</h1>")


def test_no_emergency_notice_for_an_ordinary_question(client):
    """An ordinary question shows no emergency notice."""
    # when
    response = client.get(SEARCH, {"q": "what causes gout"})

    # then
    assert response.context["emergency"] is False
    assert EMERGENCY not in response.content.decode()


# --- similar questions while typing (htmx) ----------------------------------------


def test_similar_fragment_lists_answered_questions(client):
    """Three words or more: answered questions like it, with their answer counts."""
    # when
    response = client.get(
        SIMILAR, {"q": "would plasma exchange help MS"}, HTTP_HX_REQUEST="true"
    )

    # then
    html = response.content.decode()
    links = re.findall(r'<li><a href="([^"]+)">', html)
    assert response.status_code == 200
    assert '<h2 id="similar-heading">Already answered — these may help</h2>' in html
    assert len(links) == 5
    assert links[0] == PLASMAPHERESIS_URL
    assert "(2 answers)" in html
    assert "<html" not in html


@pytest.mark.parametrize("text", ["", "plasma", "plasma MS", "  plasma   MS  "])
def test_similar_fragment_is_empty_for_fewer_than_three_words(client, text):
    """Short text suggests nothing yet."""
    # when
    response = client.get(SIMILAR, {"q": text})

    # then
    assert response.status_code == 200
    assert response.content.decode().strip() == ""


def test_similar_fragment_shows_the_emergency_notice(client):
    """Typing an emergency shows the notice while asking, too."""
    # when
    response = client.get(SIMILAR, {"q": "crushing chest pain and I can't breathe"})

    # then
    assert EMERGENCY in response.content.decode()


def test_similar_fragment_never_suggests_unanswered_questions(client):
    """The open question about MS medicine in pregnancy has no answers to offer."""
    # when
    response = client.get(
        SIMILAR, {"q": "Is it safe to get pregnant while taking MS medicine?"}
    )

    # then
    html = response.content.decode()
    assert "/questions/is-it-safe-to-get-pregnant-while-taking-ms-medicine/" not in html
    assert len(re.findall(r'<li><a href="', html)) == 5


# --- hostile input ----------------------------------------------------------------


def test_naughty_strings_never_cause_a_server_error(client):
    """Every string of the Big List of Naughty Strings, as the query of the search
    page and of the similar-questions fragment, gets a page (or a 404), never a
    500. All 515 strings are tried on both."""
    # given
    strings = naughty_strings()
    assert len(strings) == 515

    # when
    failures = []
    for text in strings:
        for url in (SEARCH, SIMILAR):
            status = client.get(url, {"q": text}).status_code
            if status not in (200, 404):
                failures.append((url, text, status))

    # then
    assert failures == []


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("a" * 10_000, "At most 500 characters (you sent 10,000)."),
        ("MS " * 2_000, "At most 500 characters (you sent 5,999)."),
        ('"' * 600, "At most 500 characters (you sent 600)."),
        ("gout\u0000 flare\u202e", "Null characters are not allowed."),
        ("🦠" * 600, "At most 500 characters (you sent 600)."),
    ],
    ids=["long", "repeated", "quotes", "control", "emoji"],
)
def test_oversized_and_odd_queries_are_refused_with_the_reason(
    client, monkeypatch, text, refused
):
    """A query over 500 characters, or with a NUL, is not searched: the page
    says why and keeps what was typed in the box."""
    # given
    searched = []
    monkeypatch.setattr(engine, "search", lambda *a, **k: searched.append(a))

    # when
    page = client.get(SEARCH, {"q": text})

    # then
    assert page.status_code == 200
    assert (page.context["query"], page.context["typed"]) == ("", text)
    assert page.context["query_errors"] == [refused]
    assert searched == []


@pytest.mark.parametrize(
    "text", ["a" * 10_000, "MS " * 2_000, '"' * 600, "gout flare\u202e", "🦠" * 600]
)
def test_similar_questions_read_a_question_up_to_its_limit(client, text):
    # when
    fragment = client.get(SIMILAR, {"q": text})

    # then
    assert fragment.status_code == 200
