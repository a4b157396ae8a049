"""A cap on every uploaded file, before Django stores any of it.

Django keeps an upload in memory or in a temporary file, whole, before a
view or a form sees it; nothing in Django bounds a file's size (nginx's
`client_max_body_size` does, in front: docs/deploy.md). CappedUploadHandler,
first in settings.FILE_UPLOAD_HANDLERS, passes on at most MAX_BYTES + 1
bytes of each file to the handlers that store it and drops the rest as it
arrives, so a file past the cap is stored as MAX_BYTES + 1 bytes and its
form, seeing a size over its own limit, says so ("larger than 5 MB")
while the rest of what was typed is kept.
"""

from __future__ import annotations

from django.core.files.uploadhandler import FileUploadHandler

# The same as nginx's client_max_body_size in docs/nginx/askwell.conf; each
# form has its own, lower limit (a contributor photo: 5 MB).
MAX_BYTES = 10 * 1024 * 1024


class CappedUploadHandler(FileUploadHandler):
    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        """Pass on what is left below the cap (and one byte past it, so the
        file is known to be over); nothing once past it."""
        room = MAX_BYTES + 1 - start
        if room <= 0:
            return None
        return raw_data[:room]

    def file_complete(self, file_size: int) -> None:
        """The storing handlers after this one make the file."""
        return None
