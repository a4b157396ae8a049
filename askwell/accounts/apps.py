from __future__ import annotations

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    name = "askwell.accounts"
    label = "accounts"
    default = True


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin, whose sign-in is the site's (accounts/admin_site.py)."""

    default = False
    default_site = "askwell.accounts.admin_site.AdminSite"
