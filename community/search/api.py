"""``GET /api/v1/search``: thin, like every API door."""

from __future__ import annotations

from flask import Blueprint, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..accounts.api import user_json
from ..api import PREFIX
from ..pagination import parse_limit
from ..timeutil import iso
from ..web.errors import error_response
from . import api_docs, query  # noqa: F401  (api_docs describes the route)
from .engine import SearchUnavailable

bp = Blueprint("search_api", __name__, url_prefix=PREFIX)

UNAVAILABLE = _l("Search is being rebuilt and will be back in a moment. Please try again soon.")


def result_json(result: query.Result, authors: dict) -> dict:
    entry = result.entry
    author = None
    if entry.author is not None:
        author = authors.get(entry.author.id) or authors.setdefault(entry.author.id, user_json(entry.author))
    return {"type": entry.type, "id": entry.id, "title": entry.title, "snippet_html": result.snippet_html,
            "url": entry.url, "community": entry.community_slug, "author": author,
            "created_at": iso(entry.created_at), "score": round(result.score, 4)}


def run_search(args):
    return query.search(current_user, args.get("q"), community=args.getlist("community"),
                        types=args.getlist("type"), tags=args.getlist("tag"), authors=args.getlist("author"),
                        limit=parse_limit(args.get("limit")), cursor=args.get("cursor") or None)


@bp.get("/search")
def search():
    try:
        page = run_search(request.args)
    except SearchUnavailable:
        return error_response(503, "search_unavailable", UNAVAILABLE, headers={"Retry-After": "5"})
    authors: dict = {}
    return {"items": [result_json(r, authors) for r in page.items], "total": page.total, "next": page.next,
            "suggestion": page.suggestion}
