"""Step 2: training examples from MedQuAD and LiveQA (seeded, deterministic).

    python training/pairs.py --liveqa 1 2 --seed 0 --out work/pairs/both.jsonl

Each example is (anchor, positive, optional hard negative) for a
multiple-negatives ranking loss: the positive must score above every other
positive of the batch and above the hard negatives. Kinds:

- ``qa``   a MedQuAD question (one of its sources' wordings) -> the opening of
           one of its answers (the first 48 words, as the engine's passage
           holds them); hard negative: an answer of the same topic to a
           question of another type ("symptoms of X" vs "treatment of X").
- ``para`` the same question in two sources' wordings, or with the topic's
           name replaced by one of its other names (MedQuAD FocusAnnotations
           synonyms: "heart attack" / "myocardial infarction") -> the
           original title; hard negative: the title of another type's
           question of the same topic. This is what pair similarity needs: a
           question near its rewordings, and away from other questions that
           share its words.
- ``live`` a LiveQA consumer question (SUBJECT + MESSAGE) of the chosen
           training file(s) -> (a) the passage of each MedQuAD answer that
           answers it (token-overlap F1 >= 0.5 with a reference answer, the
           evaluation's own hit rule, at most 3), (b) the opening of each of
           its reference answers, (c) the title of MedQuAD questions on its
           annotated focus with its annotated type (TYPE_MAP, at most 2).

mqp.csv is never read here. Every example lists the MedQuAD questions it
touches (``keys``), so that one batch never holds two examples of the same
question (their positives would count as each other's negatives).
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections import Counter, defaultdict
from pathlib import Path

from tools import TRAINING, WORK, askwell_constant, read_jsonl, write_jsonl

CORPUS = WORK / "corpus"
HIT_F1 = 0.5
MAX_LIVE_HITS = 3
MAX_LIVE_TYPED = 2
MAX_SYNONYM_PAIRS_PER_QUESTION = 2


def opening(text: str, words: int) -> str:
    return " ".join(text.split()[:words])


def usable_name(name: str, topic: str) -> bool:
    """Other names worth substituting: not MedlinePlus's "Topic - aspect" index
    entries, not longer than a phrase, not the topic itself."""
    return (
        " - " not in name
        and 2 < len(name) <= 60
        and name.casefold() != topic.casefold()
        and not re.search(r"[\[\]();]", name)
    )


def substitute(title: str, topic: str, name: str) -> str | None:
    """The title with the topic's name replaced by another name, or None if
    the title does not contain the name as written."""
    pattern = re.compile(r"(?<!\w)" + re.escape(topic) + r"(?!\w)", re.IGNORECASE)
    if not pattern.search(title):
        return None
    return pattern.sub(lambda _: name, title, count=1)


def medquad_examples(
    questions: list[dict],
    rng: random.Random,
    *,
    qa: bool,
    para: bool,
    qa_positive: str = "opening",
    para_answered_only: bool = False,
) -> list[dict]:
    words = askwell_constant("askwell/search/indexing.py", "PASSAGE_WORDS")
    by_topic: dict[str, list[dict]] = defaultdict(list)
    for q in questions:
        by_topic[q["topic_key"]].append(q)
    examples = []
    for q in questions:
        others = [o for o in by_topic[q["topic_key"]] if o["qtype"] != q["qtype"]]
        answered_others = [o for o in others if o["answers"]]
        if qa:
            for answer in q["answers"]:
                text = "passage" if qa_positive == "passage" else None
                example = {
                    "kind": "qa",
                    "anchor": rng.choice(q["titles"]),
                    "positive": answer[text]
                    if text
                    else opening(answer["text"], words),
                    "keys": [q["key"]],
                }
                if answered_others:
                    other = rng.choice(answered_others)
                    negative = rng.choice(other["answers"])
                    example["negative"] = (
                        negative[text] if text else opening(negative["text"], words)
                    )
                    example["keys"].append(other["key"])
                examples.append(example)
        if para and (q["answers"] or not para_answered_only):
            anchors = [t for t in q["titles"] if t != q["title"]]
            names = [n for n in q["other_names"] if usable_name(n, q["topic"])]
            rng.shuffle(names)
            for name in names[:MAX_SYNONYM_PAIRS_PER_QUESTION]:
                swapped = substitute(rng.choice(q["titles"]), q["topic"], name)
                if swapped:
                    anchors.append(swapped)
            for anchor in anchors:
                example = {
                    "kind": "para",
                    "anchor": anchor,
                    "positive": q["title"],
                    "keys": [q["key"]],
                }
                if others:
                    other = rng.choice(others)
                    example["negative"] = other["title"]
                    example["keys"].append(other["key"])
                examples.append(example)
    return examples


def liveqa_examples(
    questions: list[dict], files: list[int], rng: random.Random
) -> list[dict]:
    import numpy as np
    from evaluate import Data  # the same corpus order and F1 as the evaluation

    data = Data()
    words = askwell_constant("askwell/search/indexing.py", "PASSAGE_WORDS")
    answered = [q for q in questions if q["answers"]]
    answer_question = [q for q in answered for _ in q["answers"]]
    by_topic: dict[str, list[dict]] = defaultdict(list)
    for q in answered:
        by_topic[q["topic_key"]].append(q)
    names: dict[str, set[str]] = defaultdict(set)
    for q in answered:
        for name in [q["topic"], *q["other_names"]]:
            names[_normal(name)].add(q["topic_key"])
    examples = []
    for row, live in enumerate(data.liveqa):
        if live["file"] not in files:
            continue
        query = live["query"]
        # (a) the corpus answers that are hits by the evaluation's rule
        hits = np.argsort(-data.f1[row], kind="stable")[:MAX_LIVE_HITS]
        for column in hits:
            if data.f1[row, column] < HIT_F1:
                break
            q = answer_question[column]
            example = {
                "kind": "live",
                "anchor": query,
                "positive": data.passages[column],
                "keys": [q["key"]],
                "live_id": live["id"],
            }
            _add_negative(example, q, by_topic, rng, words)
            examples.append(example)
        for sub in live["subs"]:
            # (b) the reference answers themselves
            for reference in sub["answers"]:
                examples.append(
                    {
                        "kind": "live",
                        "anchor": query,
                        "positive": opening(reference, words),
                        "keys": [],
                        "live_id": live["id"],
                    }
                )
            # (c) questions on the annotated focus with the annotated type
            if not sub["qtype"]:
                continue
            topics = set().union(*(names.get(_normal(f), set()) for f in sub["foci"]))
            typed = [
                q
                for t in sorted(topics)
                for q in by_topic[t]
                if q["qtype"] == sub["qtype"]
            ]
            rng.shuffle(typed)
            for q in typed[:MAX_LIVE_TYPED]:
                example = {
                    "kind": "live",
                    "anchor": query,
                    "positive": q["title"],
                    "keys": [q["key"]],
                    "live_id": live["id"],
                }
                others = [
                    o for o in by_topic[q["topic_key"]] if o["qtype"] != q["qtype"]
                ]
                if others:
                    other = rng.choice(others)
                    example["negative"] = other["title"]
                    example["keys"].append(other["key"])
                examples.append(example)
    return examples


def _add_negative(
    example: dict, q: dict, by_topic: dict, rng: random.Random, words: int
) -> None:
    others = [o for o in by_topic[q["topic_key"]] if o["qtype"] != q["qtype"]]
    if others:
        other = rng.choice(others)
        answer = rng.choice(other["answers"])
        example["negative"] = f"{other['title']} {opening(answer['text'], words)}"
        example["keys"].append(other["key"])


def _normal(name: str) -> str:
    return " ".join(
        re.sub(r"[\W_]+", " ", re.sub(r"['’`]", "", name.casefold())).split()
    )


def build(
    liveqa_files: list[int],
    seed: int,
    *,
    qa: bool = True,
    para: bool = True,
    qa_positive: str = "opening",
    para_answered_only: bool = False,
    max_qa: int = 0,
    max_para: int = 0,
) -> list[dict]:
    """The examples, in a fixed order; max_qa / max_para keep a seeded sample."""
    rng = random.Random(seed)
    questions = list(read_jsonl(CORPUS / "medquad.jsonl"))
    examples = medquad_examples(
        questions,
        rng,
        qa=qa,
        para=para,
        qa_positive=qa_positive,
        para_answered_only=para_answered_only,
    )
    for kind, limit in (("qa", max_qa), ("para", max_para)):
        of_kind = [e for e in examples if e["kind"] == kind]
        if limit and limit < len(of_kind):
            keep = {id(e) for e in random.Random(seed).sample(of_kind, limit)}
            examples = [e for e in examples if e["kind"] != kind or id(e) in keep]
    if liveqa_files:
        examples += liveqa_examples(questions, liveqa_files, rng)
    return examples


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--liveqa", type=int, nargs="*", default=[], choices=[1, 2])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-qa", action="store_true")
    parser.add_argument("--no-para", action="store_true")
    parser.add_argument(
        "--qa-positive", choices=["opening", "passage"], default="opening"
    )
    parser.add_argument("--para-answered-only", action="store_true")
    parser.add_argument(
        "--max-qa", type=int, default=0, help="keep a seeded sample of N"
    )
    parser.add_argument(
        "--max-para", type=int, default=0, help="keep a seeded sample of N"
    )
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    examples = build(
        args.liveqa,
        args.seed,
        qa=not args.no_qa,
        para=not args.no_para,
        qa_positive=args.qa_positive,
        para_answered_only=args.para_answered_only,
        max_qa=args.max_qa,
        max_para=args.max_para,
    )
    out = args.out if args.out.is_absolute() else TRAINING / args.out
    write_jsonl(out, examples)
    meta = {
        "liveqa_files": sorted(args.liveqa),
        "seed": args.seed,
        "qa": not args.no_qa,
        "para": not args.no_para,
        "qa_positive": args.qa_positive,
        "para_answered_only": args.para_answered_only,
        "max_qa": args.max_qa,
        "max_para": args.max_para,
    }
    out.with_suffix(".meta.json").write_text(json.dumps(meta) + "\n")
    kinds = Counter(e["kind"] for e in examples)
    negatives = sum(1 for e in examples if "negative" in e)
    print(
        f"{out}: {len(examples)} examples {dict(kinds)}, {negatives} with a hard negative"
    )


if __name__ == "__main__":
    main()
