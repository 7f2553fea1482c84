"""Every chat action: who may be in a room, send, delete, and read history. Typed arguments.

The doors (``sockets.py`` for Socket.IO, ``api.py`` for HTTP) parse what
arrived and call these; each asks ``community.access`` on every call, never
only once per connection, with the membership read fresh from the
database. Being in a room (reading live) follows the community's ``READ``
rule, the same rule as history over HTTP and chat hits in search; sending
follows ``WRITE`` (an active, unmuted member).

A message is committed before anyone hears of it: ``MessagePosted`` is
delivered after the commit, and the Socket.IO listener broadcasts it then.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from .. import events
from ..access import UNLOADED, Action, decide
from ..accounts.models import User
from ..communities.models import Community, Membership
from ..communities.service import find_with_membership, get_community
from ..content.checks import read_body
from ..content.context import context_query, load_context, require_author_or_moderator
from ..database import commit_keeping_loaded, fresh_write, insert_ignore
from ..errors import Forbidden, Invalid, NotFound, RateLimited
from ..extensions import db
from ..markup import render_with_mentions
from ..timeutil import utcnow
from ..validation import Fields
from .events import MessageDeleted, MessagePosted
from .models import ChatMessage, ChatRoom

HISTORY = 50        # messages a join brings along
CATCH_UP_MAX = 500  # messages one catch_up returns at most
CLIENT_ID_MAX = 100


def room_of(user, slug) -> Community:
    """The community whose chat ``user`` may read (``communities.get_community`` with READ).

    A private community's chat is never confirmed to a non-member: a missing
    slug and a closed one both give ``NotFound``; a slug that is no text is one too.
    """
    if not isinstance(slug, str) or not slug:
        raise NotFound()
    return get_community(user, slug, Action.READ)


def room_to_send(user: User, slug) -> tuple[Community, Membership | None]:
    """The community a send names, with the sender's membership: ``post_message`` decides ``WRITE`` on it.

    Call it inside the send's transaction (the socket's ``message`` event
    begins in one). No ``READ`` decision first: a refused send says
    ``not_member`` either way, for a closed community as for a missing one.
    """
    community, membership = find_with_membership(user, slug) if isinstance(slug, str) and slug else (None, None)
    if community is None:
        raise NotFound()
    return community, membership


def may_read(user, community: Community) -> bool:
    """Whether ``user`` may (still) be in ``community``'s room: asked again whenever access may have changed."""
    return decide(user, community, Action.READ).allowed


def may_send(user, community: Community) -> bool:
    return decide(user, community, Action.WRITE).allowed


def _read_client_id(fields: Fields):
    client_id = fields.text("client_id", max_len=CLIENT_ID_MAX, nullable=True)
    if isinstance(client_id, str) and client_id and not client_id.isprintable():
        fields.problem("client_id", _l("Use printable characters only."))
    return client_id or None


def _check_rate(user: User) -> None:
    """At most ``CHAT_RATE_COUNT`` messages per ``CHAT_RATE_SECONDS``, counted in the database (every process)."""
    config = current_app.config
    if not config["RATELIMIT_ENABLED"]:  # COMMUNITY_RATELIMIT=off switches every limit off
        return
    window = timedelta(seconds=config["CHAT_RATE_SECONDS"])
    since = utcnow() - window
    recent = db.session.scalars(select(ChatMessage.created_at).where(
        ChatMessage.author_id == user.id, ChatMessage.created_at > since)
        .order_by(ChatMessage.created_at.desc()).limit(config["CHAT_RATE_COUNT"])).all()
    if len(recent) >= config["CHAT_RATE_COUNT"]:
        wait = (recent[-1] + window - utcnow()).total_seconds()
        raise RateLimited(wait, _l("You are sending messages too fast. Wait a moment."))


# Built once: every send with a client_id asks it. Only the id: nearly every send is new, and
# loading a message it does not find cost as much as the insert.
_EARLIER_SEND = select(ChatMessage.id).where(ChatMessage.author_id == bindparam("author_id"),
                                             ChatMessage.client_id == bindparam("client_id"))


def _earlier_send(user: User, community: Community, client_id: str | None) -> ChatMessage | None:
    if client_id is None:
        return None
    found_id = db.session.execute(_EARLIER_SEND, {"author_id": user.id, "client_id": client_id}).scalar()
    found = None if found_id is None else db.session.get(ChatMessage, found_id)
    if found is not None and found.community_id != community.id:
        raise Invalid({"client_id": str(_l("This client_id belongs to a message in another community."))})
    return found


