"""Benchmark: search quality on the development sets (issue 4, section 3).

    .venv/bin/python bench/search_quality.py [--data-dir DIR] [--reuse] [--skip-mqp] [--tag NAME]

Imports MedQuAD into its own SQLite data dir (default bench/.cache/quality/;
`--reuse` keeps a finished import there), then measures in-process:

- LiveQA (TREC 2017 medical training questions, 430): for SUBJECT + MESSAGE,
  search(limit=10); a retrieved answer is a hit when its token-overlap F1
  (SQuAD-style, bag of lowercase alphanumeric words) with any reference answer
  of the question is >= 0.5. Top-1 and top-5 hit rates and MRR@10, over all
  questions and over the "answerable" ones (some MedQuAD answer reaches F1 >= 0.5
  with a reference: the ceiling; computed by brute force and cached in the
  data dir).
- Focus detection against the sub-questions' FOCUS annotations (top 1, top 3).
- Type detection against the TYPE annotations mapped to MedQuAD types (top 1, 2).
- mqp.csv: ROC-AUC and best-threshold accuracy of engine.similarity, and of the
  plain MiniLM cosine for comparison.

Search weights come from ASKWELL_SEARCH_WEIGHTS (JSON) as in production, so
`ASKWELL_SEARCH_WEIGHTS='{"focus": 0.8}' ... --reuse --skip-mqp --tag focus08`
tries a setting without touching the default results. Results go to
bench/results/search_quality[-TAG].json, per-question details (for error
analysis) to bench/results/search_quality[-TAG]_details.jsonl.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np
from common import (
    DB_NAME,
    DEFAULT_DATA_DIR,
    LIVEQA_FILES,
    RESULTS_DIR,
    LiveQuestion,
    load_liveqa,
    machine,
    machine_line,
    prepare_data_dir,
    read_mqp,
    require_shared_data,
    run_askwell,
    setup_django,
    words,
)
from evaluation import (
    MQP_HALVES,
    RRFBaseline,
    auc_interval,
    bootstrap_mean,
    paired_auc_difference,
    paired_bootstrap,
)

SEARCH_LIMIT = 10
HIT_F1 = 0.5
ANSWERABLE_CACHE = "answerable.json"

# LiveQA TYPE annotations -> MedQuAD question types; None: no counterpart (unmapped).
TYPE_MAP: dict[str, str | None] = {
    "treatment": "treatment",
    "cause": "causes",
    "information": "information",
    "prognosis": "outlook",
    "diagnosis": "exams and tests",
    "diagnose_me": "exams and tests",
    "susceptibility": "susceptibility",
    "symptom": "symptoms",
    "inheritance": "inheritance",
    "complication": "complications",
    "side effects": "side effects",
    "prevention": "prevention",
    "usage": "usage",
    "indication": "indication",
    "contraindication": "contraindication",
    "dosage": "dose",
    "interaction": "interactions with medications",
    "storage and disposal": "storage and disposal",
    "genetic changes": "genetic changes",
    "tapering": "usage",
    "organization": "support groups",
    "resources": "support groups",
    "association": None,
    "ingredient": None,
    "other": None,
}


# --- token-overlap F1 ---------------------------------------------------------------


def f1(candidate: Counter[str], reference: Counter[str]) -> float:
    """SQuAD-style F1 of two bags of words: 2·common / (|candidate| + |reference|)."""
    common = sum((candidate & reference).values())
    if not common:
        return 0.0
    return 2.0 * common / (candidate.total() + reference.total())


def best_f1(text: str, references: list[Counter[str]]) -> float:
    bag = Counter(words(text))
    return max((f1(bag, r) for r in references), default=0.0)


def answer_texts() -> dict[int, str]:
    """Plain text of every published answer, by answer id."""
    from askwell.lib.markdown import html_to_text
    from askwell.questions.models import Answer

    return {
        pk: html_to_text(body_html)
        for pk, body_html in Answer.objects.published().values_list("pk", "body_html")
    }


def compute_answerable(
    questions: list[LiveQuestion], texts: dict[int, str]
) -> dict[str, list[list[float]]]:
    """For each LiveQA question, the published answers with F1 >= 0.5 against one
    of its references: {question id: [[answer id, F1], ...] best first}.

    Brute force over all answers x all references as count vectors over the
    references' vocabulary (other words never count as common). F1 is
    2·common/(la + lr), so it can reach 0.5 only when la <= 3·lr and
    lr <= 3·la: other pairs are skipped.
    """
    refs = [(q.id, Counter(words(r))) for q in questions for r in q.references]
    vocabulary = {w: i for i, w in enumerate({w for _, bag in refs for w in bag})}
    counts = np.zeros((len(refs), len(vocabulary)), dtype=np.float32)
    for row, (_, bag) in enumerate(refs):
        for word, n in bag.items():
            counts[row, vocabulary[word]] = n
    ref_lengths = np.array([bag.total() for _, bag in refs], dtype=np.float32)
    found: dict[str, dict[int, float]] = defaultdict(dict)
    for answer_id, text in texts.items():
        bag = Counter(words(text))
        length = bag.total()
        rows = np.nonzero((length <= 3 * ref_lengths) & (ref_lengths <= 3 * length))[0]
        shared = [(vocabulary[w], n) for w, n in bag.items() if w in vocabulary]
        if not len(rows) or not shared:
            continue
        columns = np.array([c for c, _ in shared])
        mine = np.array([n for _, n in shared], dtype=np.float32)
        common = np.minimum(counts[np.ix_(rows, columns)], mine).sum(axis=1)
        scores = 2 * common / (length + ref_lengths[rows])
        for position in np.nonzero(scores >= HIT_F1)[0]:
            qid, score = refs[rows[position]][0], float(scores[position])
            found[qid][answer_id] = max(found[qid].get(answer_id, 0.0), score)
    return {
        qid: sorted(([a, round(s, 4)] for a, s in matches.items()), key=lambda x: -x[1])
        for qid, matches in found.items()
    }


def load_answerable(
    data_dir: Path, questions: list[LiveQuestion], paths: list[Path]
) -> dict[str, list[list[float]]]:
    """compute_answerable, cached in the data dir for this import and these files."""
    from askwell.questions.models import Answer

    published = Answer.objects.published()
    fingerprint = hashlib.sha256(
        json.dumps(
            [
                published.count(),
                sorted(published.values_list("pk", flat=True))[-1:],
                [hashlib.sha256(p.read_bytes()).hexdigest() for p in paths],
                HIT_F1,
            ]
        ).encode()
    ).hexdigest()
    cache = data_dir / ANSWERABLE_CACHE
    if cache.is_file():
        stored = json.loads(cache.read_text())
        if stored.get("fingerprint") == fingerprint:
            return stored["matches"]
    print("Finding the answerable LiveQA questions (brute force, once)...")
    started = time.perf_counter()
    matches = compute_answerable(questions, answer_texts())
    print(f"  done in {time.perf_counter() - started:.0f} s")
    cache.write_text(json.dumps({"fingerprint": fingerprint, "matches": matches}))
    return matches


# --- focus and type -----------------------------------------------------------------

_APOSTROPHES = re.compile(r"['’`]")
_NON_WORD = re.compile(r"[\W_]+")


def normalize(name: str) -> str:
    """Casefold, drop apostrophes ("Raynaud's" = "Raynauds"), other punctuation to spaces."""
    return " ".join(_NON_WORD.sub(" ", _APOSTROPHES.sub("", name.casefold())).split())


def _contains(longer: str, shorter: str) -> bool:
    # Substring containment ("parkinson" in "parkinsons disease"), but a short name
    # ("ms", "ra") only as a whole word, so that it does not match inside words.
    if len(shorter) >= 4:
        return shorter in longer
    return f" {shorter} " in f" {longer} "


def focus_matches(gold: str, names: list[str]) -> bool:
    g = normalize(gold)
    return bool(g) and any(
        n and (n == g or _contains(n, g) or _contains(g, n))
        for n in map(normalize, names)
    )


def map_type(annotation: str) -> str | None:
    return TYPE_MAP.get(" ".join(annotation.casefold().split()))


# --- LiveQA ---------------------------------------------------------------------------


def on_target(
    fact: dict[str, Any] | None,
    subs: list[dict[str, Any]],
    topics: dict[int, list[str]],
) -> bool:
    """Whether an answer is about what one sub-question asks: its question's
    topic matches that sub-question's annotated focus and its question type
    the annotated type (mapped to MedQuAD's). A proxy for an assessor's
    "correct" that, unlike the F1 hit, does not need the reference answer's
    source to be in MedQuAD."""
    if fact is None:
        return False
    names = [topics[t] for t in fact["topics"] if t in topics]
    return any(
        s["type_mapped"] == fact["type"]
        and any(focus_matches(f, n) for f in s["focus"] for n in names)
        for s in subs
    )


def evaluate_liveqa(
    questions: list[LiveQuestion],
    answerable: dict[str, list[list[float]]],
    baseline: RRFBaseline | None = None,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    from askwell.questions.models import Answer
    from askwell.search import search
    from askwell.topics.models import Topic

    topics = {
        pk: [name, *(other or [])]
        for pk, name, other in Topic.objects.values_list("pk", "name", "other_names")
    }
    topic_names = {pk: names[0] for pk, names in topics.items()}
    names_index: set[str] = {normalize(n) for names in topics.values() for n in names}
    # Topics and types of the answers that would be hits, for the miss categories.
    target_ids = {int(a) for matches in answerable.values() for a, _ in matches}
    targets = _answer_facts(Answer.objects.filter(pk__in=target_ids))

    search(questions[0].query, limit=SEARCH_LIMIT)  # load the model and indexes
    baseline_vectors = (
        baseline.query_vectors([q.query for q in questions]) if baseline else None
    )
    details = []
    latencies = []
    for number, question in enumerate(questions):
        references = [Counter(words(r)) for r in question.references]
        started = time.perf_counter()
        results = search(question.query, limit=SEARCH_LIMIT)
        latencies.append(time.perf_counter() - started)
        hits = results.hits
        facts = _answer_facts(Answer.objects.filter(pk__in=[h.answer.pk for h in hits]))
        f1s = [best_f1(_plain(h.answer), references) for h in hits]
        first_hit = next((i + 1 for i, s in enumerate(f1s) if s >= HIT_F1), None)
        u = results.understanding
        predicted_focus = [m.name for m in u.focus[:3]]
        focus_names = [topics.get(m.topic_id, [m.name]) for m in u.focus[:3]]
        matches = answerable.get(question.id, [])
        subs = []
        for sub in question.subs:
            gold_type = map_type(sub.type)
            subs.append(
                {
                    "focus": sub.foci,
                    "focus_in_medquad": any(
                        normalize(f) in names_index for f in sub.foci
                    ),
                    "focus_top1": bool(focus_names)
                    and any(focus_matches(f, focus_names[0]) for f in sub.foci),
                    "focus_top3": any(
                        focus_matches(f, names)
                        for f in sub.foci
                        for names in focus_names
                    ),
                    "type": sub.type,
                    "type_mapped": gold_type,
                    "type_top1": gold_type is not None and gold_type == u.type,
                    "type_top2": gold_type is not None
                    and gold_type in [t for t, _ in u.types[:2]],
                }
            )
        row = {
            "id": question.id,
            "fold": question.id.split(":", 1)[0],
            "query": question.query,
            "answerable": bool(matches),
            "first_hit_rank": first_hit,
            "on_target_top1": on_target(
                facts.get(hits[0].answer.pk) if hits else None, subs, topics
            ),
            "close_match": results.close_match,
            "close_features": results.close_features,
            "focus_pred": predicted_focus,
            "type_pred": [[t, round(s, 2)] for t, s in u.types[:3]],
            "subs": subs,
            "top": [
                {
                    "question": h.answer.question.title,
                    "external_id": h.answer.external_id,
                    "type": facts[h.answer.pk]["type"],
                    "topics": [topic_names[t] for t in facts[h.answer.pk]["topics"]],
                    "f1": round(s, 3),
                    "score": round(h.score, 4),
                }
                for h, s in zip(hits[:3], f1s[:3], strict=True)
            ],
            "best_possible": [
                {
                    "question": targets[int(a)]["title"],
                    "external_id": targets[int(a)]["external_id"],
                    "type": targets[int(a)]["type"],
                    "topics": [topic_names[t] for t in targets[int(a)]["topics"]],
                    "f1": s,
                }
                for a, s in matches[:3]
            ],
            "ms": round(latencies[-1] * 1000, 1),
        }
        if first_hit != 1:
            row["miss"] = _miss_category(
                row, hits[0] if hits else None, facts, targets, matches
            )
        if baseline is not None and baseline_vectors is not None:
            row["baseline"] = _baseline_row(
                baseline, question, baseline_vectors[number], references, subs, topics
            )
        details.append(row)
    return _liveqa_summary(details, latencies), details


def _baseline_row(
    baseline: RRFBaseline,
    question: LiveQuestion,
    vector: np.ndarray,
    references: list[Counter[str]],
    subs: list[dict[str, Any]],
    topics: dict[int, list[str]],
) -> dict[str, Any]:
    """The RRF baseline's first hit and on-target top answer for one question."""
    from askwell.questions.models import Answer

    ids = baseline.search(question.query, vector, SEARCH_LIMIT)
    answers = {a.pk: a for a in Answer.objects.filter(pk__in=ids)}
    f1s = [best_f1(_plain(answers[pk]), references) for pk in ids]
    facts = _answer_facts(Answer.objects.filter(pk__in=ids[:1]))
    return {
        "first_hit_rank": next((i + 1 for i, s in enumerate(f1s) if s >= HIT_F1), None),
        "on_target_top1": on_target(facts.get(ids[0]) if ids else None, subs, topics),
    }


def _plain(answer: Any) -> str:
    from askwell.lib.markdown import html_to_text

    return html_to_text(answer.body_html) or answer.body


def _answer_facts(answers: Any) -> dict[int, dict[str, Any]]:
    facts: dict[int, dict[str, Any]] = {}
    for answer in answers.select_related("question").prefetch_related(
        "question__topics"
    ):
        facts[answer.pk] = {
            "title": answer.question.title,
            "external_id": answer.external_id,
            "type": answer.question.question_type,
            "topics": {t.pk for t in answer.question.topics.all()},
        }
    return facts


def _miss_category(
    row: dict[str, Any],
    top: Any,
    facts: dict[int, dict[str, Any]],
    targets: dict[int, dict[str, Any]],
    matches: list[list[float]],
) -> str:
    """Why the top answer is not a hit, in broad strokes (for error analysis)."""
    focus_found = any(s["focus_top3"] for s in row["subs"])
    if not matches:
        if not any(s["focus_in_medquad"] for s in row["subs"]):
            return "unanswerable: focus not a MedQuAD topic"
        return "unanswerable: no MedQuAD answer matches the references"
    if top is None:
        return "answerable: no results"
    got = facts[top.answer.pk]
    wanted = [targets[int(a)] for a, _ in matches]
    if not any(got["topics"] & w["topics"] for w in wanted):
        if focus_found:
            return "answerable: focus detected, top answer about another topic"
        return "answerable: focus not detected, top answer about another topic"
    if got["type"] not in {w["type"] for w in wanted}:
        return "answerable: right topic, wrong question type"
    return "answerable: right topic and type, another document"


def _rate(values: list[bool]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def _liveqa_summary(
    details: list[dict[str, Any]], latencies: list[float]
) -> dict[str, Any]:
    def retrieval(rows: list[dict[str, Any]]) -> dict[str, Any]:
        ranks = [r["first_hit_rank"] for r in rows]
        return {
            "questions": len(rows),
            "top1": _rate([k == 1 for k in ranks]),
            "top5": _rate([k is not None and k <= 5 for k in ranks]),
            "top10": _rate([k is not None for k in ranks]),
            "mrr10": round(sum(1 / k for k in ranks if k) / len(rows), 4)
            if rows
            else None,
        }

    subs = [s for r in details for s in r["subs"]]
    mapped = [s for s in subs if s["type_mapped"]]
    unmapped = Counter(s["type"].casefold() for s in subs if not s["type_mapped"])
    confusion = Counter(
        (s["type_mapped"], r["type_pred"][0][0] if r["type_pred"] else None)
        for r in details
        for s in r["subs"]
        if s["type_mapped"]
    )
    return {
        "all": retrieval(details),
        "answerable": retrieval([r for r in details if r["answerable"]]),
        "focus": {
            "subquestions": len(subs),
            "top1": _rate([s["focus_top1"] for s in subs]),
            "top3": _rate([s["focus_top3"] for s in subs]),
            "none_detected": _rate([not r["focus_pred"] for r in details]),
            "gold_focus_is_a_medquad_topic": _rate(
                [s["focus_in_medquad"] for s in subs]
            ),
        },
        "type": {
            "mapped_subquestions": len(mapped),
            "unmapped_subquestions": sum(unmapped.values()),
            "unmapped_annotations": dict(unmapped.most_common()),
            "top1": _rate([s["type_top1"] for s in mapped]),
            "top2": _rate([s["type_top2"] for s in mapped]),
            "confusion_gold_to_pred": [
                [gold, pred, n] for (gold, pred), n in confusion.most_common(25)
            ],
        },
        "top1_misses": dict(
            Counter(r["miss"] for r in details if "miss" in r).most_common()
        ),
        "search_ms_mean": round(1000 * sum(latencies) / len(latencies), 1),
    }


# --- per fold, beside the baseline ------------------------------------------------


def _per_question(rows: list[dict[str, Any]]) -> dict[str, list[float]]:
    """0/1 or reciprocal-rank values per question, for one system's rows."""
    return {
        "top1": [float(r["first_hit_rank"] == 1) for r in rows],
        "mrr10_answerable": [
            1.0 / r["first_hit_rank"] if r["first_hit_rank"] else 0.0
            for r in rows
            if r["answerable"]
        ],
        "on_target_top1": [float(r["on_target_top1"]) for r in rows],
    }


def fold_report(details: list[dict[str, Any]]) -> dict[str, Any]:
    """Askwell and the RRF baseline on each LiveQA file and on both, with 95 %
    bootstrap intervals and the paired difference (Askwell - baseline)."""
    folds: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in details:
        folds[row["fold"]].append(row)
    folds["all"] = details
    report: dict[str, Any] = {}
    for fold, rows in folds.items():
        mine = _per_question(rows)
        entry: dict[str, Any] = {
            "questions": len(rows),
            "answerable": sum(r["answerable"] for r in rows),
        }
        with_baseline = [r for r in rows if "baseline" in r]
        theirs = (
            _per_question(
                [
                    {**r["baseline"], "answerable": r["answerable"]}
                    for r in with_baseline
                ]
            )
            if len(with_baseline) == len(rows)
            else None
        )
        for measure, values in mine.items():
            entry[measure] = {"askwell": bootstrap_mean(values).as_dict()}
            if theirs is not None:
                entry[measure]["rrf"] = bootstrap_mean(theirs[measure]).as_dict()
                entry[measure]["difference"] = paired_bootstrap(
                    values, theirs[measure]
                ).as_dict()
        subs = [s for r in rows for s in r["subs"]]
        mapped = [s for s in subs if s["type_mapped"]]
        entry["focus_top1"] = bootstrap_mean(
            [float(s["focus_top1"]) for s in subs]
        ).as_dict()
        entry["type_top1"] = bootstrap_mean(
            [float(s["type_top1"]) for s in mapped]
        ).as_dict()
        judged = [r for r in rows if r["close_match"] is not None]
        if judged:
            close = [r for r in judged if r["close_match"]]
            entry["close_match"] = {
                "coverage": round(len(close) / len(judged), 4),
                "precision_on_target": bootstrap_mean(
                    [float(r["on_target_top1"]) for r in close]
                ).as_dict()
                if close
                else None,
                "precision_f1_hit": bootstrap_mean(
                    [float(r["first_hit_rank"] == 1) for r in close]
                ).as_dict()
                if close
                else None,
                "on_target_when_not_close": _rate(
                    [r["on_target_top1"] for r in judged if not r["close_match"]]
                ),
            }
        report[fold] = entry
    return report


# --- mqp.csv --------------------------------------------------------------------------


def roc_auc(scores: list[float], labels: list[int]) -> float:
    """ROC-AUC by the rank-sum (Mann-Whitney) formula; ties get their average rank."""
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    ranks = [0.0] * len(scores)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and scores[order[j + 1]] == scores[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    positives = sum(labels)
    negatives = len(labels) - positives
    rank_sum = sum(r for r, y in zip(ranks, labels, strict=True) if y)
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def best_threshold(scores: list[float], labels: list[int]) -> tuple[float, float]:
    """(accuracy, threshold) of the best rule "similar when score >= threshold"."""
    pairs = sorted(zip(scores, labels, strict=True), reverse=True)
    negatives = len(labels) - sum(labels)
    best = (negatives / len(labels), float("inf"))  # nothing predicted similar
    true_pos = false_pos = 0
    for i, (score, label) in enumerate(pairs):
        true_pos += label
        false_pos += 1 - label
        if i + 1 < len(pairs) and pairs[i + 1][0] == score:
            continue  # a threshold takes all equal scores at once
        accuracy = (true_pos + negatives - false_pos) / len(labels)
        if accuracy > best[0]:
            best = (accuracy, score)
    return best


def evaluate_mqp(path: Path) -> dict[str, Any]:
    from askwell.search import similarity
    from askwell.search.embeddings import get_embedder

    rows = read_mqp(path)
    labels = [int(r["label"]) for r in rows]
    started = time.perf_counter()
    scores = [similarity(r["question_1"], r["question_2"]) for r in rows]
    seconds = time.perf_counter() - started
    result: dict[str, Any] = {
        "pairs": len(rows),
        "positives": sum(labels),
        "similarity": _pair_metrics(scores, labels),
        "similarity_ms_per_pair": round(1000 * seconds / len(rows), 1),
    }
    embedder = get_embedder()
    cosines: list[float] | None = None
    if embedder is not None:
        first = embedder.embed([r["question_1"] for r in rows])
        second = embedder.embed([r["question_2"] for r in rows])
        cosines = [float(c) for c in np.sum(first * second, axis=1)]
        result["minilm_cosine"] = _pair_metrics(cosines, labels)
    result["halves"] = {}
    for half, doctors in MQP_HALVES.items():
        rows_in = [i for i, r in enumerate(rows) if r["dr_id"].strip() in doctors]
        y = [labels[i] for i in rows_in]
        mine = [scores[i] for i in rows_in]
        entry: dict[str, Any] = {
            "pairs": len(rows_in),
            "similarity_auc": auc_interval(mine, y).as_dict(),
        }
        if cosines is not None:
            base = [cosines[i] for i in rows_in]
            entry["cosine_auc"] = auc_interval(base, y).as_dict()
            entry["difference"] = paired_auc_difference(mine, base, y).as_dict()
        result["halves"][half] = entry
    return result


def _pair_metrics(scores: list[float], labels: list[int]) -> dict[str, float]:
    accuracy, threshold = best_threshold(scores, labels)
    return {
        "roc_auc": round(roc_auc(scores, labels), 4),
        "best_accuracy": round(accuracy, 4),
        "threshold": round(threshold, 4),
    }


# --- report ---------------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "   n/a" if value is None else f"{100 * value:5.1f}%"


def print_report(results: dict[str, Any]) -> None:
    live = results["liveqa"]
    print()
    print("Search quality on the development sets")
    print(machine_line(results["machine"]))
    print(f"weights: {json.dumps(results['weights'])}")
    imp = results["import"]
    if "import_seconds" in imp:
        print(
            f"MedQuAD import: {imp['import_seconds']:.0f} s including embeddings "
            f"(migrate {imp['migrate_seconds']:.0f} s), on {imp['date']}"
        )
    else:
        print(f"MedQuAD import of {imp['date']}: {imp.get('note', 'not timed')}")
    print()
    print(
        f"{'LiveQA retrieval (limit 10)':<40}{'n':>5}{'top-1':>8}{'top-5':>8}{'top-10':>8}{'MRR@10':>8}"
    )
    for label, key in (
        ("all questions", "all"),
        ("answerable (ceiling 100%)", "answerable"),
    ):
        r = live[key]
        print(
            f"  {label:<38}{r['questions']:>5}{_pct(r['top1']):>8}{_pct(r['top5']):>8}"
            f"{_pct(r['top10']):>8}{r['mrr10'] or 0:>8.3f}"
        )
    share = live["answerable"]["questions"] / live["all"]["questions"]
    print(f"  answerable share of all questions: {_pct(share)}")
    print(f"  mean search time: {live['search_ms_mean']} ms per LiveQA question")
    focus, qtype = live["focus"], live["type"]
    print()
    print(f"{'Understanding (per sub-question)':<40}{'n':>5}{'top-1':>8}{'top-k':>8}")
    print(
        f"  {'focus (k = 3)':<38}{focus['subquestions']:>5}{_pct(focus['top1']):>8}{_pct(focus['top3']):>8}"
    )
    print(
        f"  {'type (k = 2), mapped annotations':<38}{qtype['mapped_subquestions']:>5}{_pct(qtype['top1']):>8}{_pct(qtype['top2']):>8}"
    )
    print(
        f"  no focus detected: {_pct(focus['none_detected'])} of questions; "
        f"gold focus is a MedQuAD topic name: {_pct(focus['gold_focus_is_a_medquad_topic'])}; "
        f"unmapped types: {qtype['unmapped_subquestions']}"
    )
    print_folds(live["folds"])
    print()
    print("Top-1 misses by category:")
    for category, n in live["top1_misses"].items():
        print(f"  {n:>4}  {category}")
    if "mqp" in results:
        print_mqp(results["mqp"])


def print_mqp(mqp: dict[str, Any]) -> None:
    print()
    print(
        f"mqp.csv question pairs ({mqp['pairs']}, {mqp['positives']} similar){'ROC-AUC':>12}{'accuracy':>10}{'threshold':>11}"
    )
    for label, key in (
        ("askwell similarity", "similarity"),
        ("plain MiniLM cosine", "minilm_cosine"),
    ):
        if key in mqp:
            m = mqp[key]
            print(
                f"  {label:<38}{m['roc_auc']:>12.3f}{_pct(m['best_accuracy']):>10}{m['threshold']:>11.3f}"
            )
    print(f"  similarity: {mqp['similarity_ms_per_pair']} ms per pair")
    for half, entry in mqp.get("halves", {}).items():
        line = (
            f"  {half} ({entry['pairs']} pairs): similarity "
            f"{_estimate(entry['similarity_auc'], False)}"
        )
        if "cosine_auc" in entry:
            line += (
                f", cosine {_estimate(entry['cosine_auc'], False)}, "
                f"diff {_estimate(entry['difference'], False)}"
            )
        print(line)


def _estimate(e: dict[str, float] | None, percent: bool = True) -> str:
    if e is None:
        return "n/a"
    scale, unit = (100, "") if percent else (1, "")
    return (
        f"{scale * e['value']:.1f}{unit} [{scale * e['low']:.1f}, {scale * e['high']:.1f}]"
        if percent
        else f"{e['value']:.3f} [{e['low']:.3f}, {e['high']:.3f}]"
    )


def print_folds(folds: dict[str, Any]) -> None:
    """Per LiveQA file: Askwell, the RRF baseline and their paired difference."""
    print()
    print(
        "Per fold, Askwell vs the RRF baseline (95 % bootstrap intervals; difference paired)"
    )
    labels = {
        "top1": "top-1 F1 hit, %",
        "on_target_top1": "top-1 on target (focus+type), %",
        "mrr10_answerable": "MRR@10, answerable",
    }
    for fold, entry in folds.items():
        print(
            f"  {fold}: {entry['questions']} questions, {entry['answerable']} answerable"
        )
        for key, label in labels.items():
            m = entry[key]
            percent = key != "mrr10_answerable"
            line = f"    {label:<34} askwell {_estimate(m['askwell'], percent):<22}"
            if "rrf" in m:
                line += (
                    f" rrf {_estimate(m['rrf'], percent):<22}"
                    f" diff {_estimate(m['difference'], percent)}"
                )
            print(line)
        print(
            f"    {'focus / type top-1, %':<34} {_estimate(entry['focus_top1'])}"
            f" / {_estimate(entry['type_top1'])}"
        )
        close = entry.get("close_match")
        if close:
            print(
                f"    close match: coverage {100 * close['coverage']:.1f} %, precision "
                f"on target {_estimate(close['precision_on_target'])}, "
                f"F1 hit {_estimate(close['precision_f1_hit'])}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument(
        "--reuse", action="store_true", help="keep a finished import in the data dir"
    )
    parser.add_argument("--skip-mqp", action="store_true", help="skip mqp.csv")
    parser.add_argument(
        "--no-baseline", action="store_true", help="skip the RRF baseline"
    )
    parser.add_argument(
        "--limit", type=int, help="only the first N LiveQA questions (a smoke test)"
    )
    parser.add_argument(
        "--tag", default="", help="suffix of the result files (for experiments)"
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a constant of askwell/search/engine.py for this run (an ablation: "
        "--set NEIGHBOUR_TYPES=0)",
    )
    parser.add_argument(
        "--empty-site",
        type=Path,
        metavar="DIR",
        help="score mqp.csv only, on a site with no content (DIR: a data dir "
        "that is migrated and left empty)",
    )
    args = parser.parse_args()
    paths = require_shared_data("medquad.tar.gz", "mqp.csv", *LIVEQA_FILES)
    if args.empty_site:
        return _empty_site(args.empty_site.resolve(), paths["mqp.csv"], args.set)
    data_dir = args.data_dir.resolve()
    record = prepare_data_dir(data_dir, paths["medquad.tar.gz"], reuse=args.reuse)
    setup_django(data_dir)
    constants = _set_constants(args.set)

    from askwell.search import ranking
    from askwell.search.models import SearchDocument

    pending = SearchDocument.objects.filter(embedding__isnull=True).count()
    if pending:
        print(f"warning: {pending} search documents have no embedding yet")
    liveqa_paths = [paths[name] for name in LIVEQA_FILES]
    questions = load_liveqa(liveqa_paths)
    answerable = load_answerable(data_dir, questions, liveqa_paths)
    questions = questions[: args.limit]
    baseline = None
    if not args.no_baseline:
        print("Building the RRF baseline (BM25 + base MiniLM over titles)...")
        baseline = RRFBaseline(data_dir)
    print(f"Searching {len(questions)} LiveQA questions...")
    liveqa, details = evaluate_liveqa(questions, answerable, baseline)
    liveqa["folds"] = fold_report(details)
    results: dict[str, Any] = {
        "machine": machine(),
        "weights": ranking.weights(),
        "constants": constants,
        "import": record,
        "documents": SearchDocument.objects.count(),
        "documents_without_embedding": pending,
        "liveqa": liveqa,
    }
    if not args.skip_mqp:
        print("Scoring mqp.csv pairs...")
        results["mqp"] = evaluate_mqp(paths["mqp.csv"])
    print_report(results)

    suffix = f"-{args.tag}" if args.tag else ""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    summary_path = RESULTS_DIR / f"search_quality{suffix}.json"
    details_path = RESULTS_DIR / f"search_quality{suffix}_details.jsonl"
    summary_path.write_text(json.dumps(results, indent=2) + "\n")
    with details_path.open("w", encoding="utf-8") as f:
        for row in details:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"\nWrote {summary_path} and {details_path.name}")


def _set_constants(assignments: list[str]) -> dict[str, float]:
    """Apply --set NAME=VALUE to askwell.search.engine; returns what was set."""
    from askwell.search import engine

    changed = {}
    for assignment in assignments:
        name, _, value = assignment.partition("=")
        if not hasattr(engine, name) or not isinstance(getattr(engine, name), float):
            raise SystemExit(
                f"--set {assignment}: engine has no number constant {name}"
            )
        setattr(engine, name, float(value))
        changed[name] = float(value)
    return changed


def _empty_site(data_dir: Path, mqp: Path, assignments: list[str]) -> None:
    """mqp.csv scored by similarity() on a migrated site with no content."""
    if not (data_dir / DB_NAME).exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        run_askwell(["migrate", "-v0"], data_dir)
    setup_django(data_dir)
    from askwell.search.models import SearchDocument

    if SearchDocument.objects.exists():
        raise SystemExit(f"{data_dir} has content: --empty-site needs an empty site")
    _set_constants(assignments)
    print("Scoring mqp.csv pairs on a site with no content...")
    results = {"machine": machine(), "mqp": evaluate_mqp(mqp)}
    print(machine_line(results["machine"]))
    print_mqp(results["mqp"])
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / "search_quality-empty_site.json"
    path.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nWrote {path}")


if __name__ == "__main__":
    sys.exit(main())
