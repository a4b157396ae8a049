"""Forms for asking, answering, endorsing and commenting.

Forms validate and say exactly what is wrong; the writes themselves are in
actions.py.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from askwell.core.antispam import SpamCheckMixin
from askwell.core.forms import TextField, model_choice
from askwell.experts.models import Book, Contributor
from askwell.lib import limits
from askwell.lib.pii import personal_detail_labels
from askwell.questions.actions import ReferenceData
from askwell.questions.models import Answer, Endorsement
from askwell.questions.queries import has_published
from askwell.topics.models import Topic

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser

    from askwell.accounts.models import User

QUESTION_WORDS = frozenset(
    [
        "what",
        "why",
        "how",
        "when",
        "where",
        "which",
        "who",
        "whom",
        "whose",
        "is",
        "are",
        "am",
        "was",
        "were",
        "do",
        "does",
        "did",
        "can",
        "could",
        "should",
        "would",
        "will",
        "shall",
        "may",
        "might",
        "must",
        "has",
        "have",
        "had",
    ]
)
MAX_TOPICS = 5
MAX_REFERENCES = 30
_DOI = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/\S+)$", re.I)
_PMID = re.compile(
    r"^(?:pmid:\s*|https?://pubmed\.ncbi\.nlm\.nih\.gov/)(\d{1,9})/?$", re.I
)


class ContentSpamCheckMixin(SpamCheckMixin):
    """The spam checks for questions, answers and comments: an account that
    has something published is not new (see askwell/core/antispam.py)."""

    def has_published(self, user: AbstractUser) -> bool:
        # core types the author as AbstractUser (it cannot import accounts);
        # it is always an accounts.User (AUTH_USER_MODEL).
        return has_published(cast("User", user))


class TopicsInput(forms.SelectMultiple):
    """A question's topics, from one of two inputs on the ask and edit pages
    (questions/_topic_picker.html). With scripts, a picker that searches as
    one types sends ticked checkboxes under the field's name. Without, the
    page shows the plain list instead, sent as `<name>_listed` with
    `<name>_from=list`; then only the list counts, since the picker's boxes,
    hidden, are still sent. Rendered alone it is the plain list."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if data.get(f"{name}_from") == "list":
            name = f"{name}_listed"
        return super().value_from_datadict(data, files, name)


class TopicChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]  # Django's class is not generic at run time
    def label_from_instance(self, obj: Topic) -> str:
        return obj.name


# The list offers the top two levels of the hierarchy (an imported corpus has
# thousands of topics); deeper topics come from the suggestions, which name
# the topics the question's words match, and any topic id is accepted.
LISTED_DEPTH = 1
LISTED_MAX = 400


def _topic_choices(initial: list[Topic], posted: list[str]) -> list[tuple[int, str]]:
    chosen = {t.pk for t in initial} | {
        int(v) for v in posted if v.isdecimal() and len(v) < 12
    }
    listed = list(
        Topic.objects.filter(depth__lte=LISTED_DEPTH).order_by("depth", "name")[
            :LISTED_MAX
        ]
    )
    extra = Topic.objects.filter(pk__in=chosen - {t.pk for t in listed})
    parents = [t for t in listed if t.depth == 0]
    children: dict[int, list[Topic]] = {}
    for topic in listed:
        if topic.depth > 0 and topic.parent_id is not None:
            children.setdefault(topic.parent_id, []).append(topic)
    choices: list[tuple[int, str]] = []
    for parent in parents:
        choices.append((parent.pk, parent.name))
        choices.extend((c.pk, f"— {c.name}") for c in children.get(parent.pk, []))
    choices.extend((t.pk, t.name) for t in extra)
    return choices


