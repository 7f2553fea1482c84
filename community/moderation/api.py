"""``GET /communities/{slug}/audit``: the community's moderation log, for its moderators; also as CSV.

Thin like every API door: the filters are checked here, the log is read by
``reading``. ``?format=csv`` is the export, every matching entry (up to
``CSV_MAX``), newest first, as an attachment.
"""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, request
from flask_login import current_user

from ..access import Action
from ..api import PREFIX, list_args, page_json
from ..communities import service as communities
from ..timeutil import iso
from . import api_docs, reading  # noqa: F401  (api_docs describes the route)

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
