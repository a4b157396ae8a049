"""Every uploaded file is cut off past the cap as it arrives: a huge
upload is never stored whole, and the form still learns it was too big."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from askwell.core.uploads import MAX_BYTES


def _uploaded(size: int):
    request = RequestFactory().post(
        "/", {"photo": SimpleUploadedFile("big.jpg", b"\0" * size), "bio": "kept"}
    )
    return request.FILES["photo"], request.POST


def test_a_file_past_the_cap_is_stored_as_one_byte_over_it():
    # when
    photo, fields = _uploaded(MAX_BYTES + 3 * 1024 * 1024)

    # then
    assert photo.size == MAX_BYTES + 1
    photo.seek(0, 2)
    assert photo.tell() == MAX_BYTES + 1
    assert fields["bio"] == "kept"


def test_a_file_within_the_cap_is_stored_whole():
    photo, _ = _uploaded(MAX_BYTES)

    assert photo.size == MAX_BYTES
    assert photo.read() == b"\0" * MAX_BYTES
