"""Benchmark: what text costs, by its size (issue 13, "Availability").

    .venv/bin/python bench/input_cost.py [--data-dir DIR] [--repeat N] [--skip-http]

1. Each text analysis in-process, on 1, 10 and 100 KB of two kinds of text:
   prose (a reader's message, repeated: topics, vocabulary terms, personal
   details, question-type cues) and the worst text known for that analysis
   (the one that was quadratic, or that markdown-it works hardest on). The
   analyses run on text of any size here, past the limits that keep it out
   of the site: the growth from 10 to 100 KB is their complexity (10x is
   linear, 100x quadratic).
2. Each endpoint that takes text, over real HTTP (a threaded WSGI server in
   this process, urllib as the client, a signed-in demo expert and an API
   token): its time at 1, 10 and 100 KB, and at exactly its limit, or how
   it refused the text (413 unread, 400/422 with the limit, or the form's
   message).

Runs on its own data dir (default bench/.cache/input-cost/, the demo
content loaded by `askwell demo --no-serve` on the first run). Rate limits
and the spam timer are lifted for the run, as bench/http_load.py does.
Times are the best of --repeat runs (default 3), wall-clock and noisy on a
shared machine; the ratios matter more than the milliseconds. Results go to
bench/results/input_cost.json.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import logging
import os
import re
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from common import DB_NAME, RESULTS_DIR, ROOT, machine, machine_line, run_askwell

DEFAULT_DATA_DIR = ROOT / "bench" / ".cache" / "input-cost"
SIZES_KB = (1, 10, 100)
# Above this 10 -> 100 KB growth an analysis is reported as super-linear
# (linear is 10x; allocation and caches make it wobble above that).
SUPERLINEAR = 20.0

PROSE = (
    "My mother was diagnosed with multiple sclerosis and type 2 diabetes last "
    "year. What causes a heart attack in someone like her, and how is it "
    "treated? She takes 20 mg of aspirin; call me on 555-123-4567 or write to "
    "jo@example.com. Is plasma exchange safe with her medicines? "
)
# The text each analysis worked hardest on before issue 13's fixes.
WORST = {
    "focus": "My dad had a heart attack. What causes it? ",
    "question types": "What causes it? How is it treated? ",
    "personal details": "a.",
    "emergency": "chest pain and sweating ",
    "markdown": "[![",
    "reading level": "[![",
    "jargon": "myocardial infarction ",
    "spelling": "mediterean sklerosis ",
    "highlight": "plasma exchange ",
    "word diff": "a b ",
}


# An answer (five words and more, as the form asks) that goes on in `[![`.
NESTED = "Rest and fluids help most people. " + "[![" * 40_000


def _chars(unit: str, size: int) -> str:
    """`unit` repeated to exactly `size` characters."""
    return (unit * (size // len(unit) + 1))[:size]


def _text(unit: str, kb: int) -> str:
    return _chars(unit, kb * 1024)


def _best(call: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return min(times)


# --- 1. the analyses, in-process ----------------------------------------------------


def analyses() -> dict[str, Callable[[str], Any]]:
    from askwell.language.emergency import suggests_emergency
    from askwell.language.understanding import find_focus, find_types
    from askwell.lib.markdown import render_markdown
    from askwell.lib.pii import find_personal_details
    from askwell.questions import writing
    from askwell.questions.diff import compare
    from askwell.search import current_version, engine, topic_phrases
    from askwell.search.highlight import highlight_excerpt
    from askwell.search.spelling import suggest

    version = current_version()
    phrases = topic_phrases(version)
    spelling = engine.focus_spelling(version)
    terms = ["plasma", "exchange", "sclerosis", "heart attack"]
    return {
        "focus": lambda text: find_focus(text, phrases, spelling=spelling),
        "question types": find_types,
        "personal details": find_personal_details,
        "emergency": suggests_emergency,
        "markdown": render_markdown,
        "reading level": writing.reading_level,
        "jargon": writing.find_jargon,
        "spelling": lambda text: suggest(text, version),
        "highlight": lambda text: highlight_excerpt(render_markdown(text), terms),
        # the review page's and history's word diff: the text against itself
        # with its words in reverse order (nearly nothing matches in place)
        "word diff": lambda text: compare(text, " ".join(reversed(text.split(" ")))),
    }


def measure_analyses(repeat: int) -> list[dict[str, Any]]:
    rows = []
    for name, analyse in analyses().items():
        analyse(PROSE)  # load what it loads once (dictionaries, tables)
        for kind, unit in (("prose", PROSE), ("worst", WORST[name])):
            seconds = [
                _best(partial(analyse, _text(unit, kb)), repeat) for kb in SIZES_KB
            ]
            growth = seconds[2] / max(seconds[1], 1e-9)
            rows.append(
                {
                    "analysis": name,
                    "text": kind,
                    "unit": unit[:24],
                    "ms": [round(s * 1000, 2) for s in seconds],
                    "growth_10_to_100kb": round(growth, 1),
                    "linear": growth < SUPERLINEAR,
                }
            )
            print(_analysis_line(rows[-1]), flush=True)
    return rows


def _analysis_line(row: dict[str, Any]) -> str:
    ms = "".join(f"{m:>11.1f}" for m in row["ms"])
    verdict = "linear" if row["linear"] else "SUPER-LINEAR"
    return (
        f"{row['analysis']:<17}{row['text']:<6}{ms}"
        f"{row['growth_10_to_100kb']:>9.1f}x  {verdict}"
    )


# --- 2. the endpoints, over real HTTP -----------------------------------------------


class Site:
    """A threaded WSGI server on a free port, and a client signed in as the
    demo expert (cookies, CSRF token) with an API token for the same account."""

    def __init__(self) -> None:
        from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
        from django.core.wsgi import get_wsgi_application

        class Quiet(WSGIRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadedWSGIServer(("127.0.0.1", 0), Quiet)
        self.server.set_app(get_wsgi_application())
        # Each refusal would be logged as a warning with its whole request
        # line (set after the application configured logging once more).
        logging.getLogger("django.request").setLevel(logging.ERROR)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies),
            _NoRedirects(),
        )

    def sign_in(self, username: str, password: str) -> None:
        self.request("GET", "/accounts/login/")
        status, _ = self.request(
            "POST", "/accounts/login/", form={"login": username, "password": password}
        )
        if status != 302:
            sys.exit(f"Could not sign in as {username} (status {status}).")

    @property
    def csrf(self) -> str:
        return next((c.value for c in self.cookies if c.name == "csrftoken"), "")

    def request(
        self,
        method: str,
        path: str,
        *,
        form: dict[str, str] | None = None,
        params: dict[str, str] | None = None,
        body: Any = None,
        token: str | None = None,
    ) -> tuple[int, str]:
        url = self.url + path
        if params:
            url += "?" + urllib.parse.urlencode(params)
        data, headers = None, {}
        if form is not None:
            data = urllib.parse.urlencode({**form, "csrfmiddlewaretoken": self.csrf})
            data = data.encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(  # noqa: S310 - the server started here
            url, data=data, method=method, headers=headers
        )
        opener = (
            self.opener if not token else urllib.request.build_opener(_NoRedirects())
        )
        try:
            with opener.open(request, timeout=120) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any) -> None:
        return None


_LIMIT = re.compile(r"At most [\d,]+ characters \(you sent [\d,]+\)\.")


def _outcome(status: int, text: str) -> str:
    """What the endpoint did: "ok", or how it refused."""
    if status == 413:
        return "413 unread"
    if status == 414:
        return "414 request line too long (the HTTP server's limit)"
    found = _LIMIT.search(text)
    if found:
        return f"{status} {found.group()}"
    if status >= 400:
        return f"{status} refused"
    return "ok"


def endpoints(
    site: Site, token: str, answer_id: int
) -> dict[str, tuple[int, Callable]]:
    """name -> (its limit in characters, send(text) -> (status, body))."""
    from askwell.lib import limits

    def ask(text: str) -> tuple[int, str]:
        # A title the form refuses (too short): nothing is posted, but the
        # aids (emergency, topic suggestions) read the question.
        return site.request(
            "POST", "/questions/ask/", form={"title": "Knee", "details": text}
        )

    return {
        "POST /questions/ask/ (details)": (limits.QUESTION_DETAILS, ask),
        "GET /questions/ask/topics/": (
            limits.QUESTION_DETAILS,
            lambda t: site.request(
                "GET", "/questions/ask/topics/", params={"details": t}
            ),
        ),
        "GET /search/similar/": (
            limits.QUESTION_TEXT,
            lambda t: site.request("GET", "/search/similar/", params={"q": t}),
        ),
        "GET /search/": (
            limits.SEARCH_QUERY,
            lambda t: site.request("GET", "/search/", params={"q": t}),
        ),
        "POST /questions/preview/": (
            limits.ANSWER_BODY,
            lambda t: site.request("POST", "/questions/preview/", form={"body": t}),
        ),
        "POST /api/v1/questions": (
            limits.QUESTION_DETAILS,
            lambda t: site.request(
                "POST",
                "/api/v1/questions",
                body={
                    "title": "Why does my knee hurt?",
                    "details": t,
                    "personal_details": "keep",
                },
                token=token,
            ),
        ),
        "PATCH /api/v1/answers/{id}": (
            limits.ANSWER_BODY,
            lambda t: site.request(
                "PATCH", f"/api/v1/answers/{answer_id}", body={"body": t}, token=token
            ),
        ),
        "GET /api/v1/similar": (
            limits.QUESTION_TEXT,
            lambda t: site.request(
                "GET", "/api/v1/similar", params={"q": t}, token=token
            ),
        ),
        "GET /api/v1/search": (
            limits.SEARCH_QUERY,
            lambda t: site.request(
                "GET", "/api/v1/search", params={"q": t}, token=token
            ),
        ),
    }


def measure_endpoints(repeat: int) -> list[dict[str, Any]]:
    from askwell.accounts.actions import create_api_token
    from askwell.accounts.models import User
    from askwell.questions.models import Answer

    expert = User.objects.get(username="drokafor")
    token = create_api_token(expert, name="input-cost benchmark")[1]
    answer_id = Answer.objects.filter(contributor__user=expert).values_list(
        "pk", flat=True
    )[0]
    site = Site()
    try:
        site.sign_in("drokafor", "askwell-demo-expert")
        rows = []
        for name, (limit, send) in endpoints(site, token, answer_id).items():
            for kind, unit in (("prose", PROSE), ("nested", NESTED)):
                if kind == "nested" and "preview" not in name and "answers" not in name:
                    continue
                cells = []
                texts = [_text(unit, kb) for kb in SIZES_KB] + [_chars(unit, limit)]
                for text in texts:
                    send(text)  # warm: caches, the first search's loads
                    times, outcome = [], ""
                    for _ in range(repeat):
                        started = time.perf_counter()
                        status, body = send(text)
                        times.append(time.perf_counter() - started)
                        outcome = _outcome(status, body)
                    cells.append(
                        {"ms": round(min(times) * 1000, 1), "outcome": outcome}
                    )
                rows.append(
                    {"endpoint": name, "text": kind, "limit": limit, "cells": cells}
                )
                print(_endpoint_line(rows[-1]), flush=True)
        return rows
    finally:
        site.stop()


def _endpoint_line(row: dict[str, Any]) -> str:
    cells = "".join(
        f"{c['ms']:>9.1f} {('ok' if c['outcome'] == 'ok' else c['outcome'].split(' ')[0]):<6}"
        for c in row["cells"]
    )
    refusals = sorted({c["outcome"] for c in row["cells"] if c["outcome"] != "ok"})
    return f"{row['endpoint']:<31}{row['text']:<7}{cells}  {'; '.join(refusals)}"


# --- the run ------------------------------------------------------------------------


def prepare(data_dir: Path) -> None:
    if not (data_dir / DB_NAME).exists():
        print(f"Loading the demo content into {data_dir} …", flush=True)
        data_dir.mkdir(parents=True, exist_ok=True)
        run_askwell(["demo", "--no-serve"], data_dir)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="askwell.settings",
        ASKWELL_DATA_DIR=str(data_dir),
        DEBUG="False",
        SECRET_KEY="input-cost-benchmark-only",  # noqa: S106 - a throwaway site
        ALLOWED_HOSTS="127.0.0.1,localhost",
        ASKWELL_HTTPS="False",
        ASKWELL_ACCESS_LOG="False",
        ASKWELL_FORM_MIN_SECONDS="0",
        ASKWELL_PAGE_CACHE="False",
        ASKWELL_RATE_LIMITS=json.dumps(
            {
                name: {"user": "1000000/d", "ip": "1000000/d"}
                for name in (
                    "login",
                    "ask",
                    "answer",
                    "search",
                    "preview",
                    "typing",
                )
            }
        ),
    )
    os.environ.pop("DATABASE_URL", None)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-http", action="store_true")
    args = parser.parse_args()
    prepare(args.data_dir.resolve())
    info = machine()
    print(machine_line(info))

    print("\n1. Analyses, in-process: best of", args.repeat, "runs, ms")
    print(
        f"{'analysis':<17}{'text':<6}{'1 KB':>11}{'10 KB':>11}{'100 KB':>11}{'10→100':>10}"
    )
    analysis_rows = measure_analyses(args.repeat)

    endpoint_rows: list[dict[str, Any]] = []
    if not args.skip_http:
        print(
            "\n2. Endpoints over HTTP: best of",
            args.repeat,
            "requests, ms, and outcome",
        )
        print(
            f"{'endpoint':<31}{'text':<7}{'1 KB':>9}{'':7}{'10 KB':>9}{'':7}"
            f"{'100 KB':>9}{'':7}{'at limit':>9}"
        )
        endpoint_rows = measure_endpoints(args.repeat)

    slow = [r for r in analysis_rows if not r["linear"]]
    print(
        "\nNo analysis grows faster than its input."
        if not slow
        else "\nSUPER-LINEAR: "
        + ", ".join(f"{r['analysis']} ({r['text']})" for r in slow)
    )
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    out = RESULTS_DIR / "input_cost.json"
    out.write_text(
        json.dumps(
            {"machine": info, "analyses": analysis_rows, "endpoints": endpoint_rows},
            indent=2,
        )
        + "\n"
    )
    print(f"Results: {out.relative_to(ROOT)}")
    if slow:
        sys.exit(1)


if __name__ == "__main__":
    main()
