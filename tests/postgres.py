"""The local PostgreSQL server (127.0.0.1:5432, trust auth), for tests that run on it too.

Each user of it gets a throwaway database; where no server answers, those
tests are skipped with a message saying how to run them.
"""

from __future__ import annotations

import uuid
from contextlib import contextmanager

import pytest

SKIP_MESSAGE = ("PostgreSQL is not reachable at 127.0.0.1:5432 (database 'test', trust auth); "
                "start it to run this test on PostgreSQL too")


def admin_connection():
    """An autocommit connection to the ``test`` database, or None where PostgreSQL is absent."""
    try:
        import psycopg
    except ImportError:
        return None, None
    for user in ("postgres", "root"):
        try:
            return psycopg.connect(f"postgresql://{user}@127.0.0.1:5432/test", autocommit=True,
                                   connect_timeout=3), user
        except psycopg.OperationalError:
            continue
    return None, None


@contextmanager
def throwaway_database(template: str | None = None):
    """Yield the SQLAlchemy URL of a new, empty database (a copy of ``template`` if given)."""
    conn, user = admin_connection()
    if conn is None:
        pytest.skip(SKIP_MESSAGE)
    name = f"leerplein_{uuid.uuid4().hex[:12]}"
    conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    try:
        yield f"postgresql+psycopg://{user}@127.0.0.1:5432/{name}"
    finally:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.close()