class AskForm(ContentSpamCheckMixin, forms.Form):
    link_fields = ("title", "details")

    title = TextField(
        max_length=limits.QUESTION_TITLE,
        label="Your question",
        help_text="One sentence that asks what you want to know, ending with a question mark.",
    )
    details = TextField(
        required=False,
        strip=False,
        max_length=limits.QUESTION_DETAILS,
        widget=forms.Textarea(attrs={"rows": 6}),
        label="Details (optional)",
        help_text="Background that helps an expert answer. Leave out names, contact details and record numbers.",
    )
    topics = TopicChoiceField(
        queryset=Topic.objects.all(),
        required=False,
        widget=TopicsInput(attrs={"size": 8}),
        help_text=f"Up to {MAX_TOPICS}.",
    )
    anonymous = forms.BooleanField(
        required=False,
        label="Post anonymously",
        help_text="Your name is hidden from everyone except Askwell's editors.",
    )
    # Set when the asker has seen the personal-details warning and posts anyway.
    keep_personal_details = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Posted from a page: from the picker or the plain list (TopicsInput).
        posted = self["topics"].data if hasattr(self.data, "getlist") else []
        self.fields["topics"].widget.choices = _topic_choices(
            list(self.initial.get("topics") or []), posted
        )

    def chosen_topic_ids(self) -> list[str]:
        """The ids of the topics chosen so far (posted, or the form's
        initial ones), as the page shows them ticked or selected."""
        return [str(value) for value in self["topics"].value() or []]

    def clean_title(self) -> str:
        title: str = self.cleaned_data["title"]
        words = title.split()
        if len(words) < 3:
            raise ValidationError(
                "Ask in a few more words, e.g. “Can plasma exchange help MS?”",
                code="too_short",
            )
        if not title.endswith("?") and words[0].casefold() not in QUESTION_WORDS:
            raise ValidationError(
                "Write the title as a question: end it with “?”.", code="not_a_question"
            )
        return title

    def clean_topics(self) -> list[Topic]:
        topics = list(self.cleaned_data["topics"])
        if len(topics) > MAX_TOPICS:
            raise ValidationError(
                f"Choose at most {MAX_TOPICS} topics ({len(topics)} chosen).",
                code="too_many",
            )
        return topics

    def personal_details(self) -> list[str]:
        """Labels of personal details found in the title and details, in order."""
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            return []
        text = f"{self.cleaned_data.get('title', '')}\n{self.cleaned_data.get('details', '')}"
        return personal_detail_labels(text)


class QuestionDraftForm(forms.Form):
    """A question as it is typed, for the aids that read it meanwhile
    (similar questions, topic suggestions, the emergency notice): within the
    ask form's limits, nothing else checked."""

    title = TextField(max_length=limits.QUESTION_TITLE, required=False, strip=False)
    details = TextField(max_length=limits.QUESTION_DETAILS, required=False, strip=False)

    def text(self) -> str:
        """Title and details as the aids read them; "" unless the form is valid."""
        if not self.is_valid():
            return ""
        return f"{self.cleaned_data['title']}\n{self.cleaned_data['details']}"


