"""Work by the clock, inside the server processes, done once across all of them.

Capabilities register jobs (``@job("escalation")``); a server process starts
one background loop (``start``: a thread, a greenlet under gevent) that every
``SCHEDULER_INTERVAL`` seconds runs each job in an app context. There is no
cron and no leader: every process looks, and a job makes each piece of due
work happen once by *claiming* it with a conditional ``UPDATE``
(``claim``): of two processes that saw the same due row, only one update
still matches the value both saw, so only one gets rowcount 1 and does the
work, in the same transaction as the claim. On SQLite the claim's
transaction holds the write lock (``BEGIN IMMEDIATE``, see database.py); on
PostgreSQL the second ``UPDATE`` waits for the first's row lock and then
finds the row changed. Both answer the loser with rowcount 0.

Unit tests call ``run_due_jobs()`` themselves; nothing starts the loop there
unless a test asks.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from flask import Flask
from sqlalchemy import update

from .extensions import db

log = logging.getLogger(__name__)
_jobs: dict[str, Callable[[], int]] = {}


def job(name: str) -> Callable:
    """Decorator: run ``func()`` on every look for due work; it returns how many items it did."""

    def register(func: Callable[[], int]) -> Callable[[], int]:
        _jobs[name] = func
        return func

    return register


def claim(model, row_id: int, column: str, seen, new, **also) -> bool:
    """Set ``model.column`` from ``seen`` to ``new`` (and ``also``) on row ``row_id``, if nobody did first.

    True for the one caller whose update matched; it then does the work in
    this same transaction, so a rollback gives the claim back.
    """
    col = getattr(model, column)
    stmt = (update(model).where(model.id == row_id, col.is_(None) if seen is None else col == seen)
            .values({column: new, **also}).execution_options(synchronize_session=False))
    return db.session.execute(stmt).rowcount == 1


def run_due_jobs() -> dict[str, int]:
    """Run every registered job once (in the caller's app context); a failing job is logged, not fatal."""
    done: dict[str, int] = {}
    for name, func in list(_jobs.items()):
        try:
            done[name] = func() or 0
        except Exception:
            log.exception("scheduled job %s failed", name)
            db.session.rollback()
            done[name] = 0
        finally:
            db.session.remove()
    return done


def start(app: Flask) -> threading.Thread | None:
    """Start this process's loop (daemon); None when ``SCHEDULER_INTERVAL`` is 0 (switched off)."""
    interval = float(app.config["SCHEDULER_INTERVAL"])
    if interval <= 0:
        return None

    def loop() -> None:
        while True:
            time.sleep(interval)  # gevent-patched in servers: requests run meanwhile
            try:
                with app.app_context():
                    run_due_jobs()
            except Exception:  # never let the loop die: the next look may succeed
                log.exception("scheduler look failed")

    thread = threading.Thread(target=loop, name="community-scheduler", daemon=True)
    thread.start()
    return thread
