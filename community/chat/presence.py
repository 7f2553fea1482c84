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

import os
import secrets
import socket
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select, update

from .. import events
from ..accounts.models import User
from ..database import insert_ignore, writing
from ..extensions import db
from ..scheduler import job
from ..timeutil import utcnow
from .models import SocketRoom

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
    with writing():
        if not insert_ignore(SocketRoom, sid=sid, room=room, community_id=community_id, user_id=user_id,
                             process=process_id(), seen_at=utcnow()):
            db.session.execute(update(SocketRoom).where(SocketRoom.sid == sid, SocketRoom.room == room)
                               .values(seen_at=utcnow()))
        _commit()


def leave(sid: str, room: str | None = None) -> list[SocketRoom]:
    """Forget ``sid`` in ``room`` (every room: None); the rows removed."""
    with writing():
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
    with writing():
        for row in rows:
            db.session.execute(delete(SocketRoom).where(SocketRoom.sid == row.sid, SocketRoom.room == row.room))
        _commit()


@job("chat_presence")
def heartbeat() -> int:
    """Refresh this process's rows and drop those of processes that stopped refreshing theirs."""
    now = utcnow()
    with writing():
        refreshed = db.session.execute(update(SocketRoom).where(SocketRoom.process == process_id())
                                       .values(seen_at=now)).rowcount
        interval = float(current_app.config["SCHEDULER_INTERVAL"])
        db.session.execute(delete(SocketRoom).where(
            SocketRoom.seen_at < now - timedelta(seconds=max(30 * interval, 900))))
        _commit()
    return refreshed
