"""Flags: any reader flags an item once, with a reason; its moderators dismiss the flag or hide the item.

One ``Flag`` per item is its queue entry, however many people flag it
(``count``); each person's flag is a ``FlagReport``, so a second flag by
the same person changes nothing. Someone new flagging a dismissed item
opens its flag again. ``FlagRaised`` (after the commit) tells the
moderators; hiding goes through ``hiding.set_hidden``, whose event the
search index, the audit log and the chat room follow.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import events
from ..access import Action, require
from ..accounts.models import User
from ..communities.models import Community
from ..content import targets
from ..errors import Conflict, NotFound
from ..events import DomainEvent
from ..extensions import db
from ..pagination import Page, paginate
from ..timeutil import utcnow
from ..validation import MISSING, Fields
from . import hiding
from .models import FLAG_STATES, FLAG_TARGETS, Flag, FlagReport

REASON_MAX = 500
RESOLUTIONS = ("dismiss", "hide", "unhide")


@dataclass(frozen=True)
class FlagRaised(DomainEvent):
    """A flag opened (first flagged, or flagged again after a dismissal): its community's moderators hear of it."""

    flag_id: int
    community_id: int
    community_slug: str
    actor_id: int
    target_type: str
    label: str


@dataclass(frozen=True)
class FlagDismissed(DomainEvent):
    flag_id: int
    community_id: int
    actor_id: int
    target_type: str
    target_id: int
    label: str
    reason: str = ""


def read_flag_request(data: dict) -> tuple[str, int, str]:
    fields = Fields(data)
    target_type = fields.choice("target_type", FLAG_TARGETS, required=True)
    target_id = fields.integer("target_id", required=True, minimum=1)
    reason = fields.text("reason", required=True, min_len=1, max_len=REASON_MAX, multiline=True)
    fields.check()
    return target_type, target_id, reason


def _find(target_type: str, target_id: int) -> Flag | None:
    return db.session.scalar(select(Flag).where(Flag.target_type == target_type, Flag.target_id == target_id))


def _open_or_join(user, target: targets.Target, reason: str) -> tuple[Flag, bool]:
    """The item's flag with ``user``'s report on it; True if the report is new."""
    flag = _find(target.type, target.item.id)
    if flag is None:
        try:
            with db.session.begin_nested():
                flag = Flag(community_id=target.community.id, target_type=target.type, target_id=target.item.id,
                            reason=reason, count=0, state="open")
                db.session.add(flag)
        except IntegrityError:  # someone else flagged it first, a moment ago: join theirs
            flag = _find(target.type, target.item.id)
    if db.session.get(FlagReport, (flag.id, user.id)) is not None:
        return flag, False
    db.session.add(FlagReport(flag_id=flag.id, user_id=user.id, reason=reason))
    return flag, True


def raise_flag(user, target_type: str, target_id: int, reason: str) -> tuple[Flag, bool]:
    """Flag an item ``user`` may read (else ``NotFound``); True if this is their first flag of it."""
    target = targets.load(user, target_type, target_id)
    flag, new = _open_or_join(user, target, reason)
    if not new:
        return flag, False
    opened = flag.count == 0 or flag.state == "dismissed"
    flag.count += 1
    flag.flagged_at = utcnow()
    if flag.state == "dismissed":
        flag.state, flag.resolved_at, flag.resolved_by_id = "open", None, None
    if opened:
        db.session.flush()
        events.record(db.session, FlagRaised(flag.id, target.community.id, target.community.slug, user.id,
                                             target.type, target.label))
    events.commit(db.session)
    return flag, True


def my_reason(flag: Flag, user) -> str:
    report = db.session.get(FlagReport, (flag.id, user.id))
    return report.reason if report is not None else ""


REPORTS_SHOWN = 20


@dataclass
class QueueItem:
    """A flag as its moderators see it: the item as it stands (None once deleted), its author, and who
    flagged it with what reason (``(FlagReport, User or None)``, oldest first)."""

    flag: Flag
    target: targets.Target | None
    author: User | None
    reports: list[tuple[FlagReport, User | None]]


def queue_items(page_flags: list[Flag]) -> list[QueueItem]:
    """The queue's entries for a page of flags (the API's and the Flags tab's): the reports and the
    people they name read in one query each for the whole page, not per flag."""
    by_flag: dict[int, list[FlagReport]] = defaultdict(list)
    for report in db.session.scalars(select(FlagReport).where(FlagReport.flag_id.in_([f.id for f in page_flags]))
                                     .order_by(FlagReport.created_at, FlagReport.user_id)):
        by_flag[report.flag_id].append(report)
    found = [(flag, targets.describe(flag.target_type, flag.target_id)) for flag in page_flags]
    people = {r.user_id for reports in by_flag.values() for r in reports}
    people |= {target.author_id for _flag, target in found if target is not None and target.author_id}
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(people)))} if people else {}
    return [QueueItem(flag, target, users.get(target.author_id) if target else None,
                      [(r, users.get(r.user_id)) for r in by_flag[flag.id][:REPORTS_SHOWN]])
            for flag, target in found]


def list_flags(community, *, state: str | None, limit: int, cursor: str | None) -> Page:
    """The community's flags, newest first; ``state`` one of ``FLAG_STATES`` (None: all). The caller moderates."""
    if state is not None and state not in FLAG_STATES:
        fields = Fields({"state": state})
        fields.choice("state", FLAG_STATES)
        fields.check()
    stmt = select(Flag).where(Flag.community_id == community.id)
    if state:
        stmt = stmt.where(Flag.state == state)
    return paginate(stmt, (Flag.id,), lambda f: (f.id,), limit=limit, cursor=cursor, descending=True)


def community_of(flag: Flag) -> Community:
    return db.session.get(Community, flag.community_id)


def get_flag(user, flag_id: int) -> Flag:
    """A flag for one of its community's moderators; else ``NotFound`` or ``Forbidden`` as ``access`` decides."""
    flag = db.session.get(Flag, flag_id)
    if flag is None:
        raise NotFound()
    require(user, community_of(flag), Action.MODERATE)
    return flag


def read_resolution(data: dict) -> tuple[str, str]:
    fields = Fields(data)
    action = fields.choice("action", RESOLUTIONS, required=True)
    reason = fields.text("reason", max_len=REASON_MAX, multiline=True)
    fields.check()
    return action, "" if reason is MISSING else reason


def resolve(user, flag_id: int, action: str, reason: str = "") -> Flag:
    """``dismiss`` (the item stays, or is shown again), ``hide``, or ``unhide`` (the same as dismissing)."""
    flag = get_flag(user, flag_id)
    target = targets.describe(flag.target_type, flag.target_id)
    if target is None and action == "hide":
        raise Conflict(_l("This item has been deleted; there is nothing to hide."))
    hide = action == "hide"
    changed = target is not None and hiding.set_hidden(user, target, hide, reason)
    if not changed and flag.state == ("hidden" if hide else "dismissed"):
        return flag  # resolved so already: the same action again changes nothing
    flag.state = "hidden" if hide else "dismissed"
    flag.resolved_at, flag.resolved_by_id = utcnow(), user.id
    if not hide and not changed:  # showing it again is logged as "unhidden" by its own event
        events.record(db.session, FlagDismissed(flag.id, flag.community_id, user.id, flag.target_type,
                                                flag.target_id, target.label if target else "", reason))
    events.commit(db.session)
    return flag
