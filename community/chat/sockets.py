"""Socket.IO handlers on the default namespace: thin doors onto ``service`` and ``presence``.

A connection authenticates once at connect (the session cookie, or
``auth: {"token": ...}``) and again on every event: a revoked token or an
ended browser session stops working at its next event, and the socket is
disconnected. Every join, send, typing and catch-up asks ``service`` (and
so ``community.access``) again. Each handler's return value is the
client's ack: ``{"ok": true, ...}`` or ``{"ok": false, "error": code}``.
"""

from __future__ import annotations

import logging
import time
from functools import wraps

from flask import current_app, request, session
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, emit, join_room, leave_room, rooms

from ..accounts import service as accounts
from ..accounts.sessions import load_user
from ..communities.service import find_community
from ..database import writing
from ..errors import DomainError, Invalid, RateLimited
from ..extensions import db, socketio
from ..scheduler import job
from ..validation import DB_INT_MAX
from . import presence, service, watching
from .payloads import message_json, messages_json
from .presence import chat_room, user_room

log = logging.getLogger(__name__)
_tokens: dict[str, str] = {}  # sid -> the Bearer token it connected with (this process's sockets)
_sessions: dict[str, str] = {}  # sid -> the browser session's identity it connected with

#: What a refusal's code becomes in a send's ack (the contract's list); others pass unchanged.
SEND_ERRORS = {"forbidden": "not_member", "not_found": "not_member", "unauthenticated": "not_member",
               "bad_request": "invalid"}
JOIN_ERRORS = {"forbidden": "not_member", "bad_request": "invalid"}


def _caller():
    """The user behind this socket now, or None once its token or session has ended."""
    token = _tokens.get(request.sid)
    if token is not None:
        found = accounts.user_for_token(token)
        return found[0] if found else None
    return current_user._get_current_object() if current_user.is_authenticated else None


def _shut_out(sid: str, *, after_ack: bool = False) -> None:
    """Out of every room at once, then disconnected (``after_ack``: once the event's ack has gone out)."""
    for room_name in socketio.server.rooms(sid, namespace="/"):
        if room_name != sid:
            socketio.server.leave_room(sid, room_name, namespace="/")
    presence.leave(sid)
    if after_ack:
        socketio.start_background_task(_disconnect_soon, sid)
    else:
        socketio.server.disconnect(sid, namespace="/")


def _disconnect_soon(sid: str) -> None:
    socketio.sleep(0.2)
    socketio.server.disconnect(sid, namespace="/")


def _refusal(error: DomainError, errors: dict) -> dict:
    ack = {"ok": False, "error": errors.get(error.code, error.code), "message": str(error)}
    if isinstance(error, Invalid):
        ack["fields"] = error.fields
    if isinstance(error, RateLimited):
        ack["retry_after"] = error.retry_after
    return ack


class _Bucket:
    """Events one socket may send: ``EVENTS_PER_SECOND`` on average, bursts up to ``EVENT_BURST``.

    Every event costs a look at the caller and a database query or more; a
    client in a loop (a bug or an attack) is answered ``rate_limited``
    before any of that, and its connection keeps working once it slows down.
    """

    def __init__(self):
        self.tokens, self.at = float(EVENT_BURST), time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(EVENT_BURST, self.tokens + (now - self.at) * EVENTS_PER_SECOND)
        self.at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


EVENTS_PER_SECOND = 10
EVENT_BURST = 40
_buckets: dict[str, _Bucket] = {}


def handler(event: str, errors: dict = JOIN_ERRORS, *, writes: bool = False):
    """Register ``func(user, data)`` for ``event``: the caller checked, refusals turned into acks.

    ``writes``: the event begins in a writing transaction, so the caller's
    check, the access decision and the write are one transaction (a send:
    one ``BEGIN IMMEDIATE`` and one ``COMMIT``, not a read transaction ended
    before the write began); what runs after its commit reads as usual.
    """

    def register(func):
        @wraps(func)
        def run(data=None):
            limited = current_app.config["RATELIMIT_ENABLED"]  # COMMUNITY_RATELIMIT=off: every limit off
            if limited and not _buckets.setdefault(request.sid, _Bucket()).take():
                return {"ok": False, "error": "rate_limited", "retry_after": 1}
            try:
                if writes:
                    with writing():
                        db.session.connection()  # begins the transaction now; it outlasts the declaration
                user = _caller()
                if user is None:
                    _shut_out(request.sid, after_ack=True)
                    return {"ok": False, "error": "unauthenticated"}
                if not isinstance(data, dict):
                    return {"ok": False, "error": "invalid", "message": "Send an object."}
                return func(user, data)
            except DomainError as error:
                db.session.rollback()
                return _refusal(error, errors)
            except Exception:
                db.session.rollback()
                log.exception("socket event %s failed", event)
                return {"ok": False, "error": "server_error"}

        socketio.on_event(event, run)
        return run

    return register


