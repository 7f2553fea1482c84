"""Which sockets are in which community room, on every process: presence and taking people out.

Rows live in the database (``SocketRoom``) so that any process can answer
"who is online here" and, when someone loses access, find their sockets
wherever they are connected; ``socketio.server.leave_room`` then reaches
the process that holds each one (through the message queue). Each process
refreshes its own rows on every scheduler look (``heartbeat``); a row not
refreshed for three looks belonged to a process that died and no longer
counts.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select, update

from .. import events
from ..accounts.models import User
from ..communities.models import Community
from ..database import fresh_write, insert_ignore
from ..extensions import db, socketio
from ..scheduler import job
from ..timeutil import utcnow
from .models import SocketRoom

log = logging.getLogger(__name__)
_process: tuple[int, str] | None = None


def process_id() -> str:
    """This process's name in ``SocketRoom.process`` (new after a fork: gunicorn's workers differ)."""
    global _process
    if _process is None or _process[0] != os.getpid():
        _process = (os.getpid(), f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}")
    return _process[1]


def chat_room(community_id: int) -> str:
    return f"chat:{community_id}"


def user_room(user_id: int) -> str:
    return f"user:{user_id}"


def _fresh():
    """Rows a live process still refreshes (all rows when the scheduler is off)."""
    interval = float(current_app.config["SCHEDULER_INTERVAL"])
    if interval <= 0:
        return SocketRoom.seen_at.is_not(None)
    return SocketRoom.seen_at > utcnow() - timedelta(seconds=max(3 * interval, 90))


def online(room: str) -> list[str]:
    """Usernames with at least one socket in ``room``, alphabetically."""
    return list(db.session.scalars(
        select(User.username).join(SocketRoom, SocketRoom.user_id == User.id)
        .where(SocketRoom.room == room, _fresh()).distinct().order_by(User.username)))


def _commit() -> None:
    events.commit(db.session)


def enter(sid: str, room: str, community_id: int, user_id: int) -> None:
    with fresh_write():
        if not insert_ignore(SocketRoom, sid=sid, room=room, community_id=community_id, user_id=user_id,
                             process=process_id(), seen_at=utcnow()):
            db.session.execute(update(SocketRoom).where(SocketRoom.sid == sid, SocketRoom.room == room)
                               .values(seen_at=utcnow()))
        _commit()


def leave(sid: str, room: str | None = None) -> list[SocketRoom]:
    """Forget ``sid`` in ``room`` (every room: None); the rows removed."""
    with fresh_write():
        stmt = select(SocketRoom).where(SocketRoom.sid == sid)
        if room is not None:
            stmt = stmt.where(SocketRoom.room == room)
        rows = list(db.session.scalars(stmt))
        for row in rows:
            db.session.delete(row)
        _commit()
    return rows


def sockets_in(community_id: int, user_id: int | None = None) -> list[SocketRoom]:
    stmt = select(SocketRoom).where(SocketRoom.community_id == community_id)
    if user_id is not None:
        stmt = stmt.where(SocketRoom.user_id == user_id)
    return list(db.session.scalars(stmt))


def remove(rows: list[SocketRoom]) -> None:
    with fresh_write():
        for row in rows:
            db.session.execute(delete(SocketRoom).where(SocketRoom.sid == row.sid, SocketRoom.room == row.room))
        _commit()


class _Announcer:
    """Tells a room who is online at most once per ``CHAT_PRESENCE_SECONDS``, and only when it changed.

    A room of 500 people reconnecting after a restart would otherwise send
    the whole list to everyone on every join: 500 joins times 500 sockets.
    """

    def __init__(self, app):
        self.app = app
        self.dirty: dict[str, int] = {}
        self.sent: dict[str, list[str]] = {}
        self.lock = threading.Lock()
        self.running = False

    def changed(self, room: str, community_id: int) -> None:
        with self.lock:
            self.dirty[room] = community_id
            if not self.running:
                self.running = True
                socketio.start_background_task(self._run)

    def _run(self) -> None:
        while True:
            socketio.sleep(self.app.config["CHAT_PRESENCE_SECONDS"])
            with self.lock:
                dirty, self.dirty = self.dirty, {}
            if dirty:
                with self.app.app_context():
                    try:
                        self._announce(dirty)
                    except Exception:  # the next change announces again
                        log.exception("presence not announced")
                    finally:
                        db.session.remove()

    def _announce(self, dirty: dict[str, int]) -> None:
        slugs = dict(db.session.execute(select(Community.id, Community.slug).where(
            Community.id.in_(set(dirty.values())))).all())
        for room, community_id in dirty.items():
            names = online(room)
            if community_id in slugs and self.sent.get(room) != names:
                self.sent[room] = names
                socketio.emit("presence", {"community": slugs[community_id], "online": names}, to=room)


def changed(room: str, community_id: int) -> None:
    """Someone came into or left ``room``: its people hear who is online, shortly (see ``_Announcer``)."""
    app = current_app._get_current_object()
    announcer = app.extensions.get("chat_presence")
    if announcer is None:
        announcer = app.extensions["chat_presence"] = _Announcer(app)
    announcer.changed(room, community_id)


@job("chat_presence")
def heartbeat() -> int:
    """Refresh this process's rows and drop those of processes that stopped refreshing theirs."""
    now = utcnow()
    with fresh_write():
        refreshed = db.session.execute(update(SocketRoom).where(SocketRoom.process == process_id())
                                       .values(seen_at=now)).rowcount
        interval = float(current_app.config["SCHEDULER_INTERVAL"])
        db.session.execute(delete(SocketRoom).where(
            SocketRoom.seen_at < now - timedelta(seconds=max(30 * interval, 900))))
        _commit()
    return refreshed
