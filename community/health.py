"""What ``GET /healthz`` checks: each part the server cannot work without."""

from __future__ import annotations

import logging
import os
import tempfile

from flask import current_app

from .database import check_database

log = logging.getLogger(__name__)


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


def check_message_queue() -> str | None:
    """``ok`` or ``failing`` for the Socket.IO message queue (Redis); None when there is none.

    Without it, a message still reaches the sockets of the process that
    stored it, and the others' clients get it by ``catch_up`` after a
    reconnect; live delivery across processes has stopped, which a proxy in
    front should hear of.
    """
    url = current_app.config["MESSAGE_QUEUE"]
    if not url or not url.startswith(("redis://", "rediss://")):
        return None  # none, or a kind this check does not speak
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        try:
            client.ping()
        finally:
            client.close()
        return "ok"
    except Exception as error:  # any failure to reach it is the same answer
        log.error("the message queue at %s does not answer: %s", url, error)
        return "failing"


def report() -> tuple[dict, int]:
    database = check_database()
    parts = {"database": "ok" if database else "failing",
             "search": check_search() if database else "failing"}
    queue = check_message_queue()
    if queue is not None:
        parts["message_queue"] = queue
    healthy = all(state == "ok" for state in parts.values())
    return {"status": "ok" if healthy else "failing", **parts}, 200 if healthy else 503