@socketio.on("connect")
def on_connect(auth=None):
    token = auth.get("token") if isinstance(auth, dict) else None
    if isinstance(token, str) and token:
        found = accounts.user_for_token(token)
        if found is None:
            raise ConnectionRefusedError("unauthenticated")
        _tokens[request.sid] = token
        user = found[0]
    elif current_user.is_authenticated:
        user = current_user
        _sessions[request.sid] = session.get("_user_id", "")
    else:
        raise ConnectionRefusedError("unauthenticated")
    join_room(user_room(user.id))


@job("chat_credentials")
def shut_out_ended_credentials() -> int:
    """Sockets whose token was revoked or whose browser session ended (signed out elsewhere) stop listening.

    Each event checks its caller anyway; this reaches the sockets that only
    listen, within one scheduler interval.
    """
    ended = [sid for sid, token in list(_tokens.items()) if accounts.user_for_token(token) is None]
    ended += [sid for sid, identity in list(_sessions.items()) if load_user(identity) is None]
    for sid in ended:
        _shut_out(sid)
    return len(ended)


@socketio.on("disconnect")
def on_disconnect(*_reason):
    _tokens.pop(request.sid, None)
    _sessions.pop(request.sid, None)
    _buckets.pop(request.sid, None)
    try:
        for row in presence.leave(request.sid):
            if row.room.startswith("chat:"):
                presence.changed(row.room, row.community_id)
    except Exception:
        db.session.rollback()
        log.exception("forgetting socket %s failed", request.sid)


@handler("join")
def on_join(user, data):
    community = service.room_of(user, data.get("community"))
    room = chat_room(community.id)
    join_room(room)
    presence.enter(request.sid, room, community.id, user.id)
    presence.changed(room, community.id)
    return {"ok": True, "history": messages_json(service.history(community), community.slug),
            "online": presence.online(room)}


@handler("leave")
def on_leave(user, data):
    community = find_community(data.get("community")) if isinstance(data.get("community"), str) else None
    room = chat_room(community.id) if community is not None else None
    if room is not None and room in rooms():
        leave_room(room)
        presence.leave(request.sid, room)
        presence.changed(room, community.id)
    return {"ok": True}


@handler("message", SEND_ERRORS, writes=True)
def on_message(user, data):
    community, membership = service.room_to_send(user, data.get("community"))
    message, _created = service.post_message(user, community, data.get("body"), data.get("client_id"), membership)
    return {"ok": True, "message": message_json(message, community.slug)}


@handler("typing")
def on_typing(user, data):
    community = service.room_of(user, data.get("community"))
    room = chat_room(community.id)
    if room in rooms() and service.may_send(user, community):
        emit("typing", {"community": community.slug, "username": user.username}, to=room, include_self=False)
    return None


@handler("catch_up")
def on_catch_up(user, data):
    community = service.room_of(user, data.get("community"))
    after = data.get("after", 0)
    if type(after) is not int or not 0 <= after <= DB_INT_MAX:
        raise Invalid({"after": "Give the id of the last message you have, or 0."})
    return {"ok": True, "messages": messages_json(service.after(community, after), community.slug)}


@handler("watch")
def on_watch(user, data):
    """See new replies or answers live: ``{"thread": id}`` or ``{"question": id}``."""
    room, community_id = watching.room_for(user, data)
    join_room(room)
    presence.enter(request.sid, room, community_id, user.id)
    return {"ok": True}


@handler("unwatch")
def on_unwatch(user, data):
    room, _community_id = watching.room_for(user, data)
    leave_room(room)
    presence.leave(request.sid, room)
    return {"ok": True}
