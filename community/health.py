"""What ``GET /healthz`` checks: each part the server cannot work without."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from flask import current_app

from .database import check_database


def check_search_storage() -> bool:
    """The search index's folder exists and takes writes.

    The index itself is a cache of the database (rebuildable at any time), so
    what can make search fail is its storage: a full or read-only disk.
    """
    folder = Path(current_app.config["INSTANCE"]) / "search"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".health-", delete=True) as probe:
            probe.write(b"ok")
            probe.flush()
            os.fsync(probe.fileno())
        return True
    except OSError:
        return False


def report() -> tuple[dict, int]:
    parts = {"database": "ok" if check_database() else "failing",
             "search": "ok" if check_search_storage() else "failing"}
    healthy = all(state == "ok" for state in parts.values())
    return {"status": "ok" if healthy else "failing", **parts}, 200 if healthy else 503