def post_message(user: User, community: Community, body, client_id=None,
                 membership=UNLOADED) -> tuple[ChatMessage, bool]:
    """Store a message (1 to ``CHAT_MAX`` visible characters); ``(message, created)``.

    The same ``client_id`` from the same author returns the stored message
    with ``created`` False and writes nothing, however often it is resent.
    The room row is locked before the insert, so ids follow commit order
    within the community (see ``models``). ``membership``: the sender's, read
    in this transaction (``room_to_send``); otherwise it is read here.
    """
    fields = Fields({"body": body, "client_id": client_id})
    body = read_body(fields, max_len=current_app.config["CHAT_MAX"])
    client_id = _read_client_id(fields)
    fields.check()
    try:
        with fresh_write():  # a socket event runs in the connect request's context, a GET
            message, created = _store(user, community, body, client_id, membership)
    except IntegrityError:  # the same client_id raced in from another tab: it is stored once
        db.session.rollback()
        earlier = _earlier_send(user, community, client_id)
        if earlier is None:
            raise
        return earlier, False
    # Outside the write: the listeners (the broadcast to the room) then read without the write lock.
    events.deliver(db.session)
    return message, created


def _store(user: User, community: Community, body: str, client_id: str | None,
           membership) -> tuple[ChatMessage, bool]:
    earlier = _earlier_send(user, community, client_id)
    if earlier is not None:
        db.session.rollback()
        return earlier, False
    write = decide(user, community, Action.WRITE, membership)
    if not write:
        raise Forbidden(write.message, code=write.code)
    _check_rate(user)
    room_locked = _lock_room(community)
    body_html, mentions = render_with_mentions(body)
    message = ChatMessage(community_id=community.id, author_id=user.id, body=body, body_html=body_html,
                          client_id=client_id, created_at=utcnow())
    db.session.add(message)
    db.session.flush()
    if room_locked:
        db.session.execute(update(ChatRoom).where(ChatRoom.community_id == community.id)
                           .values(last_message_id=message.id))
    events.record(db.session, MessagePosted(message.id, community.id, community.slug, user.id, community.name,
                                            tuple(mentions)))
    # Delivered by the caller, once the write lock is released; the broadcast and the ack then
    # read the message as written instead of loading it again.
    commit_keeping_loaded()
    return message, True


def _lock_room(community: Community) -> bool:
    """Hold the room's row until the commit, so ids follow commit order; False where no lock is needed.

    On SQLite the write transaction itself (``BEGIN IMMEDIATE``) already
    orders every writer of the database, so a message costs no room lock there.
    """
    if db.session.get_bind().dialect.name == "sqlite":
        return False
    lock = update(ChatRoom).where(ChatRoom.community_id == community.id).values(
        last_message_id=ChatRoom.last_message_id)  # an update that changes nothing
    if not db.session.execute(lock).rowcount:  # the room's first message: make its row, then lock it
        insert_ignore(ChatRoom, community_id=community.id, last_message_id=0)
        db.session.execute(lock)
    return True


def delete_message(user: User, message_id: int) -> ChatMessage:
    """Its author or a moderator removes a message: the row stays, without its text (see ``models``)."""
    with fresh_write():
        ctx = load_context(user, context_query(user, ChatMessage).where(
            ChatMessage.id == message_id, ChatMessage.deleted_at.is_(None)), writing=True)
        message = ctx.item
        require_author_or_moderator(user, ctx, message, _l("Only its author or a moderator may delete a message."))
        by_moderator = message.author_id != user.id
        message.body = message.body_html = ""
        message.deleted_at = utcnow()
        events.record(db.session, MessageDeleted(message.id, ctx.community.id, ctx.community.slug, user.id,
                                                 by_moderator))
        db.session.commit()
    events.deliver(db.session)
    return message


def _room_messages(community: Community):
    """The room's messages; a hidden one leaves it for everyone (its moderators review it in the flags queue)."""
    return (select(ChatMessage).where(ChatMessage.community_id == community.id, ChatMessage.deleted_at.is_(None),
                                      ChatMessage.hidden_at.is_(None))
            .options(joinedload(ChatMessage.author)))


def history(community: Community, *, before: int | None = None, limit: int = HISTORY) -> list[ChatMessage]:
    """The last ``limit`` messages (before the id ``before``), oldest first."""
    stmt = _room_messages(community)
    if before is not None:
        stmt = stmt.where(ChatMessage.id < before)
    rows = db.session.scalars(stmt.order_by(ChatMessage.id.desc()).limit(limit)).all()
    return list(reversed(rows))


def after(community: Community, message_id: int, *, limit: int = CATCH_UP_MAX,
          before: int | None = None) -> list[ChatMessage]:
    """Messages after the id ``message_id`` (and before ``before``), oldest first: what a client missed."""
    stmt = _room_messages(community).where(ChatMessage.id > message_id)
    if before is not None:
        stmt = stmt.where(ChatMessage.id < before)
    return list(db.session.scalars(stmt.order_by(ChatMessage.id).limit(limit)))


def around(community: Community, message_id: int, *, limit: int = HISTORY) -> list[ChatMessage]:
    """About ``limit`` messages with ``message_id`` in the middle: a link to an older message opens here."""
    half = limit // 2
    return history(community, before=message_id + 1, limit=half + 1) + after(community, message_id, limit=half)



def message_context(user, message_id: int):
    """A message that ``user`` may read, with its community (``ContentContext``); else ``NotFound``."""
    return load_context(user, context_query(user, ChatMessage).where(
        ChatMessage.id == message_id, ChatMessage.deleted_at.is_(None)))
