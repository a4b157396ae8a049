from __future__ import annotations

from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """Askwell's user, custom from the first migration so later fields need no swap."""

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
