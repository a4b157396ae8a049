"""Vectors are searched by pgvector's HNSW index on PostgreSQL, by numpy elsewhere;
both give the same neighbours."""

from __future__ import annotations

import pytest
from django.db import connection

from askwell.demo.loader import load_demo_content
from askwell.search import vector_index
from askwell.search.embeddings import get_embedder
from askwell.search.indexing import current_version
from askwell.search.models import SearchDocument
from askwell.search.vectors import Matrix

pytestmark = pytest.mark.django_db


def test_postgresql_uses_pgvector_and_sqlite_the_in_process_index():
    assert vector_index.uses_pgvector() == (connection.vendor == "postgresql")


def test_nearest_passages_match_an_exact_search():
    # given
    load_demo_content()
    query = get_embedder().embed(["Is plasma exchange a good treatment for MS?"])[0]
    exact = Matrix.from_rows(
        SearchDocument.objects.values_list("answer_id", "embedding")
    )
    # when
    found = vector_index.nearest("passage", query, 5, current_version())
    # then
    expected = exact.nearest(query, 5)
    assert [pk for pk, _ in found] == [pk for pk, _ in expected]
    for (_, got), (_, want) in zip(found, expected, strict=True):
        assert got == pytest.approx(want, abs=1e-4)


def test_stale_vectors_are_not_returned():
    load_demo_content()
    document = SearchDocument.objects.order_by("answer_id").first()
    vector = vector_index.vector_of("passage", document.answer_id, current_version())

    SearchDocument.objects.filter(pk=document.pk).update(embedding=None)
    vector_index.forget("passage", [document.answer_id])
    from askwell.search.indexing import bump_version

    bump_version()

    found = vector_index.nearest("passage", vector, 3, current_version())
    assert document.answer_id not in [pk for pk, _ in found]
