from __future__ import annotations

import functools

import factory
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from askwell.accounts import roles
from askwell.accounts.models import User

# Every factory user signs in with this password.
PASSWORD = "correct horse battery staple"


@functools.cache
def _password_hash() -> str:
    return make_password(PASSWORD)


class UserFactory(factory.django.DjangoModelFactory):
    """An active reader with a verified email address and the password `PASSWORD`."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"reader{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    is_active = True
    # Argon2 takes about 0.3 s a hash on purpose: hash once per test run.
    password = factory.LazyFunction(lambda: _password_hash())


class EditorFactory(UserFactory):
    """A member of the "Editors" group (the group is created on first use)."""

    username = factory.Sequence(lambda n: f"editor{n}")

    @factory.post_generation
    def editors_group(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            group, _ = Group.objects.get_or_create(name=roles.EDITORS)
            self.groups.add(group)
