"""Shared helpers of the search benchmarks (search_quality.py, search_speed.py).

The benchmarks run on their own SQLite data directory holding a full MedQuAD
import (default: bench/.cache/quality/, several hundred MB; delete it to start
over). `prepare_data_dir` creates it with `askwell migrate` and
`askwell import medquad` in subprocesses, as an operator would, and notes the
import's timing in `import.json` there; `--reuse` skips all that when a
finished import is already present.
"""

from __future__ import annotations

import csv
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# The full corpora: $ASKWELL_SHARED_DATA, by default ../shared/data (the one
# setting the corpus-tier tests read too).
from askwell.testing.datasets import SHARED_DATA_VARIABLE, shared_data  # noqa: E402

SHARED_DATA = shared_data()
DEFAULT_DATA_DIR = ROOT / "bench" / ".cache" / "quality"
RESULTS_DIR = ROOT / "bench" / "results"
DB_NAME = "askwell.sqlite3"
IMPORT_MARKER = "import.json"
LIVEQA_FILES = ("liveqa-med-train-1.xml", "liveqa-med-train-2.xml")


def require_shared_data(*names: str) -> dict[str, Path]:
    """Paths of the shared data files, or exit with a message saying what is missing."""
    if not SHARED_DATA.is_dir():
        sys.exit(
            f"{SHARED_DATA}: not found. The benchmarks read the shared data sets "
            f"(MedQuAD, LiveQA, mqp.csv) from ${SHARED_DATA_VARIABLE}, by default "
            "../shared/data next to the repository."
        )
    paths = {name: SHARED_DATA / name for name in names}
    missing = [str(p) for p in paths.values() if not p.is_file()]
    if missing:
        sys.exit("missing shared data file(s): " + ", ".join(missing))
    return paths


def machine() -> dict[str, object]:
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": _cpu_name(),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "code": code_version(),
    }


def code_version() -> str:
    """The commit the measured code is at, "+changes" when askwell/ has uncommitted edits."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--", "askwell"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{commit}+changes" if changed else commit


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def machine_line(info: dict[str, object]) -> str:
    return (
        f"{info['date']} · {info['platform']} · {info['processor']} · "
        f"{info['cpu_count']} CPUs · Python {info['python']} · code {info['code']} · "
        f"load average {info['load_average']} (timings are noisy on a shared machine)"
    )


# --- the data directory ---------------------------------------------------------


# Set by bench/on_postgresql.py: run against that PostgreSQL database instead
# of the data dir's SQLite file (the data dir still holds the bench's notes).
BENCH_DATABASE_URL = "BENCH_DATABASE_URL"


def askwell_env(data_dir: Path) -> dict[str, str]:
    """The environment of an `askwell` subprocess on the benchmark's database."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(ASKWELL_DATA_DIR=str(data_dir), DEBUG="True")
    if os.environ.get(BENCH_DATABASE_URL):
        env["DATABASE_URL"] = os.environ[BENCH_DATABASE_URL]
    return env


