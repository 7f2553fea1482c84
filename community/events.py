"""Domain events, delivered to listeners only after the database commit.

A service records what happened (``record(MemberBanned(...))``); once the
transaction commits, every listener for that event type runs: search
indexing, notifications, live pushes, learning records. A rolled-back
transaction delivers nothing, and no capability imports another just to poke
it: the listener lives with the capability that cares.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
_listeners: dict[type, list[Callable]] = defaultdict(list)
_KEY = "community.pending_events"
_READY = "community.committed_events"


@dataclass(frozen=True)
class DomainEvent:
    """Base class; subclasses are frozen dataclasses of plain ids and values."""


def listen(event_type: type) -> Callable:
    """Decorator: call the function with each committed event of this type."""

    def register(func: Callable) -> Callable:
        if func not in _listeners[event_type]:
            _listeners[event_type].append(func)
        return func

    return register


def record(session: Session, domain_event: DomainEvent) -> None:
    """Keep ``domain_event`` until the current transaction commits (or drop it on rollback)."""
    session.connection()  # the event belongs to a transaction: begin one if none is open
    session.info.setdefault(_KEY, []).append(domain_event)


def _mark_committed(session: Session) -> None:
    # SQLAlchemy forbids SQL inside after_commit, and listeners may write
    # (a notification row), so delivery happens just after, in ``commit``.
    session.info.setdefault(_READY, []).extend(session.info.pop(_KEY, []))


def _discard(session: Session, transaction, *_args) -> None:
    if transaction.parent is None:  # the outermost transaction ended without a commit
        session.info.pop(_KEY, None)


def deliver(session: Session) -> None:
    """Run the listeners of every committed event; listeners may commit more."""
    while session.info.get(_READY):
        domain_event = session.info[_READY].pop(0)
        for event_type, funcs in list(_listeners.items()):
            if not isinstance(domain_event, event_type):
                continue
            for func in funcs:
                try:
                    func(domain_event)
                except Exception:  # one broken listener must not undo a committed write
                    log.exception("listener %s failed on %r", func.__qualname__, domain_event)
                    session.rollback()


def commit(session: Session) -> None:
    """Commit, then deliver the events recorded in the transaction."""
    session.commit()
    deliver(session)


class UndeliveredEvents(AssertionError):
    """A transaction committed events that no listener got: ``session.commit()`` was called
    where ``events.commit(session)`` belongs."""


def undelivered(session: Session) -> list[DomainEvent]:
    return list(session.info.get(_READY, ()))


def install(app=None) -> None:
    """Hook event bookkeeping into every ORM session (idempotent), and guard ``app``'s requests.

    At the end of each app context, committed events that were never
    delivered are a bug: under ``TESTING`` it fails the test loudly; in
    production they are delivered late and logged, so no notification or
    index update is lost.
    """
    if not event.contains(Session, "after_commit", _mark_committed):
        event.listen(Session, "after_commit", _mark_committed)
        event.listen(Session, "after_transaction_end", _discard)
    if app is None:
        return
    from .extensions import db

    @app.teardown_appcontext
    def _no_event_left_behind(_error=None) -> None:
        session = db.session()
        left = undelivered(session)
        if not left:
            return
        if app.testing:
            session.info.pop(_READY, None)
            raise UndeliveredEvents(f"committed but never delivered (use events.commit): {left!r}")
        log.error("delivering %d events late: %r (a commit bypassed events.commit)", len(left), left)
        deliver(session)


# The events of the foundation. Later capabilities define theirs beside their services.

@dataclass(frozen=True)
class UserRegistered(DomainEvent):
    user_id: int


@dataclass(frozen=True)
class CommunityCreated(DomainEvent):
    community_id: int
    actor_id: int


@dataclass(frozen=True)
class CommunityChanged(DomainEvent):
    community_id: int
    actor_id: int
    changes: tuple[str, ...]


@dataclass(frozen=True)
class MemberJoined(DomainEvent):
    community_id: int
    user_id: int


@dataclass(frozen=True)
class JoinRequested(DomainEvent):
    community_id: int
    user_id: int


@dataclass(frozen=True)
class MemberLeft(DomainEvent):
    community_id: int
    user_id: int


@dataclass(frozen=True)
class MembershipChanged(DomainEvent):
    """Role, state or mute changed by a moderator; ``action`` says which."""

    community_id: int
    user_id: int
    actor_id: int
    action: str  # approved, refused, banned, unbanned, muted, unmuted, role
    detail: str = ""  # role: the new role; muted: until when (ISO 8601)
    reason: str = ""  # muted, banned: why, as the moderator wrote it ("" when not given)


@dataclass(frozen=True)
class InviteCreated(DomainEvent):
    community_id: int
    actor_id: int
    invite_id: int
    expires_at: str  # ISO 8601


@dataclass(frozen=True)
class InviteRevoked(DomainEvent):
    community_id: int
    actor_id: int
    invite_id: int
