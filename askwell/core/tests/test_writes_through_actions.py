"""Writes belong to actions: no view, API handler, form, admin, management
command, importer, demo loader or rule module writes a model itself.

Every state change goes through an app's actions.py (STYLE.md §4), which
checks permission, audits and sends the change event search and
notifications follow. This test reads the source (a small AST check, no
imports) of the modules that must not write, and fails on any call that
writes through the ORM:

- `.save()`, `.delete()`, `.create()`, `.get_or_create()`,
  `.update_or_create()`, `.bulk_create()`, `.bulk_update()`,
  `.create_user()`, `.create_superuser()` on anything but the objects
  named in NOT_MODELS (a form's `.save()` counts: a ModelForm saved in a
  view writes a row past the actions; `.save(commit=False)` only fills it
  in);
- `.update(…)` with keyword arguments only: QuerySet.update (a dict's
  update takes a mapping);
- `.add()`, `.remove()`, `.set()`, `.clear()` on a relation, named as any
  model's many-to-many field or related accessor (`question.topics.set`);
- the admin's own writes, `super().save_model()` and friends: a ModelAdmin
  that overrides them calls an action instead (one that does not override
  them uses Django's, as for books and videos);
- raw SQL, `.execute()` / `.executemany()`.

The modules read (SCOPE), relative to askwell/:

- views: `*/views.py`, `*/views/*.py`, and the API's modules `api/*.py`;
- forms: `*/forms.py`;
- the admin: `*/admin.py`, `accounts/admin_site.py`;
- management commands: `*/management/commands/*.py`;
- the importer and the demo: `importers/*.py`, `demo/*.py`;
- rules and reads, which never write: `*/permissions.py`, `*/roles.py`,
  `*/queries.py`, `*/sitemaps.py`, `*/feeds.py`, `*/context_processors.py`,
  `*/templatetags/*.py`.

A justified exception goes in ALLOWED with its reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]  # askwell/

SCOPE = (
    "*/views.py",
    "*/views/*.py",
    "api/*.py",
    "*/forms.py",
    "*/admin.py",
    "accounts/admin_site.py",
    "*/management/commands/*.py",
    "importers/*.py",
    "demo/*.py",
    "*/permissions.py",
    "*/roles.py",
    "*/queries.py",
    "*/sitemaps.py",
    "*/feeds.py",
    "*/context_processors.py",
    "*/templatetags/*.py",
)

WRITES = frozenset(
    {
        "save",
        "delete",
        "create",
        "get_or_create",
        "update_or_create",
        "bulk_create",
        "bulk_update",
        "create_user",
        "create_superuser",
    }
)
RELATION_WRITES = frozenset({"add", "remove", "set", "clear"})
ADMIN_WRITES = frozenset(
    {"save_model", "save_related", "save_formset", "delete_model", "delete_queryset"}
)
RAW_SQL = frozenset({"execute", "executemany"})

# Objects with save()/delete()/update() that are not models: the name the
# call is made on (`cache.delete(key)`, `image.save(buffer)`).
NOT_MODELS = frozenset(
    {
        "cache",  # Django's cache: a key, not a row
        "session",  # request.session: the session framework saves itself
        "storage",  # file storage: files, not rows (demo book covers)
        "image",  # a Pillow image written to a buffer (demo covers)
        "router",  # django-ninja: router.delete(...) declares a DELETE route
        "context",  # a view's template context, a dict: context.update(page=...)
    }
)

# (file relative to askwell/, the call as written): why it may write.
ALLOWED = {
    (
        "accounts/forms.py",
        "super().save",
    ): "Django's password forms (change, reset, the admin's set password) "
    "save the new password; the subclass revokes API tokens in the same "
    "transaction (accounts.actions.revoke_api_tokens_for_new_password).",
    (
        "accounts/admin.py",
        "super().save_model",
    ): "Django's user admin saves users; the role changes it makes are "
    "audited (user.roles_changed) in save_related.",
    (
        "accounts/admin.py",
        "super().save_related",
    ): "The user admin's groups and permissions: audited right after.",
}


def _relation_names() -> frozenset[str]:
    """Every name a model reaches another through a many-to-many field or a
    reverse relation by (`topics`, `groups`, `answers`, `authors`...)."""
    names = set()
    for model in apps.get_models():
        for field in model._meta.get_fields(include_hidden=False):
            if field.many_to_many and not field.auto_created:
                names.add(field.name)
            elif field.auto_created and (field.one_to_many or field.many_to_many):
                names.add(field.get_accessor_name())
    return frozenset(names)


def _receiver(call: ast.Call) -> str:
    """The last name of what the method is called on: `cache` for
    `caches["x"].cache.delete()`, `topics` for `q.topics.set()`."""
    target = call.func.value  # type: ignore[attr-defined]
    while isinstance(target, ast.Subscript):
        target = target.value
    if isinstance(target, ast.Attribute):
        return target.attr
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Call):
        return ast.unparse(target.func)
    return ""


def _is_write(call: ast.Call, relations: frozenset[str]) -> bool:
    if not isinstance(call.func, ast.Attribute):
        return False
    method = call.func.attr
    receiver = _receiver(call)
    if method in WRITES:
        commit_false = any(
            k.arg == "commit"
            and isinstance(k.value, ast.Constant)
            and not k.value.value
            for k in call.keywords
        )
        return receiver not in NOT_MODELS and not (method == "save" and commit_false)
    if method == "update":
        return bool(call.keywords) and not call.args and receiver not in NOT_MODELS
    if method in RELATION_WRITES:
        return receiver in relations
    if method in ADMIN_WRITES:
        return receiver == "super"
    return method in RAW_SQL


def writes_in(source: str, relations: frozenset[str]) -> list[tuple[int, str]]:
    """(line, call) of every write in `source`."""
    return [
        (node.lineno, ast.unparse(node.func))
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and _is_write(node, relations)
    ]


def _files() -> list[Path]:
    found = {
        path
        for pattern in SCOPE
        for path in ROOT.glob(pattern)
        if "tests" not in path.relative_to(ROOT).parts
    }
    return sorted(found)


def test_the_scope_reads_every_kind_of_module_it_names():
    """A pattern that matches nothing (a renamed folder) would silently
    check nothing."""
    files = [path.relative_to(ROOT).as_posix() for path in _files()]
    for pattern in SCOPE:
        assert any(Path(f).match(pattern) for f in files), pattern


@pytest.mark.parametrize(
    "path", _files(), ids=lambda path: path.relative_to(ROOT).as_posix()
)
def test_only_actions_write(path):
    # given
    relations = _relation_names()
    name = path.relative_to(ROOT).as_posix()

    # when
    found = [
        f"{name}:{line}: {call}(…)"
        for line, call in writes_in(path.read_text(encoding="utf-8"), relations)
        if (name, call) not in ALLOWED
    ]

    # then
    assert found == [], "writes belong in an app's actions.py"


def test_every_allowed_write_is_still_there():
    """An exception whose write is gone is removed from ALLOWED."""
    relations = _relation_names()
    present = {
        (path.relative_to(ROOT).as_posix(), call)
        for path in _files()
        for _, call in writes_in(path.read_text(encoding="utf-8"), relations)
    }
    assert set(ALLOWED) <= present


@pytest.mark.parametrize(
    "source",
    [
        "def v(request):\n    Question.objects.create(title='x')\n",
        "def v(request):\n    Question.objects.filter(pk=1).update(view_count=F('view_count') + 1)\n",
        "def v(request, q):\n    q.save(update_fields=['title'])\n",
        "def v(request, form):\n    form.save()\n",
        "def v(request, q, t):\n    q.topics.set([t])\n",
        "def v(request, q):\n    q.answers.all().delete()\n",
        "def v(request):\n    Flag.objects.get_or_create(reason='spam')\n",
        "class A(admin.ModelAdmin):\n"
        "    def save_model(self, request, obj, form, change):\n"
        "        super().save_model(request, obj, form, change)\n",
        "def v(request):\n    connection.cursor().execute('DELETE FROM t')\n",
    ],
)
def test_the_check_finds_a_write(source):
    assert len(writes_in(source, _relation_names())) == 1


@pytest.mark.parametrize(
    "source",
    [
        "def v(request):\n    context.update({'a': 1})\n",
        "def v(request):\n    context.update(page=page)\n",
        "def v(request):\n    seen.add(1)\n",
        "def v(request):\n    cache.delete('key')\n",
        "def v(request):\n    image.save(buffer, format='PNG')\n",
        "def v(request, formset):\n    formset.save(commit=False)\n",
        "def v(request):\n    actions.record_view(question)\n",
    ],
)
def test_the_check_leaves_what_is_not_a_write(source):
    assert writes_in(source, _relation_names()) == []
