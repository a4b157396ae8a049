"""Grow a PostgreSQL Askwell database to a million questions, for the scale benchmark.

    .venv/bin/python bench/pgserver.py start bench/.cache/pg-scale
    DATABASE_URL=$(.venv/bin/python bench/pgserver.py url bench/.cache/pg-scale) \\
        .venv/bin/python bench/seed_scale.py --questions 1000000

The database must hold a MedQuAD import (`askwell import medquad`, with
embeddings): its answered questions are the pool. Each seeded question copies a
pool question (title, type, topics; the details get one of a few lay
lead-ins written by us) and gets 2-4 answers: the pool question's own answers
first, then answers of other pool questions of the same question type, each
signed by one of 2,000 seeded experts or the MedQuAD organizations. Search
documents are written for every answer (PostgreSQL computes their tsvectors,
as on the site); question vectors, and passage vectors for each question's first answer, are
the pool's vectors plus small Gaussian noise
(sigma 0.01 per dimension, a different draw for each copy of a pool
question) so the HNSW graphs see a million distinct points.
Computing real embeddings for four million texts would take this machine
about seven hours; the noise keeps each vector next to its text's meaning.
The other answers stay "not yet embedded" (`askwell reindex` would embed
them): storing and indexing three million passage vectors would double the
database (about 5 KB per answer) for a benchmark of the same index.

Everything is deterministic (--seed). The lexical GIN and the HNSW indexes are
dropped during the load and rebuilt at the end, as a bulk load should. The
MedQuAD texts stay third-party data (CC BY 4.0): this is a benchmark corpus,
never demo content.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "askwell.settings")
os.environ.setdefault("DEBUG", "True")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from askwell.experts.models import Contributor  # noqa: E402
from askwell.questions.models import Answer, Question  # noqa: E402
from askwell.search.indexing import bump_version  # noqa: E402

SOURCE = "seed"
EXPERTS = 2_000
NOISE = 0.01
NOISE_VECTORS = 4096
LEAD_INS = (
    "",
    "My doctor mentioned this at my last visit and I would like to understand it better.",
    "I am asking for my mother, who was diagnosed last spring.",
    "We read different things online and are confused.",
    "I have had this for a few years and want to know what else I can do.",
    "Our son is twelve; the school nurse suggested we ask.",
    "",
    "I am a caregiver for my husband and want to be prepared.",
)
FIRST = (
    "Amara",
    "Ben",
    "Chiara",
    "Dev",
    "Elena",
    "Farid",
    "Grace",
    "Hiro",
    "Ines",
    "Jon",
)
LAST = (
    "Abbott",
    "Bauer",
    "Chen",
    "Diaz",
    "Eriksen",
    "Fofana",
    "Gupta",
    "Hale",
    "Ito",
    "Jensen",
)
CREDENTIALS = ("MD", "RN", "PharmD", "MD, PhD", "NP", "DO", "RD", "PA-C")
SPECIALTIES = (
    "Neurology",
    "Cardiology",
    "Family medicine",
    "Nursing",
    "Pharmacy",
    "Nutrition",
)


def columns(model: type, overrides: dict[str, str], alias: str) -> tuple[str, str]:
    """The INSERT column list and the SELECT list copying `alias`'s row."""
    names = [f.column for f in model._meta.concrete_fields if f.column != "id"]
    select = [overrides.get(name, f"{alias}.{name}") for name in names]
    return ", ".join(names), ", ".join(select)


def step(message: str) -> float:
    print(f"• {message}", flush=True)
    return time.monotonic()


