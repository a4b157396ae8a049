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

# The access log goes to stdout and errors to stderr: the process manager
# (systemd's journal, a container runtime) collects both.
accesslog = "-"
errorlog = "-"
# Client address, the address nginx forwarded, method, path, protocol, status,
# bytes, duration in ms and nginx's request id (the app logs the same id).
# Paths only: query strings and referrers can hold what readers typed into
# search, which is health information (askwell/core/logs.py leaves them out
# too).
access_log_format = (
    '%(h)s %({x-forwarded-for}i)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms '
    "%({x-request-id}i)s"
)
