"""Page throughput and latency with wrk, against `askwell serve` (issue 7, section 5).

    .venv/bin/python bench/http_load.py                       # SQLite MedQuAD import
    BENCH_DATABASE_URL=postgres://... .venv/bin/python bench/http_load.py \\
        --data-dir bench/.cache/pg-medquad/site --label postgresql

For each configuration it starts the real processes, warms them, and runs
`wrk --latency` (Debian's wrk) for DURATION seconds at each connection count:

- ceiling (a): the question page's HTML as a static file served by nginx;
- ceiling (b): a Django view returning the same bytes: the same settings,
  middleware and gunicorn configuration as `askwell serve`, no database, no
  template (bench/ceiling/);
- Askwell, app page cache off (ASKWELL_PAGE_CACHE=False) and on: a question
  page with several answers, a topic page, a search;
- Askwell behind docs/nginx/askwell.conf (TLS, the microcache) with the
  app cache on: the question page.

Search rate limits are lifted for the run (wrk is one address). Any non-2xx
response fails the run. Figures go to bench/results/http_load-LABEL.json and
print as a table with each Askwell figure as a share of its ceiling.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from common import (  # noqa: E402
    BENCH_DATABASE_URL,
    DEFAULT_DATA_DIR,
    RESULTS_DIR,
    machine,
    machine_line,
)

# The process helpers the operations tests use too: free ports, clean-up,
# docs/nginx/askwell.conf made runnable on loopback.
from askwell.testing.nginx import (  # noqa: E402
    main_config,
    render_site,
    self_signed_certificate,
)
from askwell.testing.processes import (  # noqa: E402
    children,
    free_port,
    get,
    production_env,
    running,
    wait_for_http,
)

WRK = shutil.which("wrk") or "/usr/bin/wrk"
NGINX = "/usr/sbin/nginx"
SEARCH = "can plasmapheresis help multiple sclerosis"
LUA = HERE / "wrk_report.lua"


def wrk(
    url: str, connections: int, duration: int, paths: Path | None = None
) -> dict[str, float]:
    """wrk's requests per second and latency percentiles (ms) for URL, or for
    random paths from the file PATHS on URL's host."""
    command = [WRK, "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "30s"]
    command += ["-s", str(LUA), url]
    env = os.environ | {"WRK_PATHS": str(paths or "")}
    out = subprocess.run(
        command, capture_output=True, text=True, check=True, env=env
    ).stdout
    if "Non-2xx" in out or "Socket errors" in out:
        sys.exit(f"wrk saw errors for {url}:\n{out}")
    figures = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}
    for pct in ("50", "95", "99"):
        micros = int(re.search(rf"^P{pct} (\d+)$", out, re.M).group(1))
        figures[f"p{pct}_ms"] = round(micros / 1000, 2)
    return figures


def warm(url: str) -> None:
    """One request, however long a cold start takes (the model, the snapshot)."""
    with urllib.request.urlopen(url, timeout=300) as response:  # noqa: S310 - loopback
        response.read()


def run_urls(
    name: str,
    urls: dict[str, str],
    counts: list[int],
    duration: int,
    paths: dict[str, Path] | None = None,
) -> list[dict[str, object]]:
    """wrk each page at each connection count; PATHS[page], when given, is a
    file of paths to pick from at random instead of the one URL."""
    rows = []
    paths = paths or {}
    for page, url in urls.items():
        for _ in range(20):  # warm: first renders, model load, caches
            warm(url)
        for connections in counts:
            figures = wrk(url, connections, duration, paths.get(page))
            rows.append(
                {"config": name, "page": page, "connections": connections, **figures}
            )
            print(
                f"  {name:<26} {page:<9} c={connections:<3} {figures['rps']:>8.1f} req/s "
                f"p50 {figures['p50_ms']:.1f} ms p99 {figures['p99_ms']:.1f} ms",
                flush=True,
            )
    return rows


