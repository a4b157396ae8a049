from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower


class User(AbstractUser):
    """Askwell's user, custom from the first migration so later fields need no swap."""

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            # Sign-in by email and password reset look addresses up
            # case-insensitively, so two accounts must never share one in
            # any case. Accounts made by `createsuperuser` may have none.
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="accounts_user_email_ci_uniq",
                violation_error_message="An account with this email address already exists.",
            ),
        ]
