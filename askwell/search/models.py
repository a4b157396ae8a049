"""What the search engine keeps beside the content: one document per published
answer, question vectors, and a change counter the in-process indexes follow.

Rows here are derived data: `askwell reindex` rebuilds all of them from the
content tables. The lexical index itself is backend-specific (an FTS5 table on
SQLite, a tsvector column on PostgreSQL) and is created by this app's
migration next to these tables.
"""

from __future__ import annotations

from django.db import models


class SearchDocument(models.Model):
    """One published answer as the search engine sees it."""

    answer = models.OneToOneField(
        "questions.Answer", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    question = models.ForeignKey(
        "questions.Question", on_delete=models.CASCADE, related_name="+"
    )
    title = models.TextField(help_text="The question's title.")
    body = models.TextField(help_text="The answer as plain text.")
    topics = models.TextField(
        help_text="Names and other names of the question's topics."
    )
    question_type = models.CharField(max_length=64)
    embedding = models.BinaryField(
        null=True, help_text="float32 vector of the question and the answer's opening."
    )
    embedded_text_hash = models.CharField(max_length=40, blank=True)

    class Meta:
        indexes = [
            # Incremental embedding finds documents that still need a vector.
            models.Index(fields=["embedded_text_hash"], name="searchdoc_embedded_idx"),
        ]

    def __str__(self) -> str:
        return f"search document of answer {self.answer_id}"


class QuestionVector(models.Model):
    """The embedding of a question's title, for similar-question detection."""

    question = models.OneToOneField(
        "questions.Question",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    embedding = models.BinaryField()
    text_hash = models.CharField(max_length=40)

    def __str__(self) -> str:
        return f"vector of question {self.question_id}"


class IndexState(models.Model):
    """A single row whose version changes whenever search data changes.

    Each process keeps its vector matrices in memory and compares this version
    (one cheap query) before a search, reloading what changed.
    """

    version = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"search index version {self.version}"


class RelatedQuestions(models.Model):
    """A question's "Continue learning" candidates, best first (search/related.py).

    Found by a background job when the question or its answers change (and
    for the questions it is close to), or on the first visit of a page that
    has none yet; read by the question page with one query by primary key.
    Whether each candidate may be shown is checked on the live rows at every
    read: a hidden or unanswered question is never shown from here.
    """

    question = models.OneToOneField(
        "questions.Question",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    question_ids = models.JSONField(default=list)
    found_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"related questions of question {self.question_id}"
