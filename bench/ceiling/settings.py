"""Askwell's own settings (middleware included), with one URL: the ceiling view."""

from askwell.settings import *  # noqa: F403

ROOT_URLCONF = "ceiling.urls"
