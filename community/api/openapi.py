"""``GET /api/v1/openapi.json``: the OpenAPI 3.1 description of every route."""

from __future__ import annotations

from flask import Blueprint

from . import PREFIX, public
from .spec import build_spec

bp = Blueprint("openapi", __name__, url_prefix=PREFIX)


@bp.get("/openapi.json")
@public
def openapi_json():
    return build_spec()
