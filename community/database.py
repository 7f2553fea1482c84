"""Database engine settings that make SQLite safe with several processes at once.

WAL lets readers run beside a writer; synchronous=FULL makes an acknowledged
write durable; and we drive transactions ourselves (``BEGIN`` on the
SQLAlchemy begin event) instead of pysqlite, which the SQLAlchemy docs show
losing read-then-write updates.

Which ``BEGIN``: a transaction that reads and later writes cannot upgrade
its read lock once another process has written since its first read;
SQLite then answers ``database is locked`` at once, whatever the busy
timeout (measured: 99 of 200 racing replies through two processes failed).
So a transaction that may write takes the write lock up front with
``BEGIN IMMEDIATE``: every transaction of a request with an unsafe method
(POST, PUT, PATCH, DELETE), and all work outside a request (CLI commands,
background jobs), unless wrapped in ``reading()``. GET requests read in
plain deferred transactions, side by side; the rare GET that writes wraps
that write in ``writing()``.

Waiting for the write lock happens here, in a loop that sleeps between
tries (cooperatively under gevent), not in SQLite's busy handler, which
would block every other connection of a gevent process while it waits.
"""

from __future__ import annotations

import fcntl
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from flask import Flask, has_request_context, request
from sqlalchemy import event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from .extensions import db

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: How long a writer waits for another process's write transaction to end.
WRITE_LOCK_WAIT = 15.0
#: SQLite's own busy wait, kept short: it blocks the whole process while it waits.
BUSY_TIMEOUT_MS = 20

_intent: ContextVar[bool | None] = ContextVar("community_write_intent", default=None)


@event.listens_for(Engine, "connect")
def _sqlite_connect(dbapi_connection, _record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL: a commit is on disk before the response says so, even across a
    # power cut (measured here: +0.45 ms a commit over NORMAL).
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    # 256 KiB of SQLite's own page cache per connection instead of 2 MiB: the
    # OS caches the file anyway, and every pooled connection's cache is the
    # server's memory (measured: 1.4 MiB less RSS after reading 1,000 threads,
    # no loss of thread pages per second).
    cursor.execute("PRAGMA cache_size=-256")
    cursor.close()


def will_write() -> bool:
    """Whether a transaction beginning now should take the write lock at once."""
    intent = _intent.get()
    if intent is not None:
        return intent
    if has_request_context():
        return request.method in UNSAFE_METHODS
    return True


@contextmanager
def _declare(intent: bool) -> Iterator[None]:
    token = _intent.set(intent)
    try:
        yield
    finally:
        _intent.reset(token)


def writing():
    """Transactions begun inside take the write lock up front (for a write during a GET).

    Never open a second writing connection while this session's own
    transaction holds the write lock: it would wait for itself.
    """
    return _declare(True)


def reading():
    """Transactions begun inside only read: long reads (a search rebuild) never block writers."""
    return _declare(False)


def end_reads() -> None:
    """Commit what was read without expiring it: loaded objects (the signed-in user) stay loaded.

    A read transaction left open pins an old snapshot, and on SQLite one that
    reads first cannot take the write lock later: end it before slow work or
    before the next write.
    """
    commit_keeping_loaded()


def commit_keeping_loaded() -> None:
    """Commit without expiring loaded objects, so reading them afterwards asks the database nothing.

    For a transaction that held the write lock from its start: nothing else
    can have changed what it read or wrote meanwhile.
    """
    session = db.session()
    keep, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = keep


@contextmanager
def fresh_write() -> Iterator[None]:
    """A transaction of its own that takes the write lock up front, whatever was read before it.

    A Socket.IO event runs in its connection's ``GET`` context, so its first
    reads begin a deferred transaction; on SQLite that one cannot take the
    write lock once another connection has written (``database is locked``
    at once). The reads are committed first (``end_reads``), loaded objects
    stay loaded; a transaction begun to write (``writes_now``) simply goes on.
    """
    if not writes_now():
        end_reads()
    with writing():
        yield


def writes_now() -> bool:
    """Whether the session's open transaction was begun to write (on SQLite: holds the write lock)."""
    session = db.session()
    return session.in_transaction() and session.connection().info.get("writes", False)


def _is_locked(message: str) -> bool:
    return "database is locked" in message or "database is busy" in message


@event.listens_for(Engine, "begin")
def _begin(conn) -> None:
    writes = will_write()
    conn.info["writes"] = writes
    if conn.dialect.name == "sqlite":
        _sqlite_begin(conn.connection.dbapi_connection, writes)


def _sqlite_begin(dbapi_connection: sqlite3.Connection, writes: bool) -> None:
    """``BEGIN``, or ``BEGIN IMMEDIATE`` waited for here; on the driver's connection (SQLAlchemy's costs more)."""
    if not writes:
        dbapi_connection.execute("BEGIN")
        return
    deadline = time.monotonic() + WRITE_LOCK_WAIT
    pause = 0.001
    # No busy wait inside SQLite while asking for the lock: it sleeps in C, holding up every
    # connection of a gevent process (two processes writing chat at 10 msg/s each: p95 730 ms).
    dbapi_connection.execute("PRAGMA busy_timeout=0")
    try:
        while True:
            try:
                dbapi_connection.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if not _is_locked(str(error)) or time.monotonic() > deadline:
                    raise OperationalError("BEGIN IMMEDIATE", {}, error) from error
            time.sleep(pause)  # gevent-patched: other requests of this process run meanwhile
            pause = min(pause * 2, 0.005)
    finally:
        dbapi_connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def init_app(app: Flask) -> None:
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS",
                              {"connect_args": {"check_same_thread": False,
                                                "timeout": BUSY_TIMEOUT_MS / 1000}})
    else:
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    db.init_app(app)


