from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from askwell.accounts.forms import AdminPasswordChangeForm
from askwell.accounts.models import User
from askwell.audit import log_action


def _roles(user: User) -> dict[str, object]:
    return {
        "groups": sorted(user.groups.values_list("name", flat=True)),
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "is_active": user.is_active,
    }


@admin.register(User)
class AskwellUserAdmin(UserAdmin):
    """Django's user admin; granting or taking away a role is audited, and
    setting a password revokes the account's API tokens."""

    change_password_form = AdminPasswordChangeForm

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]  # ModelAdmin's hook, untyped in the stubs' base; request.user is staff
        obj._roles_before = _roles(User.objects.get(pk=obj.pk)) if change else {}
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):  # type: ignore[no-untyped-def]  # ModelAdmin's hook, untyped in the stubs' base; request.user is staff
        super().save_related(request, form, formsets, change)
        user = form.instance
        after = _roles(user)
        before = getattr(user, "_roles_before", {})
        if after != before:
            log_action(
                user, "user.roles_changed", request.user, before=before, after=after
            )
