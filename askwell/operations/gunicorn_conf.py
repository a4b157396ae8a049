"""gunicorn's settings for `askwell serve`.

`askwell serve` starts gunicorn with `--config python:askwell.operations.gunicorn_conf`
and its own --bind and --workers, which take precedence over the values here.
The module is also usable on its own: `gunicorn -c python:askwell.operations.gunicorn_conf`.
"""

from __future__ import annotations

import os

from askwell.operations.workers import default_workers

wsgi_app = "askwell.wsgi:application"
bind = [os.environ.get("ASKWELL_BIND", "127.0.0.1:8000")]
workers = default_workers()
# Sync workers: one request at a time per process. Askwell's requests are short
# and CPU-bound (templates, ranking, the embedding model); nginx in front
# buffers slow clients, which is what sync workers need (docs/deploy.md).
worker_class = "sync"
# A worker that takes longer than this on one request is killed and replaced.
timeout = 30
# On SIGHUP and SIGTERM, workers finish the requests they are serving first.
graceful_timeout = 30
proc_name = "askwell"

# One access line per request, the application's (askwell/core/logs.py:
# method, path, status, duration, visitor and request id, a JSON line on
# stderr by default): gunicorn's own access log would be a second line for
# the same request, so it is off. Errors go to stderr; the process manager
# (systemd's journal, a container runtime) collects them. nginx in front
# logs client addresses (docs/deploy.md).
accesslog = None
errorlog = "-"
# Should an operator turn gunicorn's access log on (GUNICORN_CMD_ARGS=
# "--access-logfile -"): client address, the address nginx forwarded,
# method, path, protocol, status, bytes, duration in ms and nginx's request
# id. Paths only: query strings and referrers can hold what readers typed
# into search, which is health information (the app leaves them out too).
access_log_format = (
    '%(h)s %({x-forwarded-for}i)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms '
    "%({x-request-id}i)s"
)
