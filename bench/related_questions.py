"""Benchmark: what a question page's "Continue learning" costs (issue 17, item 2).

    .venv/bin/python bench/related_questions.py [--data-dir DIR] [--pages N]

On the MedQuAD import of search_quality.py (default bench/.cache/quality/;
`--data-dir` for another), for N random answered questions (seed 0):

- found: the candidates found anew (the same-topic query and the nearest
  titles) and the answered ones among them read, which is what every
  question page did before the lists were stored, whenever a write had moved
  the search index version since its last visit (on a live site, nearly
  always: every write moves it);
- stored: engine.related_questions() reading the list stored for the
  question (search/related.py), as pages do now;
- and the two parts that differ alone: finding the candidates, reading the
  stored list.

Both run in this process on the same rows; the stored lists are written in
a transaction rolled back at the end, so the data dir is left as it was
(its database is migrated first). Prints the median and 95th percentile of
each, and the machine and the date; results in
bench/results/related_questions.json.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from common import (
    DEFAULT_DATA_DIR,
    RESULTS_DIR,
    code_version,
    machine,
    machine_line,
    setup_django,
)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--pages", type=int, default=300)
    args = parser.parse_args()
    setup_django(args.data_dir)

    from django.core.management import call_command
    from django.db import transaction

    from askwell.questions.models import Question
    from askwell.search import engine, related
    from askwell.search.indexing import current_version
    from askwell.search.models import SearchDocument

    call_command("migrate", verbosity=0)
    answered = sorted(set(SearchDocument.objects.values_list("question_id", flat=True)))
    # A seeded sample for a benchmark, not a secret.
    sampler = random.Random(0)  # noqa: S311
    chosen = sampler.sample(answered, min(args.pages, len(answered)))
    questions = list(Question.objects.filter(pk__in=chosen).prefetch_related("topics"))
    version = current_version()
    # Warm up: the vector matrix and the model's first call load once.
    engine._answered_questions(related.find(questions[0], related.SHOWN, version))

    times: dict[str, list[float]] = {
        "found": [],
        "stored": [],
        "finding": [],
        "reading": [],
    }

    def timed(name: str, work: Callable[[], object]) -> None:
        started = time.perf_counter()
        work()
        times[name].append((time.perf_counter() - started) * 1000)

    with transaction.atomic():
        for question in questions:
            timed(
                "found",
                lambda q=question: engine._answered_questions(
                    related.find(q, related.SHOWN, version)
                ),
            )
            timed("finding", lambda q=question: related.find(q, related.SHOWN, version))
            related.fill([question.pk])
            timed("stored", lambda q=question: engine.related_questions(q))
            timed("reading", lambda q=question: related.candidates(q))
        transaction.set_rollback(True)

    info = machine()
    result = {
        "machine": info,
        "code": code_version(),
        "questions": len(answered),
        "pages": len(questions),
        **{
            f"{name}_ms": {
                "p50": statistics.median(values),
                "p95": percentile(values, 0.95),
            }
            for name, values in times.items()
        },
    }
    print(machine_line(info))
    print(f"{len(answered):,} answered questions, {len(questions)} random pages")
    labels = {
        "found": "found anew, then the answered ones read",
        "stored": "stored list read, then the answered ones read",
        "finding": "  of which finding the candidates",
        "reading": "  of which reading the stored list",
    }
    for name, label in labels.items():
        figures = result[f"{name}_ms"]
        print(
            f"  {label:<48} p50 {figures['p50']:6.2f} ms   p95 {figures['p95']:6.2f} ms"
        )
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / "related_questions.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