def worker_memory(master: int) -> list[dict[str, int]]:
    """Resident and proportional set size (MB) of each gunicorn worker."""
    found = []
    for pid in sorted(children(master)):
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        rss = int(re.search(r"^Rss:\s+(\d+)", rollup, re.M).group(1)) // 1024
        pss = int(re.search(r"^Pss:\s+(\d+)", rollup, re.M).group(1)) // 1024
        found.append({"pid": pid, "rss_mb": rss, "pss_mb": pss})
    return found


def random_paths(folder: Path, count: int) -> dict[str, Path]:
    """Files of COUNT random question paths and of LiveQA subjects as searches."""
    from common import LIVEQA_FILES, SHARED_DATA, load_liveqa
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT slug FROM questions_question WHERE status = 'answered' "
            "ORDER BY (id * 7919) %% 1000003 LIMIT %s",
            [count],
        )
        slugs = [row[0] for row in cursor.fetchall()]
    questions = folder / "question-paths.txt"
    questions.write_text("".join(f"/questions/{slug}/\n" for slug in slugs))
    subjects = [
        q.subject
        for q in load_liveqa([SHARED_DATA / n for n in LIVEQA_FILES])
        if q.subject
    ]
    searches = folder / "search-paths.txt"
    searches.write_text(
        "".join(
            "/search/?" + urllib.parse.urlencode({"q": subject}) + "\n"
            for subject in subjects
        )
    )
    return {"question": questions, "search": searches}


