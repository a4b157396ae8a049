"""Spam checks that need no third-party service.

Every sign-up, question, answer and comment form carries two extra inputs,
rendered by `{% antispam_fields %}`:

- a honeypot: a text input people never see (screen readers are told to
  skip it), which form-filling bots fill in;
- a signed timestamp of when the form was shown: a form sent back sooner
  than ASKWELL_FORM_MIN_SECONDS was not typed by a person. The signature
  stops a bot from writing its own timestamp, and each timestamp carries a
  random nonce that works once (counted in askwell/core/counters.py, which
  every process shares), so a bot cannot post many times with one form it
  waited for.

Both failures give one generic message, so a bot learns nothing, and the
form is invalid, so nothing is stored. A form shown again (with this
message, or with any other error) gets a new timestamp that keeps the
time it was first shown, so a person correcting a mistake quickly is not
told to wait; only a replayed, forged or days-old timestamp starts the
clock again.

New accounts (younger than ASKWELL_NEW_ACCOUNT_DAYS, or with nothing
published yet) may include at most ASKWELL_NEW_ACCOUNT_MAX_LINKS links in
a question, answer or comment: link spam is what such accounts are made
for. What counts as published is the content's to say: the form passes it
in (SpamCheckMixin.has_published), since core reads no content. Every link in user content is also rendered rel="nofollow ugc
noopener" (askwell/lib/markdown.py), so spam links earn no search ranking.
"""

from __future__ import annotations

import re
import secrets
import time
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone

from askwell.core import counters
from askwell.lib.markdown import html_to_text, render_markdown

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from django.contrib.auth.models import AbstractUser as User

HONEYPOT_FIELD = "website"
STARTED_FIELD = "form_started"
# A form left open longer than this must be sent again, so a timestamp
# harvested once cannot be replayed forever.
MAX_FORM_AGE = 2 * 24 * 3600
REFUSED = (
    "We could not accept this form. Please check it, wait a few seconds and "
    "send it again."
)
_SALT = "askwell.antispam.form-started"
_ANCHOR = re.compile(r"<a\b[^>]*>.*?</a>", re.DOTALL | re.IGNORECASE)
_BARE_URL = re.compile(r"(?:\b[a-z][a-z0-9+.-]*://|\bwww\.)\S", re.IGNORECASE)


class SpamRefused(ValidationError):
    """A form the spam checks refuse. `started`: when the form was first
    shown, if the form shown again may keep that time (the timestamp was
    genuine, only sent too soon), else None."""

    def __init__(self, started: int | None = None) -> None:
        super().__init__(REFUSED, code="spam")
        self.started = started


def form_started_token(issued_at: float | None = None) -> str:
    """The signed time a form was shown at, with a nonce of its own: a form
    shown again passes the time it was first shown."""
    moment = time.time() if issued_at is None else issued_at
    nonce = secrets.token_urlsafe(12)
    return signing.Signer(salt=_SALT).sign(f"{int(moment)}:{nonce}")


def _read(token: str) -> tuple[int, str]:
    """The issue time and nonce of a genuine token; raises SpamRefused."""
    try:
        issued, nonce = signing.Signer(salt=_SALT).unsign(token).split(":")
        return int(issued), nonce
    except (signing.BadSignature, ValueError):
        raise SpamRefused from None


def check_submission(data: Mapping[str, Any]) -> int | None:
    """Raise SpamRefused (a ValidationError, code "spam") for a filled
    honeypot, or a form sent too soon, too late, again, or without a valid
    timestamp. Otherwise use the timestamp up and return when the form
    was first shown (None with the check turned off)."""
    if str(data.get(HONEYPOT_FIELD, "") or "").strip():
        raise SpamRefused
    minimum = settings.ASKWELL_FORM_MIN_SECONDS
    if minimum <= 0:
        return None
    issued, nonce = _read(str(data.get(STARTED_FIELD) or ""))
    moment = time.time()
    age = moment - issued
    if age > MAX_FORM_AGE:
        raise SpamRefused
    if age < minimum:
        raise SpamRefused(started=issued)
    uses = counters.increment(
        f"form-started:{nonce}", expires=issued + MAX_FORM_AGE + 1, now=moment
    )
    if uses > 1:
        raise SpamRefused
    return issued


def count_links(text: str) -> int:
    """Links in Markdown as readers would see it, plus web addresses typed
    as plain text (not clickable, but what link spam is made of)."""
    html = render_markdown(text)
    anchors = len(_ANCHOR.findall(html))
    rest = html_to_text(_ANCHOR.sub(" ", html))
    return anchors + len(_BARE_URL.findall(rest))


def is_new_account(user: User, *, has_published: Callable[[User], bool]) -> bool:
    """Younger than ASKWELL_NEW_ACCOUNT_DAYS, or with nothing readers can see
    (`has_published(user)` is False)."""
    young = timezone.now() - user.date_joined < timedelta(
        days=settings.ASKWELL_NEW_ACCOUNT_DAYS
    )
    if young:
        return True
    return not has_published(user)


def check_link_limit(
    user: User, texts: list[str], *, has_published: Callable[[User], bool]
) -> None:
    limit = settings.ASKWELL_NEW_ACCOUNT_MAX_LINKS
    days = settings.ASKWELL_NEW_ACCOUNT_DAYS
    links = sum(count_links(text) for text in texts)
    if (
        links <= limit
        or user.is_staff
        or not is_new_account(user, has_published=has_published)
    ):
        return
    raise ValidationError(
        "New accounts can include at most %(limit)s link%(plural)s in a post "
        "(this one has %(links)s). Remove some links, or post again once your "
        "account is %(days)s day%(days_plural)s old and has something published.",
        code="too_many_links",
        params={
            "limit": limit,
            "plural": "" if limit == 1 else "s",
            "links": links,
            "days": days,
            "days_plural": "" if days == 1 else "s",
        },
    )


class SpamCheckMixin:
    """For a form people post content or accounts with: checks the honeypot
    and timestamp, and, given `author=`, the new-account link limit over the
    fields named in `link_fields`. Put it before the form class:
    `class AskForm(SpamCheckMixin, forms.Form)`.

    `shown=False` is for data that never came from a page (the JSON API):
    there is no honeypot or timestamp to check, but the link limit holds.

    After validation, `form_started` is when the form was first shown, if
    the form shown again may keep that time ({% antispam_fields %} reads
    it from the template's `form`), else None.

    A form with `link_fields` says what an account has published, so that
    an older account with nothing published still counts as new: override
    `has_published` (questions/forms.py does, for questions, answers and
    comments)."""

    link_fields: tuple[str, ...] = ()

    def __init__(
        self,
        *args: Any,
        author: User | None = None,
        shown: bool = True,
        **kwargs: Any,
    ) -> None:
        self.author = author
        self.shown = shown
        self.form_started: int | None = None
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]  # a mixin: the Form after it cleans
        if self.shown:
            try:
                self.form_started = check_submission(self.data)  # type: ignore[attr-defined]  # the Form's data
            except SpamRefused as refused:
                self.form_started = refused.started
                raise
        if self.author is not None and self.author.is_authenticated:
            check_link_limit(
                self.author,
                [str(cleaned.get(name) or "") for name in self.link_fields],
                has_published=self.has_published,
            )
        return cleaned

    def has_published(self, user: User) -> bool:
        """Whether readers can see anything `user` posted: nothing, unless
        the form says otherwise."""
        return False
