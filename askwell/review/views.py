from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from askwell.accounts.requests import SignedInRequest
from askwell.core.pagination import paginate
from askwell.experts.models import Contributor
from askwell.lib.markdown import render_markdown
from askwell.questions.models import Answer
from askwell.questions.queries import is_overdue
from askwell.questions.writing import TARGET_GRADE, reading_level
from askwell.review import actions, queries
from askwell.review.changes import (
    revision_under_review,
    since_last_review,
    under_review,
)
from askwell.review.forms import DecisionForm, QueueFilterForm
from askwell.review.models import MedicalReview
from askwell.review.permissions import (
    check_can_review,
    check_is_reviewer,
    reviewer_identity_missing,
)
from askwell.topics.models import Topic

DECIDE = {
    MedicalReview.Decision.APPROVED: actions.approve_answer,
    MedicalReview.Decision.CHANGES_REQUESTED: actions.request_changes,
    MedicalReview.Decision.REJECTED: actions.reject_answer,
}


@login_required
def queue(request: SignedInRequest, kind: str = "pending") -> HttpResponse:
    check_is_reviewer(request.user)
    filters = QueueFilterForm(request.GET)
    topic = None
    specialty = ""
    if filters.is_valid():
        slug = filters.cleaned_data["topic"]
        topic = Topic.objects.filter(slug=slug).first() if slug else None
        specialty = filters.cleaned_data["specialty"]
    reviewer = request.user
    listing = queries.due if kind == "due" else queries.pending
    rows: QuerySet[Answer] = listing(
        topic=topic, specialty=specialty, reviewer=reviewer
    )
    # Answers this reviewer may not review go to the others, and the page says so.
    counts = queries.queue_counts(reviewer, kind=kind, topic=topic, specialty=specialty)
    specialties = (
        Contributor.objects.exclude(specialty="")
        .order_by("specialty")
        .values_list("specialty", flat=True)
        .distinct()
    )
    return render(
        request,
        "review/queue.html",
        {
            "kind": kind,
            "page": paginate(request, rows, count=counts.listed),
            "filters": filters,
            "topic": topic,
            "specialty": specialty,
            "specialties": list(specialties),
            "pending_count": counts.pending,
            "due_count": counts.due,
            "left_to_others": counts.left_to_others,
            "identity_missing": reviewer_identity_missing(reviewer),
        },
    )


@login_required
def review_answer(request: SignedInRequest, pk: int) -> HttpResponse:
    answer = get_object_or_404(
        Answer.objects.select_related(
            "question",
            "contributor",
            "reviewed_by__contributor",
            "draft__author__contributor",
        ).with_outside_edits(),
        pk=pk,
    )
    check_can_review(request.user, answer)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decide = DECIDE[form.cleaned_data["decision"]]
        try:
            decide(request.user, answer, note=form.cleaned_data["note"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your decision is recorded and the author told.")
            return redirect("review:queue")
    reviews = list(answer.reviews.select_related("reviewer__contributor", "revision"))
    current = under_review(answer)
    return render(
        request,
        "review/answer.html",
        {
            "answer": answer,
            "current": current,
            # Rendered as readers will see it: the same sanitising Markdown
            # rendering as the question page's cached body_html.
            "words_html": render_markdown(current.body)
            if answer.draft
            else answer.body_html,
            "level": reading_level(current.body),
            "target_grade": TARGET_GRADE,
            "revision": revision_under_review(answer),
            "changes": since_last_review(answer, current, reviews),
            "form": form,
            "waits_for_author": answer.review_state not in actions.REVIEWABLE,
            "history": reviews,
            "overdue": is_overdue(answer),
            "identity_missing": reviewer_identity_missing(request.user),
        },
    )