def sql(statement: str, params: list | None = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def prepare_pool(seed: float) -> tuple[int, int]:
    sql("SELECT setseed(%s)", [seed])
    sql("DROP TABLE IF EXISTS seed_pool_q, seed_pool_a, seed_experts")
    published = "a.status = 'published' AND a.review_state = 'published'"
    sql(
        f"""
        CREATE UNLOGGED TABLE seed_pool_q AS
        SELECT row_number() OVER (ORDER BY q.id) AS n, q.id AS question_id,
               q.question_type,
               array_agg(a.id ORDER BY a.id) AS answer_ids
        FROM questions_question q JOIN questions_answer a ON a.question_id = q.id
        JOIN search_searchdocument d ON d.answer_id = a.id
        WHERE q.source <> '{SOURCE}' AND {published} AND d.embedding_vec IS NOT NULL
        GROUP BY q.id
        """  # noqa: S608 - constants only
    )
    sql(
        f"""
        CREATE UNLOGGED TABLE seed_pool_a AS
        SELECT row_number() OVER (PARTITION BY q.question_type ORDER BY a.id) AS n,
               count(*) OVER (PARTITION BY q.question_type) AS of_type,
               q.question_type, a.id AS answer_id
        FROM questions_answer a JOIN questions_question q ON q.id = a.question_id
        JOIN search_searchdocument d ON d.answer_id = a.id
        WHERE q.source <> '{SOURCE}' AND {published} AND d.embedding_vec IS NOT NULL
        """  # noqa: S608 - constants only
    )
    sql("CREATE INDEX ON seed_pool_a (question_type, n)")
    # Noise vectors to add: a seeded question g is copy g / pool of its pool
    # question, and each copy gets noise of its own, so no two vectors match.
    sql("DROP TABLE IF EXISTS seed_noise")
    sql(
        f"""
        CREATE UNLOGGED TABLE seed_noise AS
        SELECT n, (SELECT array_agg(random_normal(0, {NOISE}))::vector
                   FROM generate_series(1, 384) WHERE n >= 0) AS v
        FROM generate_series(0, {NOISE_VECTORS - 1}) AS n
        """  # noqa: S608 - constants only
    )
    sql("CREATE INDEX ON seed_noise (n)")
    sql("CREATE INDEX ON seed_pool_q (n)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM seed_pool_q")
        pool_q = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM seed_pool_a")
        pool_a = cursor.fetchone()[0]
    if not pool_q:
        sys.exit(
            "no answered questions with vectors: import MedQuAD (with embeddings) first"
        )
    return pool_q, pool_a


def seed_experts() -> None:
    existing = Contributor.objects.filter(source=SOURCE).count()
    people = [
        Contributor(
            kind=Contributor.Kind.PERSON,
            name=f"{FIRST[i % 10]} {LAST[(i // 10) % 10]} {i}",
            slug=f"seed-expert-{i}",
            credentials=CREDENTIALS[i % len(CREDENTIALS)],
            specialty=SPECIALTIES[i % len(SPECIALTIES)],
            bio="A seeded expert of the scale benchmark.",
            is_verified=i % 3 != 0,
            source=SOURCE,
            external_id=f"expert-{i}",
        )
        for i in range(existing, EXPERTS)
    ]
    Contributor.objects.bulk_create(people, batch_size=1000)
    sql("DROP TABLE IF EXISTS seed_experts")
    sql(
        f"""
        CREATE UNLOGGED TABLE seed_experts AS
        SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM experts_contributor
        WHERE source = '{SOURCE}' OR kind = 'organization'
        """  # noqa: S608 - constants only
    )
    sql("CREATE INDEX ON seed_experts (n)")


def drop_search_indexes() -> list[str]:
    """Drop the GIN and HNSW indexes for the load; their definitions are kept
    in a table, so a resumed run rebuilds them too."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS seed_index_definitions (name text PRIMARY KEY, definition text)"
        )
        cursor.execute(
            """
            INSERT INTO seed_index_definitions
            SELECT indexname, indexdef FROM pg_indexes
            WHERE tablename IN ('search_searchdocument', 'search_questionvector')
              AND (indexdef LIKE '%USING gin%' OR indexdef LIKE '%USING hnsw%')
            ON CONFLICT (name) DO NOTHING
            """
        )
        cursor.execute(
            "SELECT name, definition FROM seed_index_definitions ORDER BY name"
        )
        found = cursor.fetchall()
        for name, _ in found:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
    return [definition for _, definition in found]


def seed_batch(first: int, last: int, pool_q: int, experts: int) -> None:
    """Questions first..last (numbers, not ids) with their answers, documents, vectors."""
    lead = (
        "(ARRAY["
        + ", ".join("%s" for _ in LEAD_INS)
        + f"])[mod(g, {len(LEAD_INS)}) + 1]"
    )
    q_cols, q_select = columns(
        Question,
        {
            "slug": "left(q.slug, 180) || '-s' || g",
            "details": lead,
            "details_html": f"CASE WHEN {lead} = '' THEN '' ELSE '<p>' || {lead} || '</p>' END",
            "view_count": "mod(g * 7919, 5000)",
            "source": f"'{SOURCE}'",
            "external_id": "'q' || g",
            "created_at": "now() - (mod(g, 1500) || ' days')::interval",
            "updated_at": "now()",
            "asker_id": "NULL",
            "duplicate_of_id": "NULL",
            "status": "'answered'",
        },
        "q",
    )
    params = list(LEAD_INS) * 3
    sql(
        f"""
        INSERT INTO questions_question ({q_cols})
        SELECT {q_select}
        FROM generate_series(%s::bigint, %s::bigint) AS g
        JOIN seed_pool_q p ON p.n = mod(g, {pool_q}) + 1
        JOIN questions_question q ON q.id = p.question_id
        """,  # noqa: S608 - generated column lists
        [*params, first, last],
    )
    sql(
        f"""
        CREATE TEMP TABLE seed_batch ON COMMIT DROP AS
        SELECT g, j, nq.id AS question_id, p.question_id AS pool_question_id,
               CASE WHEN j <= cardinality(p.answer_ids) THEN p.answer_ids[j]
                    ELSE pa.answer_id END AS pool_answer_id
        FROM generate_series(%s::bigint, %s::bigint) AS g
        JOIN questions_question nq
          ON nq.source = '{SOURCE}' AND nq.external_id = 'q' || g AND nq.external_id <> ''
        JOIN seed_pool_q p ON p.n = mod(g, {pool_q}) + 1
        CROSS JOIN generate_series(1, 4) AS j
        JOIN LATERAL (
            SELECT answer_id FROM seed_pool_a a
            WHERE a.question_type = p.question_type
              AND a.n = mod(g * 31 + j * 7919, a.of_type) + 1
        ) AS pa ON true
        WHERE j <= 2 + mod(g, 3)
        """,  # noqa: S608 - constants only
        [first, last],
    )
    sql(
        """
        INSERT INTO questions_question_topics (question_id, topic_id)
        SELECT DISTINCT b.question_id, t.topic_id
        FROM seed_batch b JOIN questions_question_topics t ON t.question_id = b.pool_question_id
        """
    )
    a_cols, a_select = columns(
        Answer,
        {
            "question_id": "b.question_id",
            "contributor_id": "e.id",
            "source": f"'{SOURCE}'",
            "external_id": "'a' || b.g || '-' || b.j",
            "created_at": "now() - (mod(b.g, 1400) || ' days')::interval",
            "updated_at": "now()",
            "author_id": "NULL",
            "reviewed_by_id": "NULL",
            "source_book_id": "NULL",
            "reviewed_at": "now() - (mod(b.g, 300) || ' days')::interval",
        },
        "a",
    )
    sql(
        f"""
        INSERT INTO questions_answer ({a_cols})
        SELECT {a_select}
        FROM seed_batch b JOIN questions_answer a ON a.id = b.pool_answer_id
        JOIN seed_experts e ON e.n = mod(b.g * 13 + b.j * 101, {experts})
        """  # noqa: S608 - generated column lists
    )
    sql(
        f"""
        INSERT INTO search_searchdocument
            (answer_id, question_id, title, body, topics, question_type,
             embedding, embedded_text_hash, embedding_vec)
        SELECT na.id, b.question_id, d.title, d.body, d.topics, d.question_type,
               CASE WHEN b.j = 1 THEN d.embedding END,
               CASE WHEN b.j = 1 THEN d.embedded_text_hash ELSE '' END,
               CASE WHEN b.j = 1 THEN d.embedding_vec + z.v END
        FROM seed_batch b
        JOIN questions_answer na
          ON na.source = '{SOURCE}' AND na.external_id = 'a' || b.g || '-' || b.j
          AND na.external_id <> ''
        JOIN seed_noise z ON z.n = mod(b.g / {pool_q} * 4 + b.j, {NOISE_VECTORS})
        JOIN search_searchdocument d ON d.answer_id = b.pool_answer_id
        """  # noqa: S608 - constants only
    )
    sql(
        f"""
        INSERT INTO search_questionvector (question_id, embedding, text_hash, embedding_vec)
        SELECT b.question_id, v.embedding, v.text_hash, v.embedding_vec + z.v
        FROM seed_batch b JOIN search_questionvector v ON v.question_id = b.pool_question_id
        JOIN seed_noise z ON z.n = mod(b.g / {pool_q}, {NOISE_VECTORS})
        WHERE b.j = 1
        """  # noqa: S608 - constants only
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=20_000)
    parser.add_argument("--seed", type=float, default=0.42)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("set DATABASE_URL to a PostgreSQL database (with pgvector)")
    started = step("pool: answered MedQuAD questions with vectors")
    pool_q, pool_a = prepare_pool(args.seed)
    print(f"  {pool_q:,} questions, {pool_a:,} answers in the pool")
    seed_experts()
    experts = sql("SELECT 1 FROM seed_experts")
    done = Question.objects.filter(source=SOURCE).count()
    target = args.questions
    print(
        f"  {experts:,} contributors sign the answers; {done:,} questions already seeded"
    )
    definitions = drop_search_indexes()
    load = step(f"seeding questions {done + 1:,}..{target:,}")
    first_seeded = done
    while done < target:
        last = min(done + args.batch, target)
        with transaction.atomic():
            seed_batch(done + 1, last, pool_q, experts)
        seeded = last - first_seeded
        rate = seeded / (time.monotonic() - load)
        done = last
        print(f"  {done:,}/{target:,} questions ({rate:,.0f}/s)", flush=True)
    print(f"  loaded in {time.monotonic() - load:.0f} s")
    index = step("rebuilding the lexical (GIN) and vector (HNSW) indexes")
    with connection.cursor() as cursor:
        for definition in definitions:
            t = time.monotonic()
            cursor.execute(definition)
            print(
                f"  {definition.split(' ON ')[0]}: {time.monotonic() - t:.0f} s",
                flush=True,
            )
        cursor.execute("ANALYZE")
    indexed = time.monotonic() - index
    bump_version()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM questions_question")
        questions = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM questions_answer")
        answers = cursor.fetchone()[0]
        cursor.execute(
            "DROP TABLE IF EXISTS seed_pool_q, seed_pool_a, seed_experts, seed_noise, "
            "seed_index_definitions"
        )
    print(
        f"Done in {time.monotonic() - started:.0f} s: {questions:,} questions, "
        f"{answers:,} answers in the database ({size}); index rebuild {indexed:.0f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
