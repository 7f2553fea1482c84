"""Which transactions take SQLite's write lock up front, and that they really do."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text

from community.database import reading, will_write, writing
from community.extensions import db


@pytest.mark.parametrize(("method", "declared", "expected"), [
    ("GET", None, False),
    ("HEAD", None, False),
    ("POST", None, True),
    ("PUT", None, True),
    ("PATCH", None, True),
    ("DELETE", None, True),
    ("GET", writing, True),      # a GET that must write
    ("POST", reading, False),    # declared read-only
])
def test_a_request_writes_when_its_method_is_unsafe_or_it_says_so(app, method, declared, expected):
    with app.test_request_context("/", method=method):
        if declared is None:
            assert will_write() is expected
        else:
            with declared():
                assert will_write() is expected


def test_work_outside_a_request_writes_unless_it_says_it_only_reads(app):
    with app.app_context():
        assert will_write() is True
        with reading():
            assert will_write() is False


def test_a_writing_transaction_holds_the_write_lock_from_its_first_statement(app):
    """Another connection cannot start writing while a POST's transaction is open, even before it writes."""
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    with app.test_request_context("/", method="POST"):
        db.session.execute(text("SELECT 1"))  # read only, so far
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
        db.session.rollback()


def test_a_reading_transaction_leaves_the_write_lock_free(app):
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    with app.test_request_context("/", method="GET"):
        db.session.execute(text("SELECT 1"))
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        other.close()
        db.session.rollback()
