"""Benchmark: search speed over the full MedQuAD on SQLite (issue 4, section 4).

    .venv/bin/python bench/search_speed.py [--data-dir DIR] [--skip-batch] [--skip-embeddings]

Uses the data dir of search_quality.py (default bench/.cache/quality/; it
imports MedQuAD there first if no finished import is present) and measures:

- warm in-process latency of engine.search(limit=10), p50/p95/p99, for 200
  short queries (LiveQA subject lines cut to 8 words, mqp.csv first questions)
  and 200 long ones (LiveQA messages padded or cut to 100 words), and of the
  query embedding alone for the same queries;
- `askwell search --batch IN.jsonl --json` as a subprocess on 300 LiveQA
  questions: queries/s including the model load, and excluding it (the time
  of a 1-query run subtracted);
- `askwell reindex --embeddings-only` on a copy of the database with every
  vector cleared: the time to embed all of MedQuAD.

Timings are wall-clock (time.perf_counter) and noisy on a shared machine.
Results go to bench/results/search_speed.json.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import (
    DB_NAME,
    DEFAULT_DATA_DIR,
    LIVEQA_FILES,
    RESULTS_DIR,
    load_liveqa,
    machine,
    machine_line,
    prepare_data_dir,
    read_mqp,
    require_shared_data,
    run_askwell,
    setup_django,
)

SHORT_WORDS = 8
LONG_WORDS = 100
PER_KIND = 200
BATCH_QUERIES = 300
TARGETS = {
    "p50_ms": 15,
    "p95_ms": 30,
    "batch_queries_per_s": 30,
    "embed_all_s": 300,
}


def short_queries(subjects: list[str], mqp_questions: list[str]) -> list[str]:
    """Half LiveQA subject lines (or message openings), half mqp.csv questions."""
    half = PER_KIND // 2
    first = list(dict.fromkeys(" ".join(s.split()[:SHORT_WORDS]) for s in subjects))
    second = list(dict.fromkeys(q.strip() for q in mqp_questions if q.strip()))
    return first[:half] + second[: PER_KIND - min(half, len(first))]


def long_queries(messages: list[str]) -> list[str]:
    """LiveQA messages, each cut to 100 words or padded with the messages after it."""
    queries = []
    for i, message in enumerate(messages[:PER_KIND]):
        text = message.split()
        j = i + 1
        while len(text) < LONG_WORDS:
            text += messages[j % len(messages)].split()
            j += 1
        queries.append(" ".join(text[:LONG_WORDS]))
    return queries


def percentiles(seconds: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles([s * 1000 for s in seconds], n=100, method="inclusive")
    return {
        "n": len(seconds),
        "p50_ms": round(cuts[49], 1),
        "p95_ms": round(cuts[94], 1),
        "p99_ms": round(cuts[98], 1),
        "mean_ms": round(1000 * statistics.fmean(seconds), 1),
        "max_ms": round(1000 * max(seconds), 1),
    }


def time_each(function: Any, queries: list[str]) -> list[float]:
    times = []
    for query in queries:
        started = time.perf_counter()
        function(query)
        times.append(time.perf_counter() - started)
    return times


def measure_latency(short: list[str], long: list[str]) -> dict[str, Any]:
    from askwell.search.embeddings import get_embedder
    from askwell.search.engine import query_passage, search

    search("warm up: what are the symptoms of diabetes?", limit=10)
    result: dict[str, Any] = {
        "search_short": percentiles(time_each(lambda q: search(q, limit=10), short)),
        "search_long": percentiles(time_each(lambda q: search(q, limit=10), long)),
    }
    embedder = get_embedder()
    if embedder is not None:
        # What the engine embeds of each query (a long one is cut to its questions).
        def embed(q: str) -> object:
            return embedder.embed([query_passage(q)])

        result["embed_query_short"] = percentiles(time_each(embed, short))
        result["embed_query_long"] = percentiles(time_each(embed, long))
    return result


def measure_batch(queries: list[str], data_dir: Path) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        many, one = Path(tmp) / "queries.jsonl", Path(tmp) / "one.jsonl"
        lines = [json.dumps({"id": i, "query": q}) for i, q in enumerate(queries)]
        many.write_text("\n".join(lines) + "\n")
        one.write_text(lines[0] + "\n")
        one_seconds, _ = run_askwell(
            ["search", "--batch", str(one), "--json"], data_dir
        )
        all_seconds, output = run_askwell(
            ["search", "--batch", str(many), "--json"], data_dir
        )
    answered = sum(1 for line in output.splitlines() if line.startswith("{"))
    if answered != len(queries):
        sys.exit(
            f"askwell search --batch answered {answered} of {len(queries)} queries"
        )
    return {
        "queries": len(queries),
        "wall_s": round(all_seconds, 2),
        "one_query_wall_s": round(one_seconds, 2),
        "queries_per_s_including_load": round(len(queries) / all_seconds, 1),
        "queries_per_s_excluding_load": round(
            (len(queries) - 1) / max(all_seconds - one_seconds, 1e-9), 1
        ),
    }


def measure_embeddings(data_dir: Path) -> dict[str, Any]:
    """Time `askwell reindex --embeddings-only` on a copy with every vector cleared."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / DB_NAME
        source = sqlite3.connect(f"file:{data_dir / DB_NAME}?mode=ro", uri=True)
        target = sqlite3.connect(copy)
        with source, target:
            source.backup(target)
            target.executescript(
                "UPDATE search_searchdocument SET embedding=NULL, embedded_text_hash='';"
                "DELETE FROM search_questionvector;"
            )
        source.close()
        target.close()
        seconds, _ = run_askwell(["reindex", "--embeddings-only"], Path(tmp))
        check = sqlite3.connect(copy)
        documents, embedded = check.execute(
            "SELECT count(*), count(embedding) FROM search_searchdocument"
        ).fetchone()
        (titles,) = check.execute(
            "SELECT count(*) FROM search_questionvector"
        ).fetchone()
        check.close()
    if embedded != documents:
        sys.exit(f"reindex --embeddings-only left {documents - embedded} documents")
    return {
        "answer_passages": documents,
        "question_titles": titles,
        "wall_s": round(seconds, 1),
        "vectors_per_s": round((documents + titles) / seconds, 1),
    }


