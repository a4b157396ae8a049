from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypedDict

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString

from askwell.accounts.requests import SignedInRequest
from askwell.core.forms import TextField
from askwell.core.ratelimit import rate_limit
from askwell.core.requests import refuse_oversized, request_bytes
from askwell.language.emergency import suggests_emergency
from askwell.lib import limits
from askwell.lib.pii import personal_detail_labels
from askwell.questions import permissions
from askwell.questions.forms import QuestionDraftForm
from askwell.questions.models import Answer, Question, QuestionType
from askwell.search import engine
from askwell.search.highlight import highlight_excerpt
from askwell.search.indexing import current_version
from askwell.search.spelling import suggest
from askwell.topics.models import Topic

RESULT_ANSWERS = 200
PER_PAGE = 10


class SearchForm(forms.Form):
    q = TextField(max_length=limits.SEARCH_QUERY, required=False, label="Search")


class SimilarForm(QuestionDraftForm):
    """The search box's text (q), or the ask form's title and details."""

    q = TextField(
        max_length=limits.QUESTION_TEXT, required=False, strip=False, label="Search"
    )

    def text(self) -> str:
        if not self.is_valid():
            return ""
        return (self.cleaned_data["q"] or super().text()).strip()


class SearchFilters(TypedDict):
    """What the search page narrows results by, as engine.search takes it."""

    topic_ids: list[int]
    question_types: list[str]
    contributor_kinds: list[str]


@dataclass
class QuestionResult:
    question: Question
    answer: Answer
    answer_count: int
    excerpt: SafeString | None = None  # set for the page shown


@rate_limit("search", methods=("GET",))
def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    # A query over the limit is shown back with the message, not searched.
    query = form.cleaned_data["q"] if form.is_valid() else ""
    filters: SearchFilters = {
        "topic_ids": _ints(request.GET.getlist("topic")),
        "question_types": [
            t for t in request.GET.getlist("type") if t in QuestionType.values
        ],
        "contributor_kinds": [
            k for k in request.GET.getlist("kind") if k in ("person", "organization")
        ],
    }
    context: dict[str, object] = {
        "query": query,
        # What the box shows again: the query as typed, even when refused.
        "typed": query if form.is_valid() else request.GET.get("q", ""),
        "query_errors": form.errors.get("q", []),
        "max_query": limits.SEARCH_QUERY,
        "emergency": suggests_emergency(query),
        "filters": filters,
    }
    if query:
        results = engine.search(query, limit=RESULT_ANSWERS, **filters)
        grouped = _group(results)
        page = _page(request, grouped)
        _attach_counts(page.object_list, results)
        # Only the shown page's excerpts: marking words in all 200 answers
        # took half the page's time.
        for item in page.object_list:
            item.excerpt = highlight_excerpt(item.answer.body_html, results.terms)
        context.update(
            page=page,
            understanding=results.understanding,
            suggestion=suggest(query, current_version()),
            facets=_facets(
                engine.search(query, limit=RESULT_ANSWERS)
                if any(filters.values())
                else results
            ),
            semantic=results.semantic,
            close_match=results.close_match,
        )
    return render(request, "search/search.html", context)


@rate_limit("typing", methods=("GET",))
@refuse_oversized(request_bytes(limits.QUESTION_TEXT, limits.QUESTION_TEXT))
def similar(request: HttpRequest) -> HttpResponse:
    """The htmx fragment of similar, answered questions for a question being typed."""
    # The search box sends q; the ask form sends its title and details.
    form = SimilarForm(request.GET)
    if not form.is_valid():
        return render(
            request, "components/_input_refused.html", {"form": form}, status=400
        )
    text = form.text()
    questions = (
        engine.similar_questions(text, limit=5) if len(text.split()) >= 3 else []
    )
    # The ask page (oob=1) shows the emergency notice at its top and the
    # personal-details warning under the question, out of band.
    ask_page = request.GET.get("oob") == "1"
    return render(
        request,
        "search/_similar.html",
        {
            "questions": [q for q, _ in questions],
            "text": text,
            "emergency": suggests_emergency(text),
            "emergency_out_of_band": ask_page,
            "personal_details": personal_detail_labels(text) if ask_page else [],
        },
    )


