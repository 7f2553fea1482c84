"""What ``GET /healthz`` checks: each part the server cannot work without."""

from __future__ import annotations

import os
import tempfile

from flask import current_app

from .database import check_database


def check_search_storage() -> bool:
    """The search index's folder exists and takes writes.

    The index itself is a cache of the database (rebuildable at any time), so
    what can make search fail is its storage: a full or read-only disk.
    """
    from .search.indexer import index_folder

    folder = index_folder(current_app)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".health-", delete=True) as probe:
            probe.write(b"ok")
            probe.flush()
            os.fsync(probe.fileno())
        return True
    except OSError:
        return False


def check_search() -> str:
    """``ok``; ``rebuilding`` while the index is rebuilt and search answers 503; else ``failing``."""
    if not check_search_storage():
        return "failing"
    from .search.indexer import status

    return status(current_app._get_current_object())


def report() -> tuple[dict, int]:
    database = check_database()
    parts = {"database": "ok" if database else "failing",
             "search": check_search() if database else "failing"}
    healthy = all(state == "ok" for state in parts.values())
    return {"status": "ok" if healthy else "failing", **parts}, 200 if healthy else 503
