"""``/search?q=``: the results page behind the search box in every page's header."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import login_required

from ..errors import DomainError
from .api import UNAVAILABLE, run_search
from .engine import SearchUnavailable
from .query import TYPES

bp = Blueprint("search", __name__)


@bp.get("/search")
@login_required
def results():
    q = request.args.get("q", "")
    page, problem, status = None, None, 200
    try:
        page = run_search(request.args)
    except SearchUnavailable:
        problem, status = UNAVAILABLE, 503
    except DomainError as error:
        problem, status = error.message or error.fields, 200
        if error.fields:
            problem = "; ".join(str(v) for v in error.fields.values())
    return render_template("search/results.html", q=q, page=page, problem=problem, types=TYPES,
                           chosen_type=request.args.get("type", "")), status
