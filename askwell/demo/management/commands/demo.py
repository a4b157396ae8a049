from __future__ import annotations

import contextlib
import signal
import subprocess
import sys
from collections.abc import Iterator
from types import FrameType
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from askwell.accounts.actions import create_account
from askwell.demo.accounts import ACCOUNTS, ensure_demo_accounts
from askwell.demo.environment import DEFAULT_HOST, DEFAULT_PORT
from askwell.demo.loader import demo_content_loaded, load_demo_content

ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "askwell-demo-admin"  # noqa: S105 - a published demo login, printed on start


class Command(BaseCommand):
    help = (
        "Set up the demo site on SQLite (migrations, demo content, an admin account) "
        "and serve it, with one background job worker beside the server (mail, "
        "search indexing, notifications). Re-running keeps the existing database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=DEFAULT_HOST, help="Address to serve on.")
        parser.add_argument(
            "--port", type=int, default=DEFAULT_PORT, help="Port to serve on."
        )
        parser.add_argument(
            "--no-serve", action="store_true", help="Set everything up, then exit."
        )

    def handle(
        self, *args: Any, host: str, port: int, no_serve: bool, **options: Any
    ) -> None:
        database = settings.DATABASES["default"]
        self.stdout.write(
            f"• Database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}"
        )
        self.stdout.write("• Applying migrations")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("• Collecting static files")
        call_command("collectstatic", interactive=False, verbosity=0)
        if demo_content_loaded():
            self.stdout.write(
                "• Demo content already loaded: keeping the existing database"
            )
        else:
            self.stdout.write("• Loading demo content")
            summary = load_demo_content()
            self.stdout.write(f"  {summary}")
        self._ensure_admin()
        for account in ensure_demo_accounts():
            self.stdout.write(f"• Created the demo account {account.username!r}")
        address = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        url = f"http://{address}/"
        self.stdout.write(
            self.style.SUCCESS(f"\nAskwell demo: {url}\n")
            + f"Admin: {url}admin/  user {ADMIN_USERNAME!r}, password {ADMIN_PASSWORD!r}\n"
            + "Demo sign-ins (at /accounts/login/):\n"
            + "".join(
                f"  {a.username:<13} {a.password:<24} {a.role}\n" for a in ACCOUNTS
            )
        )
        if no_serve:
            return
        with _job_worker() as worker:
            self.stdout.write(
                f"• Background jobs: a worker runs beside the server (pid {worker.pid})"
            )
            call_command("runserver", address, use_reloader=False, use_threading=True)

    def _ensure_admin(self) -> None:
        if get_user_model().objects.filter(username=ADMIN_USERNAME).exists():
            return
        create_account(
            username=ADMIN_USERNAME,
            email="admin@askwell.invalid",
            password=ADMIN_PASSWORD,
            superuser=True,
        )
        self.stdout.write(f"• Created the admin account {ADMIN_USERNAME!r}")


@contextlib.contextmanager
def _job_worker() -> Iterator[subprocess.Popen[bytes]]:
    """`askwell worker` in a process of its own, on the same settings, for as
    long as the server runs: stopped with it on Ctrl-C (the terminal signals
    both) and on SIGTERM (turned into an exit here, so this stops it)."""
    previous = signal.signal(signal.SIGTERM, _exit)
    worker = subprocess.Popen([sys.executable, "-m", "askwell", "worker"])
    try:
        yield worker
    finally:
        signal.signal(signal.SIGTERM, previous)
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def _exit(signum: int, frame: FrameType | None) -> None:
    sys.exit(0)
