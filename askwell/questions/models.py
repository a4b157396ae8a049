from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Case, F, IntegerField, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from askwell.core.models import Importable, Timestamped, importable_constraint
from askwell.experts.models import Contributor
from askwell.lib import limits
from askwell.lib.markdown import excerpt, render_markdown
from askwell.topics.models import Topic


class QuestionType(models.TextChoices):
    """What a question asks about; the values follow MedQuAD's question types."""

    INFORMATION = "information", "Information"
    SYMPTOMS = "symptoms", "Symptoms"
    CAUSES = "causes", "Causes"
    TREATMENT = "treatment", "Treatment"
    EXAMS_AND_TESTS = "exams and tests", "Diagnosis, exams and tests"
    PREVENTION = "prevention", "Prevention"
    OUTLOOK = "outlook", "Outlook"
    COMPLICATIONS = "complications", "Complications"
    SUSCEPTIBILITY = "susceptibility", "Who is at risk"
    FREQUENCY = "frequency", "How common it is"
    INHERITANCE = "inheritance", "Inheritance"
    GENETIC_CHANGES = "genetic changes", "Genetic changes"
    STAGES = "stages", "Stages"
    RESEARCH = "research", "Research"
    CONSIDERATIONS = "considerations", "Considerations"
    SUPPORT_GROUPS = "support groups", "Support groups"
    WHEN_TO_CONTACT = (
        "when to contact a medical professional",
        "When to see a professional",
    )
    LIVING_WITH = "living with", "Living with it"
    HOW_EFFECTIVE = "how effective is it", "How effective it is"
    HOW_IT_WORKS = "how does it work", "How it works"
    USAGE = "usage", "How to use it"
    INDICATION = "indication", "What it is used for"
    DOSE = "dose", "Dosage"
    FORGET_A_DOSE = "forget a dose", "Missed doses"
    SIDE_EFFECTS = "side effects", "Side effects"
    SEVERE_REACTION = "severe reaction", "Severe reactions"
    PRECAUTIONS = "precautions", "Precautions"
    IMPORTANT_WARNING = "important warning", "Important warnings"
    CONTRAINDICATION = "contraindication", "Who should not use it"
    INTERACTIONS_WITH_MEDICATIONS = (
        "interactions with medications",
        "Interactions with medicines",
    )
    INTERACTIONS_WITH_HERBS = (
        "interactions with herbs and supplements",
        "Interactions with herbs and supplements",
    )
    INTERACTIONS_WITH_FOODS = "interactions with foods", "Interactions with foods"
    DIETARY = "dietary", "Diet"
    STORAGE_AND_DISPOSAL = "storage and disposal", "Storage and disposal"
    EMERGENCY_OR_OVERDOSE = "emergency or overdose", "Emergency or overdose"
    BRAND_NAMES = "brand names", "Brand names"
    BRAND_NAMES_COMBINATION = (
        "brand names of combination products",
        "Brand names of combination products",
    )
    WHY_VACCINATE = "why get vaccinated", "Why get vaccinated"
    HOW_TO_LEARN_MORE = "how can i learn more", "Where to learn more"
    OTHER_INFORMATION = "other information", "Other information"
    OTHER = "other", "Other"


