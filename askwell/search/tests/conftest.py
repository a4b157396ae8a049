"""Fixtures shared by the search tests."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import override_settings

from askwell.demo.loader import load_demo_content


@pytest.fixture(scope="module")
def indexed_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo content, indexed and embedded once per module, in a transaction
    rolled back after the module's last test."""
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        load_demo_content()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def lexical_only(settings):
    """No embedding model: get_embedder() caches one embedder per setting value,
    so switching the setting is enough (nothing to reset)."""
    settings.ASKWELL_EMBEDDING_MODEL = "none"