@contextmanager
def _migration_lock(app: Flask) -> Iterator[None]:
    """One process at a time migrates: a file lock on this machine, an advisory lock on PostgreSQL.

    Several server processes started together would otherwise all try to
    create the same tables.
    """
    lock_path = Path(app.config["INSTANCE"]) / "migrate.lock"
    with open(lock_path, "a") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            if db.engine.dialect.name == "postgresql":
                with db.engine.connect() as conn:
                    conn.execute(text("SELECT pg_advisory_lock(7426010)"))  # any fixed number: "migrate"
                    try:
                        yield
                    finally:
                        conn.execute(text("SELECT pg_advisory_unlock(7426010)"))
                        conn.commit()
            else:
                yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def enable_migrations(app: Flask) -> None:
    """Bind Flask-Migrate (Alembic) to ``app``: for the ``flask db`` commands and ``upgrade_database``.

    Loaded only when needed: Alembic and Mako cost a server process ~11 MiB
    that it would carry for nothing (``serving`` migrates in a child process).
    """
    from flask_migrate import Migrate

    if "migrate" not in app.extensions:
        Migrate(app, db, directory=str(MIGRATIONS), render_as_batch=True)


def upgrade_database(app: Flask) -> None:
    """Create or upgrade the schema to the newest migration (safe with several processes)."""
    from flask_migrate import upgrade

    enable_migrations(app)
    with app.app_context(), _migration_lock(app):
        upgrade()


def check_database() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except Exception:
        db.session.rollback()
        return False


def insert_ignore(model, **values) -> bool:
    """Insert a row unless its unique key exists; True when a row was added.

    For rows that racing requests may both add (a reaction, a follow, a
    vote): ``ON CONFLICT DO NOTHING`` neither fails nor needs a read first.
    Asks for the new row back rather than trusting ``rowcount``: on
    PostgreSQL SQLAlchemy adds ``RETURNING id`` to an insert into a table
    with a serial key, and ``rowcount`` then never says 1 (measured:
    reactions recorded no ``ReactionChanged`` there).
    """
    insert = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}.get(db.session.get_bind().dialect.name)
    if insert is not None:
        stmt = insert(model).values(**values).on_conflict_do_nothing().returning(*model.__mapper__.primary_key)
        return db.session.execute(stmt).first() is not None
    try:  # any other database: a savepoint absorbs the duplicate
        with db.session.begin_nested():
            db.session.add(model(**values))
        return True
    except IntegrityError:
        return False