def run_askwell(
    args: list[str], data_dir: Path, *, stdin: Path | None = None
) -> tuple[float, str]:
    """Run `python -m askwell ARGS`; (wall seconds, stdout). Exits on failure."""
    started = time.perf_counter()
    with open(stdin or os.devnull, "rb") as source:
        result = subprocess.run(
            [sys.executable, "-m", "askwell", *args],
            env=askwell_env(data_dir),
            cwd=ROOT,
            stdin=source,
            capture_output=True,
            text=True,
            check=False,
        )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(
            f"askwell {' '.join(args)} failed (exit {result.returncode}):\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return elapsed, result.stdout


def import_record(data_dir: Path) -> dict[str, object] | None:
    """What `prepare_data_dir` noted about a finished import there, if any."""
    marker = data_dir / IMPORT_MARKER
    on_file = not os.environ.get(BENCH_DATABASE_URL)
    if not marker.is_file() or (on_file and not (data_dir / DB_NAME).is_file()):
        return None
    return json.loads(marker.read_text())


def prepare_data_dir(
    data_dir: Path, archive: Path, *, reuse: bool
) -> dict[str, object]:
    """A data dir holding a full MedQuAD import; returns the import's record.

    With `reuse`, a finished import already there is kept. Otherwise the
    directory is emptied and rebuilt: `askwell migrate`, then
    `askwell import medquad` (which indexes and computes all embeddings),
    each timed as a separate process.
    """
    if reuse:
        record = import_record(data_dir)
        if record is not None:
            print(f"Reusing the MedQuAD import in {data_dir} (from {record['date']}).")
            if record.get("code") != code_version():
                print(
                    f"note: imported with code {record.get('code', 'unknown')}, now "
                    f"{code_version()}; if indexing or embedding changed since, run "
                    "without --reuse"
                )
            return record
        print(f"No finished import in {data_dir}: importing MedQuAD.")
    if data_dir.exists():
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True)
    print(f"Importing MedQuAD into {data_dir} (takes a while: it embeds everything).")
    migrate_seconds, _ = run_askwell(["migrate", "-v0"], data_dir)
    import_seconds, output = run_askwell(["import", "medquad", str(archive)], data_dir)
    summary = [
        line.strip()
        for line in output.replace("\r", "\n").splitlines()
        if line.strip() and "%" not in line
    ]
    record = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "archive": str(archive),
        "code": code_version(),
        "migrate_seconds": round(migrate_seconds, 1),
        "import_seconds": round(import_seconds, 1),
        "import_output": summary[-12:],
        "database": "postgresql" if os.environ.get(BENCH_DATABASE_URL) else "sqlite",
    }
    if (data_dir / DB_NAME).is_file():
        record["database_mb"] = round((data_dir / DB_NAME).stat().st_size / 1e6)
    (data_dir / IMPORT_MARKER).write_text(json.dumps(record, indent=2) + "\n")
    print(f"Imported in {import_seconds:.0f} s (including embeddings).")
    return record


def setup_django(data_dir: Path) -> None:
    """Configure Django in this process on the benchmark's SQLite database."""
    os.environ.pop("DATABASE_URL", None)
    if os.environ.get(BENCH_DATABASE_URL):
        os.environ["DATABASE_URL"] = os.environ[BENCH_DATABASE_URL]
    os.environ["DJANGO_SETTINGS_MODULE"] = "askwell.settings"
    os.environ["DEBUG"] = "True"
    os.environ["ASKWELL_DATA_DIR"] = str(data_dir)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- LiveQA -------------------------------------------------------------------------


@dataclass
class SubQuestion:
    foci: list[str]
    type: str
    answers: list[str]


@dataclass
class LiveQuestion:
    id: str
    subject: str
    message: str
    subs: list[SubQuestion] = field(default_factory=list)

    @property
    def query(self) -> str:
        return f"{self.subject} {self.message}".strip()

    @property
    def references(self) -> list[str]:
        return [a for sub in self.subs for a in sub.answers]


def _text(element: ET.Element | None) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def load_liveqa(paths: list[Path]) -> list[LiveQuestion]:
    """The LiveQA medical training questions, in file order."""
    questions = []
    for number, path in enumerate(paths, 1):
        root = ET.parse(path).getroot()  # noqa: S314 - trusted research data
        for index, item in enumerate(root.iter("NLM-QUESTION"), 1):
            qid = item.get("questionid") or item.get("qid") or str(index)
            question = LiveQuestion(
                id=f"train{number}:{qid}",
                subject=(item.findtext("SUBJECT") or "").strip(),
                message=(item.findtext("MESSAGE") or "").strip(),
            )
            for sub in item.iter("SUB-QUESTION"):
                question.subs.append(
                    SubQuestion(
                        foci=[
                            _text(f)
                            for f in sub.findall("ANNOTATIONS/FOCUS")
                            if _text(f)
                        ],
                        type=_text(sub.find("ANNOTATIONS/TYPE")),
                        answers=[
                            _text(a) for a in sub.findall("ANSWERS/ANSWER") if _text(a)
                        ],
                    )
                )
            questions.append(question)
    return questions


WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    return WORD.findall(text.casefold())


# --- mqp.csv ---

MQP_COLUMNS = ["dr_id", "question_1", "question_2", "label"]


def read_mqp(path: Path) -> list[dict[str, str]]:
    """The rows of mqp.csv as dicts, with or without a header line."""
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    if rows and rows[0] == MQP_COLUMNS:
        rows = rows[1:]
    return [dict(zip(MQP_COLUMNS, row, strict=True)) for row in rows if row]
