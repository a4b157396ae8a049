"""Vectors are searched by pgvector's HNSW index on PostgreSQL, by numpy elsewhere;
both give the same neighbours."""

from __future__ import annotations

import numpy as np
import pytest
from django.db import connection

from askwell.demo.loader import load_demo_content
from askwell.search import vector_index
from askwell.search.embeddings import get_embedder
from askwell.search.indexing import current_version
from askwell.search.models import SearchDocument
from askwell.search.vectors import DIM, Matrix, from_blob

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


def test_cosines_of_chosen_vectors_match_the_stored_vectors():
    """Ranking asks for the closeness of any candidate, on pgvector and numpy alike."""
    # given
    load_demo_content()
    query = get_embedder().embed(["How is gout treated?"])[0]
    stored = dict(SearchDocument.objects.values_list("answer_id", "embedding"))
    chosen = sorted(stored)[::7]

    # when
    found = vector_index.cosines("passage", query, [*chosen, 10**9], current_version())

    # then: every chosen one, and nothing for an id without a vector
    assert sorted(found) == chosen
    for pk in chosen:
        assert found[pk] == pytest.approx(
            float(from_blob(stored[pk]) @ query), abs=1e-4
        )
    assert vector_index.cosines("passage", query, [], current_version()) == {}


def test_matrix_finds_rows_by_id_whatever_order_they_were_read_in():
    rows = [(pk, np.full(DIM, pk, np.float32).tobytes()) for pk in (30, 10, 20)]

    matrix = Matrix.from_rows(rows)

    assert matrix.ids.tolist() == [10, 20, 30]
    assert matrix.vector(20)[0] == 20.0
    assert matrix.vector(15) is None
    query = np.ones(DIM, np.float32)
    assert matrix.cosines(query, [30, 15, 10]) == {10: 10.0 * DIM, 30: 30.0 * DIM}
