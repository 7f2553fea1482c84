"""Pushes over Socket.IO, from domain events after their commit; never from the services themselves.

A message goes to its chat room, a notification to its user's room (every
open tab), a new reply or answer to those watching its thread or question.
When access may have ended (a member banned, muted, leaving, a community
turned private), the sockets of those who may no longer read are taken out
of the community's rooms on whichever process holds them, and told so.
"""

from __future__ import annotations

import logging

from ..accounts.models import User
from ..communities.models import Community
from ..content.events import ContentHidden
from ..discussions.events import PostReplied
from ..events import CommunityChanged, MemberLeft, MembershipChanged, listen
from ..extensions import db, socketio
from ..notifications.events import NotificationCreated
from ..qa.events import AnswerPosted
from . import presence, service
from .events import MessageDeleted, MessagePosted
from .models import ChatMessage
from .payloads import message_json, public_authors
from .presence import chat_room, user_room
from .watching import room_name

log = logging.getLogger(__name__)


def _after_this_event(*emit_args, **emit_kwargs) -> None:
    """Emit once the event being handled has answered: the sender's ack does not wait behind a room's broadcast.

    Under gevent one greenlet sends every broadcast, in the order they were
    made: it lets other greenlets run while it writes to a large room
    (``websocket.FANOUT_CHUNK``), and a second broadcast started meanwhile
    must not overtake the first on any connection. With plain threads
    (tests, the CLI) they go out at once.
    """
    if socketio.async_mode == "gevent":
        _broadcasts().put((emit_args, emit_kwargs))
    else:
        socketio.emit(*emit_args, **emit_kwargs)


_queue = None


def _broadcasts():
    global _queue
    if _queue is None:
        from gevent.queue import SimpleQueue

        _queue = SimpleQueue()
        socketio.start_background_task(_broadcast_forever, _queue)
    return _queue


def _broadcast_forever(queue) -> None:
    while True:
        emit_args, emit_kwargs = queue.get()
        try:
            socketio.emit(*emit_args, **emit_kwargs)
        except Exception:  # one failed broadcast must not stop the ones after it
            log.exception("broadcast %s failed", emit_args[:1])


@listen(MessagePosted)
def push_message(event: MessagePosted) -> None:
    """To the room. The author's expertise as anyone may see it: the room's readers differ in what else they read."""
    message = db.session.get(ChatMessage, event.message_id)
    if message is not None:
        payload = message_json(message, event.community_slug, public_authors())
        _after_this_event("message", payload, to=chat_room(event.community_id))


@listen(MessageDeleted)
def push_deletion(event: MessageDeleted) -> None:
    _after_this_event("message_deleted", {"id": event.message_id, "community": event.community_slug},
                  to=chat_room(event.community_id))


@listen(ContentHidden)
def push_hidden(event: ContentHidden) -> None:
    """A hidden message leaves every open chat at once, as a deleted one does; a reload brings an unhidden one back."""
    if event.target_type == "message" and event.hidden:
        community = db.session.get(Community, event.community_id)
        if community is not None:
            _after_this_event("message_deleted", {"id": event.target_id, "community": community.slug},
                              to=chat_room(event.community_id))


@listen(NotificationCreated)
def push_notification(event: NotificationCreated) -> None:
    from ..notifications.api import notification_json
    from ..notifications.models import Notification

    notification = db.session.get(Notification, event.notification_id)
    if notification is not None:
        socketio.emit("notification", notification_json(notification, pushed=True), to=user_room(event.user_id))


@listen(PostReplied)
def push_reply(event: PostReplied) -> None:
    socketio.emit("thread_post", {"thread_id": event.thread_id, "id": event.post_id},
                  to=room_name("thread", event.thread_id))


@listen(AnswerPosted)
def push_answer(event: AnswerPosted) -> None:
    socketio.emit("answer", {"question_id": event.question_id, "id": event.answer_id},
                  to=room_name("question", event.question_id))


@listen(MembershipChanged)
@listen(MemberLeft)
def recheck_member(event) -> None:
    recheck(event.community_id, event.user_id)


@listen(CommunityChanged)
def recheck_community(event: CommunityChanged) -> None:
    recheck(event.community_id)


def recheck(community_id: int, user_id: int | None = None) -> int:
    """Take out of ``community_id``'s rooms every socket whose user may no longer read it; how many."""
    community = db.session.get(Community, community_id)
    rows = presence.sockets_in(community_id, user_id)
    if community is None or not rows:
        return 0
    users = {u.id: u for u in db.session.query(User).filter(User.id.in_({r.user_id for r in rows}))}
    gone = [row for row in rows if not service.may_read(users.get(row.user_id), community)]
    if not gone:
        return 0
    presence.remove(gone)
    for row in gone:
        socketio.server.leave_room(row.sid, row.room, namespace="/")
    for sid in {row.sid for row in gone}:
        socketio.emit("left", {"community": community.slug, "reason": "no_access"}, to=sid)
    room = chat_room(community_id)
    if any(row.room == room for row in gone):
        presence.changed(room, community_id)
    return len(gone)
