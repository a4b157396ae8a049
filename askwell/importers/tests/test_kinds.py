"""Each record type is mapped onto its model once (importers/kinds.py), and
the export and the import both read that one mapping."""

from __future__ import annotations

import pytest

from askwell.importers.kinds import KINDS
from askwell.importers.records import RECORD_TYPES

KEYS = {"type", "source", "external_id", "slug"}


def test_every_record_type_has_its_kind_in_record_order():
    assert [kind.record for kind in KINDS.values()] == list(RECORD_TYPES)


@pytest.mark.parametrize("name", KINDS)
def test_every_record_field_is_mapped_once_onto_a_model_field(name):
    # given
    kind = KINDS[name]
    model_fields = {f.name for f in kind.model._meta.get_fields()}

    # when
    mapped = [f.name for f in kind.fields] + [link.name for link in kind.links]

    # then
    assert sorted(mapped) == sorted(set(kind.record.model_fields) - KEYS)
    assert {f.attr for f in kind.fields} | {link.name for link in kind.links} <= (
        model_fields
    )
    assert all(link.kind in KINDS for link in kind.links)
