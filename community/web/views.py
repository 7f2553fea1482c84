"""The home page, the language switch, the health check, and what every page's
templates can use (navigation, languages, Markdown)."""

from __future__ import annotations

from functools import lru_cache

from flask import (
    Blueprint,
    abort,
    current_app,
    has_request_context,
    jsonify,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from ..access import may_create_community
from ..accounts import service as accounts
from ..communities import service as communities
from ..markup import render_markdown, render_plain_snippet
from . import dates
from .pages import focus_first_problem, redirect_back
from .tabs import home_sections

bp = Blueprint("web", __name__)

# Language names are shown in their own language, so everyone finds theirs.
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}
LIST_SIZE = 20


@bp.app_context_processor
def page_context() -> dict:
    if not has_request_context():
        return {}  # e.g. a template rendered for an email: no visitor, no navigation
    signed_in = current_user.is_authenticated
    return {
        "may_create_community": signed_in and may_create_community(current_user),
        "page_locale": str(get_locale()),
        "languages": [(code, LANGUAGE_NAMES.get(code, code)) for code in current_app.config["LANGUAGES"]],
        "here": request.full_path.rstrip("?"),
        # Defaults for every form page; a view's own values win.
        "values": {},
        "errors": {},
        "form_error": None,
    }


# For the form macros, which are imported without the page's context.
bp.add_app_template_global(focus_first_problem)
# The site's one way of writing dates and times (web/dates.py): {{ x|day }}, {{ x|moment }}.
bp.add_app_template_filter(dates.day, "day")
bp.add_app_template_filter(dates.moment, "moment")
bp.add_app_template_filter(dates.duration, "duration")


# Community descriptions are rendered on every card and header but change
# rarely; both functions are pure, so a bounded cache saves ~1 ms a card.
_render_cached = lru_cache(maxsize=2048)(render_markdown)
_snippet_cached = lru_cache(maxsize=2048)(render_plain_snippet)


@bp.app_template_filter("markdown")
def markdown_filter(text: str | None) -> Markup:
    """User Markdown, rendered and sanitized by ``community.markup``."""
    return Markup(_render_cached(text or ""))


@bp.app_template_filter("snippet")
def snippet_filter(text: str | None, length: int = 200) -> str:
    """The start of some Markdown as plain text, for cards and previews."""
    return _snippet_cached(text or "", length)


@bp.get("/")
def index():
    """Signed in: your communities and others to discover, or search results. Else a welcome."""
    if not current_user.is_authenticated:
        return render_template("welcome.html")
    q = (request.args.get("q") or "").strip()
    cursor = request.args.get("cursor") or None
    mine_cursor = request.args.get("mine_cursor") or None
    mine = discover = results = None
    if q:
        results = communities.list_communities(current_user, q=q, limit=LIST_SIZE, cursor=cursor)
    else:
        if not cursor:
            mine = communities.list_communities(current_user, mine=True, limit=LIST_SIZE,
                                                cursor=mine_cursor)
        if not mine_cursor:
            discover = communities.list_communities(current_user, exclude_mine=True, limit=LIST_SIZE,
                                                    cursor=cursor)
    sections = [] if q or cursor or mine_cursor else [
        (section, section.context(current_user)) for section in home_sections()]
    return render_template("index.html", q=q, mine=mine, discover=discover, results=results,
                           paged=bool(cursor or mine_cursor), sections=sections)


@bp.post("/language")
def set_language():
    """The footer's language switch: kept in the session, and in the profile when signed in."""
    locale = request.form.get("locale", "")
    if locale not in current_app.config["LANGUAGES"]:
        abort(400)
    session["locale"] = locale
    if current_user.is_authenticated:
        accounts.update_profile(current_user, {"locale": locale}, from_form=True)
    return redirect_back(url_for("web.index"))


@bp.get("/healthz")
def healthz():
    from ..health import report

    body, status = report()
    return jsonify(body), status