class EditQuestionForm(AskForm):
    reason = TextField(
        max_length=limits.EDIT_REASON,
        required=False,
        label="What did you change?",
        help_text="A few words shown in the question's history.",
    )

    field_order = ["title", "details", "topics", "reason"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["anonymous"]
        del self.fields["keep_personal_details"]


def parse_references(text: str) -> list[ReferenceData]:
    """One source per line: a URL, "doi:10.1000/xyz" or "pmid:12345",
    optionally followed by " | title". Errors name the line."""
    references: list[ReferenceData] = []
    errors: list[ValidationError] = []
    validate_url = URLValidator(schemes=["http", "https"])
    lines = [line.strip() for line in (text or "").splitlines()]
    for number, line in enumerate(lines, 1):
        if not line:
            continue
        source, _, title = (part.strip() for part in line.partition("|"))
        if len(title) > 300:
            errors.append(
                ValidationError(
                    "Line %(n)s: the title is longer than 300 characters.",
                    code="title_too_long",
                    params={"n": number},
                )
            )
            continue
        if match := _DOI.match(source):
            references.append(ReferenceData(doi=match.group(1), title=title))
        elif match := _PMID.match(source):
            references.append(ReferenceData(pmid=match.group(1), title=title))
        else:
            try:
                validate_url(source)
                if len(source) > 500 or not urlsplit(source).netloc:
                    raise ValidationError("too long")
            except ValidationError:
                errors.append(
                    ValidationError(
                        "Line %(n)s: “%(source)s” is not a web address (https://…), "
                        "a DOI (doi:10.…) or a PubMed ID (pmid:…).",
                        code="bad_reference",
                        params={"n": number, "source": source[:80]},
                    )
                )
                continue
            references.append(ReferenceData(url=source, title=title))
    if errors:
        raise ValidationError(errors)
    if len(references) > MAX_REFERENCES:
        raise ValidationError(
            f"List at most {MAX_REFERENCES} references.", code="too_many"
        )
    return references


class AnswerForm(ContentSpamCheckMixin, forms.Form):
    link_fields = ("body",)

    contributor = forms.ModelChoiceField(
        queryset=Contributor.objects.none(),
        empty_label=None,
        label="Answer as",
    )
    body = TextField(
        max_length=limits.ANSWER_BODY,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        label="Your answer",
        help_text="Markdown: *italic*, **bold**, lists with “-”, links as [text](https://…).",
    )
    references = TextField(
        max_length=limits.REFERENCES,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One per line: a web address, doi:10.… or pmid:…, then optionally “| title”.",
    )
    source_book = forms.ModelChoiceField(
        queryset=Book.objects.none(),
        required=False,
        label="From your book (optional)",
    )
    stance = forms.ChoiceField(
        choices=[("", "No particular stance"), *Answer.Stance.choices],
        required=False,
        label="Your position on what is asked",
    )

    def __init__(
        self,
        *args: Any,
        contributors: list[Contributor],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        ids = [c.pk for c in contributors]
        model_choice(self, "contributor").queryset = Contributor.objects.filter(
            pk__in=ids
        )
        model_choice(self, "source_book").queryset = Book.objects.filter(
            authors__in=ids
        ).distinct()
        # With one contributor to answer as, the choice is made: the page
        # names it (`signer`) instead of showing a list of one.
        self.signer = contributors[0] if len(contributors) == 1 else None
        if self.signer is not None:
            self.fields["contributor"].widget = forms.HiddenInput()
            self.fields["contributor"].initial = self.signer.pk

    def clean_body(self) -> str:
        body: str = self.cleaned_data["body"]
        if len(body.split()) < 5:
            raise ValidationError(
                "An answer needs at least a couple of sentences.", code="too_short"
            )
        return body

    def clean_references(self) -> list[ReferenceData]:
        return parse_references(self.cleaned_data["references"])


class EditAnswerForm(AnswerForm):
    reason = TextField(
        max_length=limits.EDIT_REASON,
        required=False,
        label="What did you change?",
        help_text="A few words shown in the answer's history.",
    )


class PreviewForm(forms.Form):
    body = TextField(max_length=limits.ANSWER_BODY, required=False, strip=False)


class EndorseForm(forms.Form):
    contributor = forms.ModelChoiceField(
        queryset=Contributor.objects.none(), empty_label=None, label="As"
    )
    kind = forms.ChoiceField(
        choices=Endorsement.Kind.choices, widget=forms.RadioSelect, initial="endorse"
    )
    reason = TextField(
        max_length=limits.ENDORSEMENT_REASON,
        label="Why",
        help_text="One or two sentences readers will see with your name.",
    )

    def __init__(
        self, *args: Any, contributors: list[Contributor], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "contributor").queryset = Contributor.objects.filter(
            pk__in=[c.pk for c in contributors]
        )
        self.signer = contributors[0] if len(contributors) == 1 else None
        if self.signer is not None:
            self.fields["contributor"].widget = forms.HiddenInput()
            self.fields["contributor"].initial = self.signer.pk


class CommentForm(ContentSpamCheckMixin, forms.Form):
    link_fields = ("body",)

    body = TextField(
        max_length=limits.COMMENT,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Add a comment",
        help_text="For clarifying the answer. Be brief and kind.",
    )


class RestoreForm(forms.Form):
    reason = TextField(
        max_length=limits.EDIT_REASON, required=False, label="Why restore it?"
    )


class ForYouFilterForm(forms.Form):
    """For you's filters: which of the expert's topics, and one of them.

    The topic choices are the expert's own (queries.ExpertTopics.choices),
    given as a list: checking and showing them asks nothing more.
    """

    SOURCES = [
        ("", "All your topics"),
        ("specialty", "Your specialty"),
        ("followed", "Topics you follow"),
    ]

    show = forms.ChoiceField(choices=SOURCES, required=False, label="Show")
    topic = forms.ChoiceField(required=False, label="Topic")

    def __init__(self, *args: Any, topics: list[Topic], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._topics = {t.slug: t for t in topics}
        cast("forms.ChoiceField", self.fields["topic"]).choices = [
            ("", "Any of them"),
            *((t.slug, t.name) for t in topics),
        ]

    def chosen_topic(self) -> Topic | None:
        """The topic chosen, once the form is valid."""
        return self._topics.get(self.cleaned_data["topic"])
