"""The OpenAPI 3.1 document, assembled from the fragments each capability adds.

Each capability's ``api.py`` calls ``add_paths`` and ``add_schemas`` at import
time, next to the routes it describes; a test fails when an ``/api/v1`` route
has no entry here.
"""

from __future__ import annotations

from copy import deepcopy

from flask import current_app

_paths: dict = {}
_schemas: dict = {}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def list_of(name: str) -> dict:
    return {"type": "object", "required": ["items", "next"], "properties": {
        "items": {"type": "array", "items": ref(name)},
        "next": {"type": ["string", "null"], "description": "Opaque cursor of the next page."}}}


def body(schema: dict, required: list[str] | None = None) -> dict:
    if required is not None:
        schema = {"type": "object", "required": required, "properties": schema}
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def error(*statuses: int) -> dict:
    return {str(s): {"$ref": f"#/components/responses/E{s}"} for s in statuses}


def ok(status: int, schema: dict | None, description: str = "Success") -> dict:
    if schema is None:
        return {str(status): {"description": description}}
    return {str(status): {"description": description,
                          "content": {"application/json": {"schema": schema}}}}


def op(summary: str, responses: dict, *, request: dict | None = None, params: list | None = None,
       public: bool = False, tag: str | None = None) -> dict:
    operation = {"summary": summary, "responses": responses}
    if request:
        operation["requestBody"] = request
    if params:
        operation["parameters"] = params
    if public:
        operation["security"] = []
    if tag:
        operation["tags"] = [tag]
    return operation


def param(name: str, where: str = "query", schema: dict | None = None, description: str = "") -> dict:
    return {"name": name, "in": where, "required": where == "path",
            "schema": schema or {"type": "string"}, "description": description}


PAGING = [param("limit", schema={"type": "integer", "minimum": 1, "maximum": 100, "default": 20}),
          param("cursor", description="The `next` value of the previous page.")]


def add_paths(paths: dict) -> None:
    for path, operations in paths.items():
        _paths.setdefault(path, {}).update(operations)


def add_schemas(schemas: dict) -> None:
    _schemas.update(schemas)


_ERROR = {"type": "object", "required": ["error"], "properties": {"error": {
    "type": "object", "required": ["code", "message"], "properties": {
        "code": {"type": "string"}, "message": {"type": "string"},
        "fields": {"type": "object", "additionalProperties": {"type": "string"}}}}}}

_RESPONSES = {
    "E400": "Malformed JSON, wrong types (`bad_request`) or a missing CSRF header (`csrf_failed`).",
    "E401": "Not signed in (`unauthenticated`) or wrong credentials.",
    "E403": "Visible but not allowed: `forbidden`, `banned`, `muted` or `locked`.",
    "E404": "Missing, or not visible to the caller (`not_found`).",
    "E409": "Taken already (`conflict`).",
    "E413": "Too large (`too_large`).",
    "E415": "Not JSON (`unsupported_media_type`).",
    "E422": "Invalid values (`invalid`, with `fields`).",
    "E429": "Too many attempts (`rate_limited`, with `Retry-After`).",
}


def build_spec() -> dict:
    responses = {name: {"description": text, "content": {"application/json": {"schema": ref("Error")}}}
                 for name, text in _RESPONSES.items()}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Leerplein API", "version": "1",
                 "description": "The HTTP contract of Leerplein. Errors always have the `Error` shape; "
                                "lists are `{items, next}` with `limit` and `cursor`."},
        "servers": [{"url": "/api/v1"}],
        "paths": deepcopy(_paths),
        "components": {
            "schemas": {"Error": _ERROR, **deepcopy(_schemas)},
            "responses": responses,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie",
                            "name": current_app.config.get("SESSION_COOKIE_NAME", "session"),
                            "description": "Browser session; unsafe methods need `X-CSRFToken`."}},
        },
        "security": [{"bearer": []}, {"session": []}],
    }
