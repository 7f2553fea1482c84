"""Shared helpers for the benchmark scripts: a throwaway app, timing, query counting.

Times are server time through Flask's test client (no network), one process,
SQLite in a temporary instance folder: the figures FIELD-NOTES compares with.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event

from community import create_app
from community.database import upgrade_database
from community.extensions import db


def make_app():
    folder = tempfile.mkdtemp(prefix="leerplein-bench-")
    app = create_app({"INSTANCE": folder, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/community.db",
                      "PASSWORD_HASH": "pbkdf2:sha256:1000", "RATELIMIT_ENABLED": False,
                      "WTF_CSRF_ENABLED": False})
    upgrade_database(app)
    return app


@contextmanager
def count_queries(app):
    counter = {"n": 0}

    def before(*_args, **_kwargs):
        counter["n"] += 1

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", before)


def measure(label: str, app, request, runs: int = 200, warmup: int = 20) -> dict:
    """Call ``request()`` (returns a response) ``runs`` times; report median/p95 ms and queries."""
    for _ in range(warmup):
        response = request()
        assert response.status_code == 200, (label, response.status_code, response.get_data(as_text=True)[:300])
    times = []
    with count_queries(app) as queries:
        request()
        per_request = queries["n"]
    for _ in range(runs):
        start = time.perf_counter()
        request()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {"what": label, "median_ms": statistics.median(times), "p95_ms": times[int(len(times) * 0.95) - 1],
            "queries": per_request, "runs": runs}


def print_table(rows: list[dict], title: str) -> None:
    print(f"\n{title}")
    print(f"{'what':<58} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for row in rows:
        print(f"{row['what']:<58} {row['median_ms']:>10.2f} {row['p95_ms']:>8.2f} {row['queries']:>8}")
