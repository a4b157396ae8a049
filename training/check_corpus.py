"""Check that corpus.py's texts are exactly what a real MedQuAD import indexes.

    python training/check_corpus.py [bench/.cache/quality/askwell.sqlite3]

Reads (read-only) the SQLite database of a benchmark import
(`bench/search_quality.py` makes one, with `askwell import medquad`) and
compares, for every answer, its question title, its plain text and its
passage with training/work/corpus/medquad.jsonl, and the stored passage
vectors with the evaluation's base-model vectors (when both exist).
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

import numpy as np
from tools import ROOT, WORK, askwell_constant, base_int8_model, read_jsonl, sha256


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "db",
        type=Path,
        nargs="?",
        default=ROOT / "bench/.cache/quality/askwell.sqlite3",
    )
    args = parser.parse_args(argv)
    if not args.db.is_file():
        sys.exit(f"{args.db}: no such database (run bench/search_quality.py first)")
    connection = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    stored = {
        external_id: (title, body, embedding)
        for external_id, title, body, embedding in connection.execute(
            "SELECT a.external_id, d.title, d.body, d.embedding"
            " FROM search_searchdocument d JOIN questions_answer a ON a.id = d.answer_id"
        )
    }
    words = askwell_constant("askwell/search/indexing.py", "PASSAGE_WORDS")
    mine = {
        a["id"]: (q["title"], a["text"], a["passage"])
        for q in read_jsonl(WORK / "corpus" / "medquad.jsonl")
        for a in q["answers"]
    }
    problems = []
    if set(stored) != set(mine):
        problems.append(
            f"answers: {len(set(stored) - set(mine))} only in the database, "
            f"{len(set(mine) - set(stored))} only in the corpus"
        )
    differ = {"title": 0, "text": 0, "passage": 0}
    for key in set(stored) & set(mine):
        title, body, _ = stored[key]
        my_title, my_text, my_passage = mine[key]
        differ["title"] += title != my_title
        differ["text"] += body != my_text
        differ["passage"] += my_passage != f"{title} {' '.join(body.split()[:words])}"
    problems += [f"{n} answers' {k} differ" for k, n in differ.items() if n]
    vectors = WORK / "embeddings" / sha256(base_int8_model()) / "passages.npy"
    if vectors.is_file():
        order = list(mine)  # corpus order = the evaluation order
        ours = np.load(vectors)
        cosines = [
            float(ours[i] @ np.frombuffer(stored[k][2], dtype=np.float32))
            for i, k in enumerate(order)
            if k in stored and stored[k][2]
        ]
        print(
            f"passage vectors: {len(cosines)} compared, min cosine {min(cosines):.6f}"
        )
        if min(cosines) < 0.9999:
            problems.append(
                "the evaluation's passage vectors differ from the stored ones"
            )
    print(f"{len(mine)} answers compared with {args.db}")
    for problem in problems:
        print(f"DIFFERENT: {problem}")
    if problems:
        sys.exit(1)
    print("OK: titles, texts and passages are identical")


if __name__ == "__main__":
    main()
