"""`askwell serve`: the production server (gunicorn), after checks that it can run."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from askwell.operations.jobs import live_workers
from askwell.operations.workers import default_workers

GUNICORN_CONFIG = "python:askwell.operations.gunicorn_conf"


class Command(BaseCommand):
    help = (
        "Serve Askwell in production with gunicorn: refuses to run with DEBUG on, "
        "checks the settings and migrations, collects static files (hashed names), "
        "then starts the workers. SIGHUP reloads gracefully, SIGTERM stops gracefully. "
        "Mail, search indexing and notifications run in background jobs: keep "
        "`askwell worker` running beside it (one is enough for most sites, one per "
        "machine at most needed; each loads the embedding model, about 200 MB)."
    )
    # The checks run in handle(), after the DEBUG test, with deploy checks included.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind",
            default=os.environ.get("ASKWELL_BIND", "127.0.0.1:8000"),
            help="HOST:PORT or unix:PATH to listen on (default: $ASKWELL_BIND "
            "or 127.0.0.1:8000).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Worker processes (default: $ASKWELL_WORKERS, or one per CPU, at most 8).",
        )
        parser.add_argument(
            "--migrate",
            action="store_true",
            help="Apply migrations first (with several app servers, let one do it).",
        )
        parser.add_argument(
            "--no-collectstatic",
            action="store_true",
            help="Do not collect static files (STATIC_ROOT is already up to date).",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Do everything but serve: check, migrate if asked, collect static "
            "files, print the gunicorn command, exit.",
        )

    def handle(
        self,
        *args: Any,
        bind: str,
        workers: int | None,
        migrate: bool,
        no_collectstatic: bool,
        check: bool,
        **options: Any,
    ) -> None:
        if settings.DEBUG:
            raise CommandError(
                "DEBUG is on. `askwell serve` is the production server and refuses "
                "to run with DEBUG on (it shows tracebacks and settings to anyone). "
                "Set DEBUG=False, with SECRET_KEY and ALLOWED_HOSTS; for development "
                "use `askwell demo` or `askwell runserver`."
            )
        if workers is None:
            try:
                workers = default_workers()
            except ValueError as error:
                raise CommandError(str(error)) from None
        if workers < 1:
            raise CommandError("--workers must be at least 1.")
        # Errors stop here; deploy warnings (HSTS, SSL redirect…) are printed.
        call_command("check", deploy=True, fail_level="ERROR")
        self._migrations(apply=migrate)
        self._job_workers()
        if not no_collectstatic:
            call_command("collectstatic", interactive=False, verbosity=0)
            self.stdout.write(
                f"• Static files collected into {settings.STATIC_ROOT} (hashed names)"
            )
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            GUNICORN_CONFIG,
            "--bind",
            bind,
            "--workers",
            str(workers),
        ]
        self.stdout.write(f"• Starting gunicorn on {bind} with {workers} workers")
        if check:
            self.stdout.write(" ".join(command))
            return
        # gunicorn replaces this process, so the process manager's signals
        # (HUP: reload, TERM: stop) reach gunicorn's master directly.
        connections.close_all()
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(sys.executable, command)  # noqa: S606 - our own interpreter and module

    def _job_workers(self) -> None:
        """Say so when no `askwell worker` shares this database: the site
        works, but mail and search indexing wait until one runs."""
        if settings.ASKWELL_TASKS_BACKEND != "database":
            return
        if not live_workers(timezone.now()):
            self.stdout.write(
                "• No job worker is running: mail, search indexing and "
                "notifications wait until one does. Start `askwell worker` "
                "beside the server (docs/deploy.md, section 7)."
            )

    def _migrations(self, *, apply: bool) -> None:
        connection = connections["default"]
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if not plan:
            return
        if not apply:
            raise CommandError(
                f"{len(plan)} migrations are not applied to the database yet. Run "
                "`askwell migrate` (once, with several app servers) or start with "
                "`askwell serve --migrate`."
            )
        self.stdout.write(f"• Applying {len(plan)} migrations")
        call_command("migrate", interactive=False, verbosity=0)
