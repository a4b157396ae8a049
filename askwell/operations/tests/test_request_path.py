"""Requests never wait on mail or on the embedding model: what they start,
a background job does after the commit. The jobs wait in the database here
(job_queue), as in production; the test then runs them and sees the mail go
out and the vectors made."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from askwell.accounts.tests.factories import PASSWORD
from askwell.questions.models import Answer
from askwell.questions.tests.factories import QuestionFactory
from askwell.search import embeddings
from askwell.search.models import QuestionVector, SearchDocument
from askwell.testing.jobs import run_queued_jobs

pytestmark = pytest.mark.usefixtures("job_queue")

CONNECTIONS: list[str] = []


class SpyBackend(EmailBackend):
    """Django's test outbox, noting every connection to the "mail server"."""

    def open(self) -> bool:
        CONNECTIONS.append("open")
        return bool(super().open())

    def send_messages(self, messages):
        CONNECTIONS.append("send")
        return super().send_messages(messages)


@pytest.fixture
def mail_spy(settings):
    settings.EMAIL_BACKEND = f"{__name__}.SpyBackend"
    CONNECTIONS.clear()
    return CONNECTIONS


class SpyEmbedder:
    """The embedding model, as far as callers can tell: a unit vector per
    text (from its hash), and a note of every call."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def embed(self, texts):
        self.calls.append(list(texts))
        rows = []
        for text in texts:
            seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")
            row = np.random.default_rng(seed).standard_normal(384).astype(np.float32)
            rows.append(row / np.linalg.norm(row))
        return np.stack(rows)


@pytest.fixture
def model_spy(monkeypatch, settings):
    spy = SpyEmbedder()
    settings.ASKWELL_EMBEDDING_MODEL = "minilm-int8"
    monkeypatch.setitem(embeddings._embedders, "minilm-int8", spy)
    return spy.calls


def _queued() -> list[str]:
    return [
        path.rsplit(".", 2)[-2] + "." + path.rsplit(".", 1)[-1]
        for path in DBTaskResult.objects.order_by("enqueued_at").values_list(
            "task_path", flat=True
        )
    ]


def test_signing_up_mails_nothing_inside_the_request(
    client, mail_spy, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/signup/",
            {
                "username": "newreader",
                "email": "new.reader@example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
    # then: no connection to the mail server; a job waits
    assert response.status_code == 302
    assert mail_spy == []
    assert mail.outbox == []
    assert _queued() == ["tasks.send_email"]
    # when: the worker runs it
    run_queued_jobs()
    # then
    assert mail_spy == ["send"]
    assert [m.to for m in mail.outbox] == [["new.reader@example.org"]]
    assert mail.outbox[0].subject == "Confirm your email address for Askwell"


def test_a_password_reset_mails_nothing_inside_the_request(
    client, asker, mail_spy, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": asker.email})
    # then
    assert response.status_code == 302
    assert mail_spy == []
    assert _queued() == ["tasks.send_email"]
    run_queued_jobs()
    assert [m.to for m in mail.outbox] == [[asker.email]]
    assert "/accounts/password/reset/" in mail.outbox[0].body


def test_posting_an_answer_neither_embeds_nor_mails_inside_the_request(
    client, expert, asker, mail_spy, model_spy, django_capture_on_commit_callbacks
):
    # given: the asker hears of answers by email
    question = QuestionFactory(
        title="Can plasma exchange help multiple sclerosis?", asker=asker
    )
    client.force_login(expert)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("questions:answer", args=[question.slug]),
            {
                "contributor": expert.contributor.pk,
                "body": "Plasma exchange can help in a severe relapse that "
                "steroids did not calm.",
                "stance": "supports",
            },
        )
    # then: no model, no mail server; the answer waits for its jobs
    assert response.status_code == 302
    assert model_spy == []
    assert mail_spy == []
    answer = Answer.objects.get()
    assert not SearchDocument.objects.exists()
    assert sorted(_queued()) == ["tasks.index_content", "tasks.tell_of_answer"]
    # when: the worker runs them (telling the asker queues their email)
    assert run_queued_jobs() == 3
    # then
    assert sorted(len(texts) for texts in model_spy) == [1, 1]
    assert SearchDocument.objects.get().answer == answer
    assert SearchDocument.objects.get().embedding is not None
    assert QuestionVector.objects.get().question == question
    assert mail_spy == ["open", "send"]
    assert [m.to for m in mail.outbox] == [[asker.email]]