class TopicChoicesForm(QuestionDraftForm):
    """What the ask page's topic picker sends: the question as typed and the
    words of its "Find a topic" box (the ticked topics are read apart)."""

    find = TextField(max_length=limits.TOPIC_FIND, required=False)


# The largest request the topic picker sends: title, details, the finder's
# words and the ticked topics (in the overhead).
DRAFT_BYTES = request_bytes(
    limits.QUESTION_TITLE, limits.QUESTION_DETAILS, limits.TOPIC_FIND
)


@login_required
@rate_limit("typing", methods=("GET",))
@refuse_oversized(DRAFT_BYTES)
def suggest_topics(request: SignedInRequest) -> HttpResponse:
    """htmx: the ask form's topic checkboxes (askwell/urls.py mounts it among
    the questions' addresses): those ticked, those whose names match the
    "Find a topic" box, and those the question's words name."""
    permissions.check_can_ask(request.user)
    draft = TopicChoicesForm(request.GET)
    if not draft.is_valid():
        return render(
            request, "components/_input_refused.html", {"form": draft}, status=400
        )
    return render(
        request,
        "search/_topic_suggestions.html",
        {
            "text": draft.text(),
            "find": draft.cleaned_data["find"],
            "chosen": request.GET.getlist("topics"),
        },
    )


def _ints(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdecimal() and len(v) < 12][:10]


def _group(results: engine.SearchResults) -> list[QuestionResult]:
    grouped: dict[int, QuestionResult] = {}
    for hit in results.hits:
        if hit.question.pk not in grouped:
            grouped[hit.question.pk] = QuestionResult(hit.question, hit.answer, 0)
    return list(grouped.values())


def _page(request: HttpRequest, items: list[QuestionResult]) -> Page[QuestionResult]:
    paginator = Paginator(items, PER_PAGE)
    raw = request.GET.get("page", "1")
    if not (raw.isdecimal() and len(raw) < 12) or not 1 <= int(raw) <= max(
        paginator.num_pages, 1
    ):
        raise Http404(f"There is no page {raw}.")
    return paginator.page(int(raw))


def _attach_counts(
    items: Iterable[QuestionResult], results: engine.SearchResults
) -> None:
    ids = [item.question.pk for item in items]
    counts = dict(
        Question.objects.filter(pk__in=ids)
        .with_published_answer_count()
        # Annotated by the line above; the stubs lose annotations across a
        # custom QuerySet method.
        .values_list("pk", "published_answer_count")  # type: ignore[misc]  # annotated above
    )
    for item in items:
        item.answer_count = counts.get(item.question.pk, 0)


def _facets(results: engine.SearchResults) -> dict[str, list[tuple[str, str, int]]]:
    """(value, label, count) per facet, over the questions the query found."""
    questions = {hit.question.pk: hit for hit in results.hits}
    types = Counter(hit.question.question_type for hit in questions.values())
    kinds = Counter(
        kind
        for _, kind in {
            (hit.question.pk, hit.answer.contributor.kind) for hit in results.hits
        }
    )
    topic_counts = Counter(
        Question.topics.through.objects.filter(
            question_id__in=list(questions)
        ).values_list("topic_id", flat=True)
    )
    names = dict(
        Topic.objects.filter(
            pk__in=[t for t, _ in topic_counts.most_common(8)]
        ).values_list("pk", "name")
    )
    return {
        "topic": [
            (str(pk), names[pk], n)
            for pk, n in topic_counts.most_common(8)
            if pk in names
        ],
        "type": [(t, QuestionType(t).label, n) for t, n in types.most_common(8)],
        "kind": [
            (k, "Experts" if k == "person" else "Organizations", n)
            for k, n in kinds.most_common()
        ],
    }
