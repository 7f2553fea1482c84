"""``GET /api/v1/openapi.json``: the OpenAPI 3.1 description of every route."""

from __future__ import annotations

from flask import Blueprint, current_app

from .. import idempotency
from . import PREFIX, public
from .spec import add_paths, build_spec, ok, op

add_paths({"/openapi.json": {"get": op("This document", ok(200, {"type": "object"}), public=True)}})

bp = Blueprint("openapi", __name__, url_prefix=PREFIX)


@bp.get("/openapi.json")
@public
def openapi_json():
    spec = build_spec()
    idempotency.document(spec, current_app, PREFIX)
    return spec
