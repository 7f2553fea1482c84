"""Reading the audit log: filters checked against what the log can hold, keyset pages, newest first."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..errors import Invalid
from ..extensions import db
from ..pagination import Page, paginate
from .audit import ACTIONS
from .models import AuditEntry


@dataclass(frozen=True)
class Filters:
    actions: tuple[str, ...] = ()
    actor: str | None = None


def parse_filters(args) -> Filters:
    """``action`` (one or more, comma-separated or repeated) and ``actor`` (a username)."""
    actions = tuple(dict.fromkeys(a.strip().lower() for value in args.getlist("action")
                                  for a in value.split(",") if a.strip()))
    unknown = [a for a in actions if a not in ACTIONS]
    if unknown:
        raise Invalid({"action": str(_l("Choose from: %(actions)s.", actions=", ".join(ACTIONS)))})
    actor = (args.get("actor") or "").strip().lower() or None
    return Filters(actions, actor)


def _query(community, filters: Filters):
    stmt = select(AuditEntry).where(AuditEntry.community_id == community.id)
    if filters.actions:
        stmt = stmt.where(AuditEntry.action.in_(filters.actions))
    if filters.actor:
        stmt = stmt.where(func.lower(AuditEntry.actor_name) == filters.actor)
    return stmt


def list_entries(community, filters: Filters, *, limit: int, cursor: str | None) -> Page:
    return paginate(_query(community, filters), (AuditEntry.id,), lambda e: (e.id,), limit=limit, cursor=cursor,
                    descending=True)


def all_entries(community, filters: Filters, limit: int) -> list[AuditEntry]:
    return list(db.session.scalars(_query(community, filters).order_by(AuditEntry.id.desc()).limit(limit)))