def _status(value: float, target: float, *, at_least: bool = False) -> str:
    ok = value >= target if at_least else value <= target
    return f"{'ok' if ok else 'MISSES'} (target {'≥' if at_least else '≤'} {target})"


def print_report(results: dict[str, Any]) -> None:
    print()
    print("Search speed, full MedQuAD on SQLite")
    print(machine_line(results["machine"]))
    print(f"search documents: {results['documents']:,}")
    print()
    print(
        f"{'warm in-process latency (ms)':<34}{'n':>5}{'p50':>8}{'p95':>8}{'p99':>8}{'mean':>8}{'max':>8}"
    )
    for key, label in (
        ("search_short", "search, short queries"),
        ("search_long", "search, 100-word queries"),
        ("embed_query_short", "  of which: embed short query"),
        ("embed_query_long", "  of which: embed long query"),
    ):
        if key in results["latency"]:
            r = results["latency"][key]
            print(
                f"{label:<34}{r['n']:>5}{r['p50_ms']:>8.1f}{r['p95_ms']:>8.1f}"
                f"{r['p99_ms']:>8.1f}{r['mean_ms']:>8.1f}{r['max_ms']:>8.1f}"
            )
    for key in ("search_short", "search_long"):
        r = results["latency"][key]
        print(
            f"  {key}: p50 {_status(r['p50_ms'], TARGETS['p50_ms'])}, "
            f"p95 {_status(r['p95_ms'], TARGETS['p95_ms'])}"
        )
    if "batch" in results:
        b = results["batch"]
        print()
        print(
            f"askwell search --batch, {b['queries']} LiveQA questions: {b['wall_s']} s "
            f"({b['queries_per_s_including_load']} queries/s with the model load); "
            f"a 1-query run takes {b['one_query_wall_s']} s, so "
            f"{b['queries_per_s_excluding_load']} queries/s without it, "
            + _status(
                b["queries_per_s_excluding_load"],
                TARGETS["batch_queries_per_s"],
                at_least=True,
            )
        )
    if "embeddings" in results:
        e = results["embeddings"]
        print()
        print(
            f"all MedQuAD embeddings ({e['answer_passages']:,} answer passages + "
            f"{e['question_titles']:,} question titles): {e['wall_s']} s, "
            f"{e['vectors_per_s']} vectors/s, "
            + _status(e["wall_s"], TARGETS["embed_all_s"])
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--skip-batch", action="store_true")
    parser.add_argument(
        "--skip-embeddings",
        action="store_true",
        help="skip timing all embeddings (the slowest step)",
    )
    args = parser.parse_args()
    paths = require_shared_data("medquad.tar.gz", "mqp.csv", *LIVEQA_FILES)
    data_dir = args.data_dir.resolve()
    prepare_data_dir(data_dir, paths["medquad.tar.gz"], reuse=True)
    setup_django(data_dir)
    from askwell.search.models import SearchDocument

    questions = load_liveqa([paths[name] for name in LIVEQA_FILES])
    mqp_questions = [row["question_1"] for row in read_mqp(paths["mqp.csv"])]
    short = short_queries([q.subject or q.message for q in questions], mqp_questions)
    long = long_queries([q.message for q in questions if q.message])

    results: dict[str, Any] = {
        "machine": machine(),
        "documents": SearchDocument.objects.count(),
        "targets": TARGETS,
    }
    print(f"Timing {len(short)} short and {len(long)} long searches...")
    results["latency"] = measure_latency(short, long)
    if not args.skip_batch:
        print(f"Timing askwell search --batch on {BATCH_QUERIES} queries...")
        results["batch"] = measure_batch(
            [q.query for q in questions][:BATCH_QUERIES], data_dir
        )
    if not args.skip_embeddings:
        print("Timing askwell reindex --embeddings-only on a cleared copy...")
        results["embeddings"] = measure_embeddings(data_dir)
    results["machine_after"] = machine()["load_average"]
    print_report(results)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / "search_speed.json"
    path.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nWrote {path}")


if __name__ == "__main__":
    main()
