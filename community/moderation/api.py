"""Flags (``POST /flags``, the queue, resolving) and the moderation log (``GET /communities/{slug}/audit``).

Thin like every API door: requests are read here, the work is done by
``flags`` and the log is read by ``reading``. ``?format=csv`` is the export, every matching entry (up to
``CSV_MAX``), newest first, as an attachment.
"""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, request
from flask_login import current_user

from ..access import Action
from ..api import PREFIX, json_body, list_args, page_json
from ..communities import service as communities
from ..content.authors import Authors
from ..idempotency import idempotent
from ..timeutil import iso
from . import api_docs, flags, reading  # noqa: F401  (api_docs describes the routes)

bp = Blueprint("moderation_api", __name__, url_prefix=PREFIX)
CSV_MAX = 100_000
CSV_COLUMNS = ("id", "created_at", "actor", "action", "target_type", "target_id", "target", "detail", "reason")


def entry_json(entry) -> dict:
    return {"id": entry.id, "action": entry.action, "actor": entry.actor_name,
            "target": {"type": entry.target_type, "id": entry.target_id, "label": entry.target_label},
            "detail": entry.detail, "reason": entry.reason, "created_at": iso(entry.created_at)}


def _cell(value) -> str:
    """A CSV cell that a spreadsheet shows as text: one starting with = + - @ would be run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv(entries, slug: str) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for e in entries:
        writer.writerow([_cell(v) for v in (e.id, iso(e.created_at), e.actor_name, e.action, e.target_type,
                                            e.target_id, e.target_label, e.detail, e.reason)])
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="audit-{slug}.csv"', "X-Content-Type-Options": "nosniff"})


@bp.get("/communities/<slug>/audit")
def audit_log(slug: str):
    community = communities.get_community(current_user, slug, Action.MODERATE)
    filters = reading.parse_filters(request.args)
    if request.args.get("format") == "csv":
        return _csv(reading.all_entries(community, filters, CSV_MAX), community.slug)
    return page_json(reading.list_entries(community, filters, **list_args()), entry_json)


def flag_json(flag, *, reason: str | None = None) -> dict:
    """The contract's flag; ``reason`` is the first one given unless the caller's own is passed."""
    return {"id": flag.id, "target_type": flag.target_type, "target_id": flag.target_id,
            "reason": flag.reason if reason is None else reason, "state": flag.state, "count": flag.count,
            "created_at": iso(flag.created_at)}


def queue_json(item: flags.QueueItem, authors: Authors) -> dict:
    """For the queue: the item as it stands, and who flagged it with what reason."""
    flag, target = item.flag, item.target
    return {**flag_json(flag), "flagged_at": iso(flag.flagged_at), "resolved_at": iso(flag.resolved_at),
            "target": None if target is None else {
                "label": target.label, "url": target.url, "excerpt": target.excerpt, "author": authors(item.author),
                "hidden": target.item.hidden_at is not None, "created_at": iso(target.created_at)},
            "reports": [{"user": authors(user), "reason": r.reason, "created_at": iso(r.created_at)}
                        for r, user in item.reports]}


def _one(flag) -> dict:
    return queue_json(flags.queue_items([flag])[0], Authors())


@bp.post("/flags")
@idempotent
def raise_flag():
    target_type, target_id, reason = flags.read_flag_request(json_body())
    flag, new = flags.raise_flag(current_user, target_type, target_id, reason)
    return flag_json(flag, reason=flags.my_reason(flag, current_user)), 201 if new else 200


@bp.get("/communities/<slug>/flags")
def list_flags(slug: str):
    community = communities.get_community(current_user, slug, Action.MODERATE)
    page = flags.list_flags(community, state=request.args.get("state") or None, **list_args())
    authors = Authors()
    page.items = flags.queue_items(page.items)
    return page_json(page, lambda item: queue_json(item, authors))


@bp.get("/flags/<int:flag_id>")
def show_flag(flag_id: int):
    return _one(flags.get_flag(current_user, flag_id))


@bp.post("/flags/<int:flag_id>/resolve")
def resolve_flag(flag_id: int):
    action, reason = flags.read_resolution(json_body())
    return _one(flags.resolve(current_user, flag_id, action, reason))
