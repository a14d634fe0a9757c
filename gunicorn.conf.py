"""gunicorn settings for the web process (read automatically from the working directory)."""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '5000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "1" if not os.environ.get("REDIS_URL") else "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))
worker_class = "gthread"
timeout = 30
accesslog = "-" if os.environ.get("ACCESS_LOG") else None
# The path without its query string: the app home's `id_token`, app proxy signatures and shoppers' emails (order
# lookups) ride in query strings, and logs carry neither credentials nor personal data.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'


def post_worker_init(worker):
    # Embedded mode (no REDIS_URL): jobs and the clock live inside the one web process.
    from app.cli.processes import start_embedded_clock

    start_embedded_clock(worker.wsgi)