def pick_pages(base: str) -> dict[str, str]:
    """A question with the most answers, its first topic, and a search."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "askwell.settings")
    import django

    django.setup()
    from django.db.models import Count

    from askwell.questions.models import Answer, Question

    question = (
        Question.objects.filter(answers__in=Answer.objects.published())
        .annotate(n=Count("answers"))
        .order_by("-n", "pk")
        .first()
    )
    topic = question.topics.order_by("pk").first()
    return {
        "question": base + question.get_absolute_url(),
        "topic": base + topic.get_absolute_url(),
        "search": base + "/search/?" + urllib.parse.urlencode({"q": SEARCH}),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--label", default="sqlite")
    parser.add_argument("--connections", default="16,64")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument(
        "--caches", default="off,on", help="app page cache settings to run"
    )
    parser.add_argument(
        "--random-pages",
        type=int,
        default=0,
        metavar="N",
        help="question pages: N random questions; searches: LiveQA subjects",
    )
    parser.add_argument("--no-ceilings", action="store_true")
    parser.add_argument("--no-nginx", action="store_true")
    args = parser.parse_args()
    counts = [int(c) for c in args.connections.split(",")]
    data_dir = args.data_dir.resolve()
    if not (data_dir / "import.json").exists():
        sys.exit(f"{data_dir}: no MedQuAD import (run bench/search_quality.py first)")
    for tool in (WRK, NGINX):
        if not Path(tool).exists():
            sys.exit(f"{tool} is missing: apt-get install wrk nginx")

    env = production_env(
        data_dir,
        ASKWELL_RATE_LIMITS=json.dumps({"search": {}}),
        ASKWELL_EMBEDDING_MODEL="minilm-int8",
        ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    if os.environ.get(BENCH_DATABASE_URL):
        env["DATABASE_URL"] = os.environ[BENCH_DATABASE_URL]
    os.environ.update(
        {
            k: env[k]
            for k in ("ASKWELL_DATA_DIR", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS")
        }
    )
    if "DATABASE_URL" in env:
        os.environ["DATABASE_URL"] = env["DATABASE_URL"]
    workers = ["--workers", str(args.workers)] if args.workers else []
    results: dict[str, object] = {"machine": machine(), "rows": [], "memory": {}}
    rows: list[dict[str, object]] = results["rows"]  # type: ignore[assignment]
    print(machine_line(results["machine"]))  # type: ignore[arg-type]

    with tempfile.TemporaryDirectory(prefix="askwell-load-") as tmp:
        folder = Path(tmp)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        serve = [sys.executable, "-m", "askwell", "serve", "--migrate", "--bind"]
        pages = None
        paths: dict[str, Path] = {}
        html = b""
        for cache in args.caches.split(","):
            run_env = env | {"ASKWELL_PAGE_CACHE": "True" if cache == "on" else "False"}
            with running([*serve, f"127.0.0.1:{port}", *workers], env=run_env) as app:
                wait_for_http(base + "/healthz", app, seconds=300)
                if pages is None:
                    pages = pick_pages(base)
                    if args.random_pages:
                        paths = random_paths(folder, args.random_pages)
                print(f"Askwell, app cache {cache}:", flush=True)
                rows += run_urls(
                    f"askwell cache {cache}", pages, counts, args.duration, paths
                )
                results["memory"][f"cache {cache}"] = worker_memory(app.pid)  # type: ignore[index]
                if cache == "on" and not args.no_nginx:
                    rows += behind_nginx(
                        folder, data_dir, port, pages, counts, args.duration
                    )
                html = get(pages["question"])[2]
        if not args.no_ceilings:
            rows += ceilings(folder, html, env, counts, args.duration, workers)

    results["ratios"] = ratios(rows)
    print_table(rows, results["ratios"])  # type: ignore[arg-type]
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"http_load-{args.label}.json"
    path.write_text(json.dumps(results, indent=2) + "\n")
    print(f"Worker memory: {json.dumps(results['memory'])}")
    print(f"Wrote {path}")
    return 0


def behind_nginx(
    folder: Path, data_dir: Path, app_port: int, pages: dict[str, str], counts, duration
) -> list[dict[str, object]]:
    """docs/nginx/askwell.conf in front of the running app: the microcache."""
    site_dir = folder / "proxy"
    site_dir.mkdir()
    certificate, key = self_signed_certificate(site_dir)
    https_port, http_port = free_port(), free_port()
    site = site_dir / "askwell.conf"
    site.write_text(
        render_site(
            {
                "127.0.0.1:8000": f"127.0.0.1:{app_port}",
                "/srv/askwell/data": str(data_dir),
                "/var/cache/nginx/askwell": str(site_dir / "cache"),
                "/etc/letsencrypt/live/askwell.example.org/fullchain.pem": str(
                    certificate
                ),
                "/etc/letsencrypt/live/askwell.example.org/privkey.pem": str(key),
                "askwell.example.org": "localhost",
                "listen 80;": f"listen 127.0.0.1:{http_port};",
                "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
                "listen [::]:80;": "",
                "listen [::]:443 ssl http2;": "",
            }
        )
    )
    main = site_dir / "nginx.conf"
    main.write_text(
        main_config(site_dir, site).replace(
            "worker_processes 1;", "worker_processes 2;"
        )
    )
    nginx = [
        NGINX,
        "-p",
        str(site_dir),
        "-e",
        str(site_dir / "error.log"),
        "-c",
        str(main),
    ]
    nginx += ["-g", f"daemon off; pid {site_dir / 'nginx.pid'};"]
    question = pages["question"].replace(
        f"http://127.0.0.1:{app_port}", f"https://localhost:{https_port}"
    )
    with running(nginx) as server:
        deadline = time.monotonic() + 20
        while not (site_dir / "nginx.pid").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)
        if server.process.poll() is not None:
            sys.exit(f"nginx did not start:\n{server.output()}")
        print("nginx microcache in front of Askwell (HTTPS):", flush=True)
        return run_urls_insecure(
            "nginx microcache", {"question": question}, counts, duration
        )


def run_urls_insecure(name, urls, counts, duration) -> list[dict[str, object]]:
    """Like run_urls, warming over HTTPS with a self-signed certificate."""
    import ssl
    import urllib.request

    context = ssl._create_unverified_context()  # noqa: S323 - our own test certificate
    for url in urls.values():
        for _ in range(5):
            urllib.request.urlopen(url, context=context).read()  # noqa: S310 - https only
    rows = []
    for page, url in urls.items():
        for connections in counts:
            figures = wrk(url, connections, duration)
            rows.append(
                {"config": name, "page": page, "connections": connections, **figures}
            )
            print(
                f"  {name:<26} {page:<9} c={connections:<3} {figures['rps']:>8.1f} req/s "
                f"p50 {figures['p50_ms']:.1f} ms p99 {figures['p99_ms']:.1f} ms",
                flush=True,
            )
    return rows


def ceilings(
    folder: Path, html: bytes, env, counts, duration, workers
) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    static = folder / "static-site"
    static.mkdir()
    (static / "question.html").write_bytes(html)
    port, tls_port = free_port(), free_port()
    certificate, key = self_signed_certificate(static)
    conf = folder / "static-nginx.conf"
    temp = folder / "static-temp"
    temp.mkdir()
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf.write_text(
        f"""{user}worker_processes 2;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {temp};
    proxy_temp_path {temp};
    fastcgi_temp_path {temp};
    uwsgi_temp_path {temp};
    scgi_temp_path {temp};
    server {{
        listen 127.0.0.1:{port};
        # The same TLS settings as docs/nginx/askwell.conf, for the microcache's
        # comparison.
        listen 127.0.0.1:{tls_port} ssl http2;
        ssl_certificate {certificate};
        ssl_certificate_key {key};
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_session_cache shared:static_tls:10m;
        root {static};
        default_type text/html;
    }}
}}
"""
    )
    nginx = [
        NGINX,
        "-p",
        str(folder),
        "-e",
        str(folder / "static-error.log"),
        "-c",
        str(conf),
    ]
    nginx += ["-g", f"daemon off; pid {folder / 'static-nginx.pid'};"]
    with running(nginx) as server:
        wait_for_http(f"http://127.0.0.1:{port}/question.html", server)
        print("Ceiling (a): nginx, static file:", flush=True)
        rows += run_urls(
            "ceiling a: nginx static",
            {"question": f"http://127.0.0.1:{port}/question.html"},
            counts,
            duration,
        )
        rows += run_urls_insecure(
            "ceiling a: nginx static TLS",
            {"question": f"https://127.0.0.1:{tls_port}/question.html"},
            counts,
            duration,
        )

    (folder / "page.html").write_bytes(html)
    port = free_port()
    gunicorn = [
        sys.executable,
        "-m",
        "gunicorn",
        "-c",
        "python:askwell.operations.gunicorn_conf",
    ]
    gunicorn += ["--bind", f"127.0.0.1:{port}", *workers, "ceiling.wsgi:application"]
    ceiling_env = env | {
        "PYTHONPATH": str(HERE),
        "DJANGO_SETTINGS_MODULE": "ceiling.settings",
        "ASKWELL_CEILING_PAGE": str(folder / "page.html"),
    }
    with running(gunicorn, env=ceiling_env) as app:
        wait_for_http(f"http://127.0.0.1:{port}/", app)
        print("Ceiling (b): Django view returning the bytes:", flush=True)
        rows += run_urls(
            "ceiling b: django bytes",
            {"question": f"http://127.0.0.1:{port}/"},
            counts,
            duration,
        )
    return rows


def ratios(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """Each Askwell figure as a share of ceiling (b), and the microcache of (a)."""
    ceiling = {
        (r["config"], r["connections"]): r["rps"]
        for r in rows
        if str(r["config"]).startswith("ceiling")
    }
    found = []
    for r in rows:
        if str(r["config"]).startswith("ceiling"):
            continue
        against = (
            "ceiling a: nginx static TLS"
            if r["config"] == "nginx microcache"
            else "ceiling b: django bytes"
        )
        base = ceiling.get((against, r["connections"]))
        if base is None:
            continue
        found.append({**r, "of": against, "share": round(r["rps"] / base, 3)})
    return found


def print_table(rows: list[dict[str, object]], shares: list[dict[str, object]]) -> None:
    share = {(s["config"], s["page"], s["connections"]): s for s in shares}
    print()
    print(
        f"{'configuration':<26}{'page':<10}{'conn':>5}{'req/s':>10}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}  share of ceiling"
    )
    for r in rows:
        s = share.get((r["config"], r["page"], r["connections"]))
        tail = f"  {s['share'] * 100:.1f} % of {s['of'][:10]}" if s else ""
        print(
            f"{r['config']:<26}{r['page']:<10}{r['connections']:>5}{r['rps']:>10.1f}"
            f"{r['p50_ms']:>9.1f}{r['p95_ms']:>9.1f}{r['p99_ms']:>9.1f}{tail}"
        )


if __name__ == "__main__":
    raise SystemExit(main())