class QuestionQuerySet(models.QuerySet["Question"]):
    def visible(self) -> QuestionQuerySet:
        """Questions readers may see: not hidden, deleted or held for review."""
        return self.filter(moderation=Question.Moderation.VISIBLE)

    def unanswered(self) -> QuestionQuerySet:
        """Questions waiting for an expert: visible, open to answers (not
        closed) and without an answer readers can see. An answer waiting
        for review, or being revised, does not count until readers see it."""
        shown = Answer.objects.published().filter(question=models.OuterRef("pk"))
        return (
            self.visible()
            .exclude(status=Question.Status.CLOSED)
            .exclude(models.Exists(shown))
        )

    def for_topics(self, topic_ids: Iterable[int]) -> QuestionQuerySet:
        """Questions filed under any of the topics.

        A subquery rather than a join, so no DISTINCT is needed: with a big
        subtree (thousands of imported topics) the join made SQLite sort the
        whole result twice.
        """
        links = Question.topics.through.objects.filter(topic_id__in=list(topic_ids))
        return self.filter(pk__in=links.values("question_id"))

    def with_published_answer_count(self) -> QuestionQuerySet:
        """Annotate `published_answer_count`, as a correlated subquery (no GROUP BY)."""
        counts = (
            Answer.objects.published()
            .filter(question=models.OuterRef("pk"))
            .order_by()
            .values("question")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return self.annotate(
            published_answer_count=Coalesce(models.Subquery(counts), Value(0))
        )


class Question(Importable, Timestamped):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ANSWERED = "answered", "Answered"
        CLOSED = "closed", "Closed"

    class Moderation(models.TextChoices):
        VISIBLE = "visible", "Visible"
        HELD = "held", "Held for a first review"
        HIDDEN = "hidden", "Hidden by an editor"
        DELETED = "deleted", "Deleted (restorable)"

    title = models.CharField(
        max_length=limits.QUESTION_TITLE,
        help_text="The question itself, as a reader asks it.",
    )
    slug = models.SlugField(max_length=220, unique=True)
    details = models.TextField(
        blank=True, help_text="Markdown: background the asker adds."
    )
    details_html = models.TextField(blank=True, editable=False)
    topics = models.ManyToManyField(
        "topics.Topic", related_name="questions", blank=True
    )
    question_type = models.CharField(
        max_length=64, choices=QuestionType.choices, default=QuestionType.OTHER
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.OPEN
    )
    view_count = models.PositiveIntegerField(default=0)
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    is_anonymous = models.BooleanField(
        default=False, help_text="Hide the asker's name from everyone but editors."
    )
    moderation = models.CharField(
        max_length=16,
        choices=Moderation.choices,
        default=Moderation.VISIBLE,
        help_text="Hidden and deleted questions stay in the database, restorable by editors.",
    )
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
        help_text="Closed as a duplicate of this question.",
    )

    objects = QuestionQuerySet.as_manager()
    # Markdown source and its HTML cache (render_html).
    MARKDOWN: ClassVar[tuple[str, str]] = ("details", "details_html")

    class Meta:
        ordering = ["-created_at"]
        constraints = [importable_constraint("question")]
        indexes = [
            # Topic pages and the home page list the most viewed questions.
            models.Index(fields=["-view_count"], name="question_views_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        _render_on_save(self, kwargs)
        super().save(*args, **kwargs)  # type: ignore[arg-type]  # Model.save's own arguments, passed on

    def get_absolute_url(self) -> str:
        return reverse("questions:detail", kwargs={"slug": self.slug})

    def primary_topic(self) -> Topic | None:
        """The most specific of the question's (prefetched) topics."""
        topics = list(self.topics.all())
        if not topics:
            return None
        return max(topics, key=lambda t: (t.depth, -t.pk))


class AnswerQuerySet(models.QuerySet["Answer"]):
    def published(self) -> AnswerQuerySet:
        """Answers readers may see (the one rule: see Answer.published_q)."""
        return self.filter(Answer.published_q())

    def in_revision(self) -> AnswerQuerySet:
        """Published answers whose words are being revised: a new version
        waits for review behind approved words (a `draft`), or words never
        approved wait for review or for their author (changes requested).
        Readers see the approved words of the first kind, and none of the
        second unless ASKWELL_SHOW_UNREVIEWED shows pending ones."""
        return self.filter(status=Answer.Status.PUBLISHED).filter(
            models.Q(draft__isnull=False)
            | models.Q(
                review_state__in=[
                    Answer.Review.PENDING,
                    Answer.Review.CHANGES_REQUESTED,
                ]
            )
        )

    def ordered_for_display(self) -> AnswerQuerySet:
        """The one rule for the order of answers under a question.

        Verified people first, then organizations, then everyone else; within
        each group, answers more experts endorse (endorsements minus
        disagreements), then answers more readers found helpful, then the
        newest. Nothing the asker alone does can move an answer up.
        """
        return (
            self.with_signal_counts()
            .annotate(
                display_group=Case(
                    When(
                        contributor__kind=Contributor.Kind.PERSON,
                        contributor__is_verified=True,
                        then=Value(0),
                    ),
                    When(
                        contributor__kind=Contributor.Kind.ORGANIZATION, then=Value(1)
                    ),
                    default=Value(2),
                    output_field=IntegerField(),
                ),
                net_endorsements=F("endorsement_count") - F("disagreement_count"),
            )
            # helpful_count is with_signal_counts()'s: the stubs lose
            # annotations across a custom QuerySet method.
            .order_by(  # type: ignore[misc]  # see above
                "display_group",
                "-net_endorsements",
                "-helpful_count",
                "-created_at",
                "-pk",
            )
        )

    def with_outside_edits(self) -> AnswerQuerySet:
        """Prefetch `outside_edits`: the answer's revisions written by
        someone other than its signer, newest first, with their authors
        (one query for all the answers)."""
        return self.prefetch_related(
            models.Prefetch(
                "revisions",
                queryset=Revision.objects.filter(by_signer=False)
                .select_related("author__contributor")
                .order_by("-number"),
                to_attr="outside_edits",
            )
        )

    def with_last_edit(self) -> AnswerQuerySet:
        """Annotate `edited_at`: when the answer's text was last edited (its
        newest revision after the first, a waiting draft aside), None for an
        answer never edited.
        Not `updated_at`, which moves with every save (a review, a moderation
        state). One subquery, no extra query."""
        edits = (
            Revision.objects.filter(answer=models.OuterRef("pk"), number__gt=1)
            # A draft waiting behind the approved words is not shown yet.
            .exclude(pk=Coalesce(models.OuterRef("draft_id"), Value(0)))
            .order_by("-number")
            .values("created_at")[:1]
        )
        return self.annotate(edited_at=models.Subquery(edits))

    def for_display(self) -> AnswerQuerySet:
        """Answers in page order with everything an answer card reads, on the
        question page and in the API: the signal counts (subqueries), when
        the text was last edited (with_last_edit), the contributor, book,
        reviewer and any draft waiting behind the approved words (joined), then one query each for the references, the
        endorsements with their contributors, and the edits by others than
        the signer (with_outside_edits)."""
        return (
            self.ordered_for_display()
            .with_last_edit()
            .with_outside_edits()
            .select_related(
                "contributor", "source_book", "reviewed_by__contributor", "draft"
            )
            .prefetch_related(
                "references",
                models.Prefetch(
                    "endorsements",
                    queryset=Endorsement.objects.select_related("contributor"),
                ),
            )
        )

    def with_signal_counts(self) -> AnswerQuerySet:
        """helpful_count, endorsement_count and disagreement_count, each one
        subquery (no GROUP BY over the page's joins)."""

        def count(
            model: type[HelpfulMark | Endorsement], **filters: object
        ) -> Coalesce:
            rows = (
                model.objects.filter(answer=models.OuterRef("pk"), **filters)
                .order_by()
                .values("answer")
                .annotate(n=models.Count("pk"))
                .values("n")
            )
            return Coalesce(models.Subquery(rows), Value(0))

        return self.annotate(
            helpful_count=count(HelpfulMark),
            endorsement_count=count(Endorsement, kind=Endorsement.Kind.ENDORSE),
            disagreement_count=count(Endorsement, kind=Endorsement.Kind.DISAGREE),
        )


class Answer(Importable, Timestamped):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        HIDDEN = "hidden", "Hidden"
        DELETED = "deleted", "Deleted (restorable)"

    class Review(models.TextChoices):
        DRAFT = "draft", "Draft"
        PENDING = "pending", "Pending review"
        PUBLISHED = "published", "Medically reviewed"
        NEEDS_RE_REVIEW = "needs_re_review", "Needs re-review"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        REJECTED = "rejected", "Rejected"

    class Stance(models.TextChoices):
        SUPPORTS = "supports", "Supports"
        MIXED = "mixed", "Mixed"
        AGAINST = "against", "Against"
        NEUTRAL = "neutral", "Neutral"

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers"
    )
    contributor = models.ForeignKey(
        Contributor, on_delete=models.PROTECT, related_name="answers"
    )
    body = models.TextField(help_text="Markdown source.")
    body_html = models.TextField(blank=True, editable=False)
    source_book = models.ForeignKey(
        "experts.Book",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answers",
        help_text="The book this answer is taken from.",
    )
    source_url = models.URLField(max_length=500, blank=True, verbose_name="source URL")
    stance = models.CharField(
        max_length=16,
        choices=Stance.choices,
        blank=True,
        help_text="The answer's position on what the question asks, if it takes one.",
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PUBLISHED
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answers_written",
        help_text="The account that wrote it (for an organization, which member).",
    )
    review_state = models.CharField(
        max_length=20,
        choices=Review.choices,
        default=Review.PUBLISHED,
        help_text="Medical review of the current text. Imported answers count as "
        "reviewed by their source; answers written here start pending.",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answers_reviewed",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    draft = models.ForeignKey(
        "questions.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A newer version of approved words, waiting for medical "
        "review (or for its author, when changes were requested). Readers keep "
        "seeing the approved words, which this row holds, until a reviewer "
        "approves the draft.",
    )
    first_published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When readers could first see the answer: the asker and the "
        "question's followers were told then, and are not told again.",
    )

    # Not columns: what the question page works out per reader for the
    # answer card (questions/views.py: detail and helpful).
    marked_helpful: bool
    endorsed_by: list[Endorsement]
    disputed_by: list[Endorsement]
    can_edit: bool
    can_comment: bool
    can_endorse: bool
    can_mark_helpful: bool
    review_overdue: bool
    # For its signer, of an answer being revised (views._answers_in_revision):
    # the newest review decision (a review.MedicalReview) and whether readers
    # see its approved words meanwhile.
    last_review: object | None
    is_shown: bool

    objects = AnswerQuerySet.as_manager()
    MARKDOWN: ClassVar[tuple[str, str]] = ("body", "body_html")
    # Review states in which the row's words are approved (or were imported
    # as reviewed by their source).
    REVIEWED: ClassVar[tuple[str, ...]] = ("published", "needs_re_review")

    class Meta:
        ordering = ["-created_at"]
        constraints = [importable_constraint("answer")]
        indexes = [
            # The question page loads a question's published answers.
            models.Index(
                fields=["question", "status"], name="answer_question_status_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contributor} on {self.question}"

    def save(self, *args: object, **kwargs: object) -> None:
        _render_on_save(self, kwargs)
        super().save(*args, **kwargs)  # type: ignore[arg-type]  # Model.save's own arguments, passed on

    def get_absolute_url(self) -> str:
        return f"{self.question.get_absolute_url()}#answer-{self.pk}"

    def excerpt(self, length: int = 240) -> str:
        return excerpt(self.body_html, length)

    @staticmethod
    def published_q(prefix: str = "") -> models.Q:
        """The one rule for which answers readers see, as a Q over `prefix`
        ("answers__" from a question): published, under a visible question
        (not hidden, deleted or held), and either medically reviewed (or due
        again) or, when the operator lets answers appear before review
        (ASKWELL_SHOW_UNREVIEWED), pending. An answer with a `draft` is
        shown too, whatever its draft's state: its row holds the words a
        reviewer approved, which readers keep until the draft is approved."""
        shown = [*Answer.REVIEWED]
        if settings.ASKWELL_SHOW_UNREVIEWED:
            shown.append(Answer.Review.PENDING)
        return models.Q(
            **{
                f"{prefix}status": Answer.Status.PUBLISHED,
                f"{prefix}question__moderation": Question.Moderation.VISIBLE,
            }
        ) & (
            models.Q(**{f"{prefix}review_state__in": shown})
            | models.Q(**{f"{prefix}draft__isnull": False})
        )

    @property
    def is_unreviewed(self) -> bool:
        """Readers see words no reviewer has approved (ASKWELL_SHOW_UNREVIEWED)."""
        return self.review_state == Answer.Review.PENDING and self.draft_id is None

    @property
    def is_medically_reviewed(self) -> bool:
        """The words this row holds (what readers see) are the ones a
        reviewer approved, or an import's source: either its review state
        says so, or a newer draft waits while the approved words stay. The
        one rule for showing "Medically reviewed"."""
        return self.review_state in Answer.REVIEWED or self.draft_id is not None

    @property
    def last_outside_edit(self) -> Revision | None:
        """The newest edit by someone other than the signer, if any, among
        the versions readers have had (a waiting draft is not yet one); one
        query unless `with_outside_edits()` prefetched it."""
        edits = getattr(self, "outside_edits", None)
        if edits is None:
            edits = list(
                self.revisions.filter(by_signer=False)
                .select_related("author__contributor")
                .order_by("-number")
            )
        shown = [e for e in edits if e.pk != self.draft_id]
        return shown[0] if shown else None

    def newest_version(self) -> dict[str, object]:
        """The newest words of the answer, which its author edits: its
        draft's when one waits behind the approved words, else the row's.
        `body`, `stance`, `source_book` (an id or None) and `references`
        (Reference rows; unsaved ones for a draft). Reads the draft (select
        it) and, without one, the references (one query)."""
        draft = self.draft
        if draft is None:
            return {
                "body": self.body,
                "stance": self.stance,
                "source_book": self.source_book_id,
                "references": list(self.references.all()),
            }
        return {
            "body": draft.body,
            "stance": draft.extra.get("stance", ""),
            "source_book": draft.extra.get("source_book"),
            "references": [Reference(**r) for r in draft.extra.get("references", [])],
        }


class Reference(models.Model):
    """A source an answer cites: a web page, a DOI or a PubMed ID."""

    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, related_name="references"
    )
    position = models.PositiveSmallIntegerField(default=0)
    url = models.URLField(max_length=500, blank=True, verbose_name="URL")
    doi = models.CharField(max_length=200, blank=True, verbose_name="DOI")
    pmid = models.CharField(max_length=12, blank=True, verbose_name="PubMed ID")
    title = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["answer", "position", "pk"]

    def __str__(self) -> str:
        return self.title or self.link

    @property
    def link(self) -> str:
        if self.doi:
            return f"https://doi.org/{self.doi}"
        if self.pmid:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        return self.url

    @property
    def label(self) -> str:
        """What the link shows: its title, else "DOI 10.1/x", "PubMed 123" or the URL."""
        if self.title:
            return self.title
        if self.doi:
            return f"DOI {self.doi}"
        if self.pmid:
            return f"PubMed {self.pmid}"
        return self.url

    def as_line(self) -> str:
        """The line an author types for it in the answer form."""
        source = (
            f"doi:{self.doi}"
            if self.doi
            else f"pmid:{self.pmid}"
            if self.pmid
            else self.url
        )
        return f"{source} | {self.title}" if self.title else source


class Revision(models.Model):
    """One saved state of a question or an answer, kept on every edit."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="revisions"
    )
    answer = models.ForeignKey(
        Answer,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="revisions",
        help_text="Empty for a revision of the question itself.",
    )
    number = models.PositiveIntegerField(help_text="1 for the first version.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    by_signer = models.BooleanField(
        default=True,
        verbose_name="by the signer",
        help_text="Written by the one whose name the text carries: for an answer "
        "its signing contributor (the person, or a member of the organization "
        "then), for a question its asker. Unticked marks an edit by someone "
        "else, such as an editor: shown on the answer and in the history.",
    )
    reason = models.CharField(max_length=limits.EDIT_REASON, blank=True)
    title = models.CharField(max_length=limits.QUESTION_TITLE, blank=True)
    body = models.TextField(blank=True, help_text="Question details or answer text.")
    extra = models.JSONField(
        default=dict,
        blank=True,
        help_text="Other fields at this revision: topics, stance, references, book.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [
            # Numbers count per question (its own revisions) and per answer.
            models.UniqueConstraint(
                fields=["question", "number"],
                condition=models.Q(answer=None),
                name="question_revision_number_unique",
            ),
            models.UniqueConstraint(
                fields=["answer", "number"],
                condition=~models.Q(answer=None),
                name="answer_revision_number_unique",
            ),
        ]

    def __str__(self) -> str:
        target = f"answer {self.answer_id}" if self.answer_id else "question"
        return f"revision {self.number} of {target} on question {self.question_id}"

    @property
    def author_name(self) -> str:
        """Who wrote it, as the answer card names people: their signature if
        they have a profile, else their username ("a former member" once the
        account is gone). Needs `author__contributor` selected."""
        if self.author is None:
            return "a former member"
        contributor = getattr(self.author, "contributor", None)
        return contributor.signature if contributor else self.author.get_username()


class HelpfulMark(models.Model):
    """A reader found an answer helpful (one mark per reader)."""

    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, related_name="helpful_marks"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["answer", "user"], name="helpful_once_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} found answer {self.answer_id} helpful"


class Endorsement(models.Model):
    """A verified expert's endorsement of, or disagreement with, another's answer."""

    class Kind(models.TextChoices):
        ENDORSE = "endorse", "Endorses"
        DISAGREE = "disagree", "Disagrees"

    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, related_name="endorsements"
    )
    contributor = models.ForeignKey(
        Contributor,
        on_delete=models.CASCADE,
        related_name="endorsements_given",
        help_text="The verified expert or organization who endorses.",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reason = models.CharField(max_length=limits.ENDORSEMENT_REASON)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["answer", "contributor"], name="endorse_once_per_contributor"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contributor} {self.kind}s answer {self.answer_id}"


class Comment(Timestamped):
    """A short clarification under an answer, from the asker or an expert."""

    class Status(models.TextChoices):
        PUBLISHED = "published", "Published"
        HIDDEN = "hidden", "Hidden"
        DELETED = "deleted", "Deleted (restorable)"

    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(max_length=limits.COMMENT)
    body_html = models.TextField(blank=True, editable=False)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PUBLISHED
    )

    MARKDOWN: ClassVar[tuple[str, str]] = ("body", "body_html")

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"comment {self.pk} on answer {self.answer_id}"

    def save(self, *args: object, **kwargs: object) -> None:
        _render_on_save(self, kwargs)
        super().save(*args, **kwargs)  # type: ignore[arg-type]  # Model.save's own arguments, passed on

    def get_absolute_url(self) -> str:
        return f"{self.answer.question.get_absolute_url()}#comment-{self.pk}"


STANCE_WORDS = {
    Answer.Stance.SUPPORTS: "supportive",
    Answer.Stance.MIXED: "mixed",
    Answer.Stance.AGAINST: "sceptical",
    Answer.Stance.NEUTRAL: "neutral",
}


def summarize_stances(answers: Iterable[Answer]) -> str:
    """ "Experts differ: 2 supportive, 1 sceptical" when answers take different stances.

    Empty when fewer than two distinct stances are present: agreement needs no banner.
    """
    counts = Counter(a.stance for a in answers if a.stance)
    if len(counts) < 2:
        return ""
    parts = [f"{counts[s]} {STANCE_WORDS[s]}" for s in Answer.Stance if s in counts]
    return "Experts differ: " + ", ".join(parts)


def render_html(
    obj: Question | Answer | Comment, changed: Collection[str] | None = None
) -> set[str]:
    """Render `obj`'s Markdown source into its sanitised HTML cache (Question
    `details` → `details_html`; Answer and Comment `body` → `body_html`).

    The one place questions, answers and comments are rendered: on save,
    and by imports, whose bulk writes skip save(). With `changed`, only when
    the source is among the changed fields. Returns the HTML field it set.
    """
    source, target = obj.MARKDOWN
    if changed is not None and source not in changed:
        return set()
    setattr(obj, target, render_markdown(getattr(obj, source)))
    return {target}


def _render_on_save(
    obj: Question | Answer | Comment, kwargs: dict[str, object]
) -> None:
    source, target = obj.MARKDOWN
    render_html(obj)
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and source in update_fields:  # type: ignore[operator]  # save()'s update_fields: an iterable of names
        kwargs["update_fields"] = {*update_fields, target}  # type: ignore[misc]  # as above
