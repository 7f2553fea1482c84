"""OpenAPI description of the resource routes (see ``community/api/spec.py``)."""

from ..api.spec import PAGING, add_paths, add_schemas, error, list_of, ok, op, param, ref

_TIME = {"type": "string", "format": "date-time"}
_TAG = {"type": "string", "pattern": "^[a-z0-9-]{1,30}$"}
_TAGS = {"type": "array", "maxItems": 5, "items": _TAG,
         "description": "Up to 5; lowercased on the way in: `Veiligheid` becomes `veiligheid`."}
_TITLE = {"type": "string", "minLength": 3, "maxLength": 200}
_DESCRIPTION = {"type": "string", "maxLength": 20000, "description": "Markdown; required for a note (the note itself)."}
_URL = {"type": "string", "format": "uri", "maxLength": 2000, "description": "`http` or `https` only, else 422."}
_RESOURCE = param("resource_id", "path", {"type": "integer"})
_T = "resources"

add_schemas({"Resource": {"type": "object", "properties": {
    "id": {"type": "integer"}, "kind": {"type": "string", "enum": ["link", "note", "file"]},
    "title": {"type": "string"}, "description": {"type": "string"}, "description_html": {"type": "string"},
    "url": {"type": ["string", "null"], "description": "A link's address."},
    "filename": {"type": ["string", "null"], "description": "The uploader's file name, for display only."},
    "size": {"type": ["integer", "null"], "description": "A file's size in bytes."},
    "content_type": {"type": ["string", "null"],
                     "description": "A file's type, sniffed from its content (never the client's word)."},
    "searchable": {"type": "boolean",
                   "description": "False for a file whose text could not be extracted within the limits: "
                                  "found by title, description and tags only."},
    "tags": _TAGS, "author": {"oneOf": [ref("User"), {"type": "null"}]}, "created_at": _TIME,
    "community": {"type": "string", "description": "Its slug."},
    "page_url": {"type": "string", "description": "The HTML page, `/resources/{id}`."},
    "download_url": {"type": ["string", "null"], "description": "A file's download, else null."}}}})

_SHARE_BODY = {"required": True, "content": {
    "application/json": {"schema": {"type": "object", "required": ["title"], "properties": {
        "title": _TITLE, "description": _DESCRIPTION, "url": _URL, "tags": _TAGS}},
        "description": "With `url` a link, without one a note."},
    "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
        "file": {"type": "string", "format": "binary",
                 "description": "Up to `UPLOAD_MAX` bytes (default 20 MiB), else 413 `too_large`. "
                                "Text inside PDF, DOCX, Markdown and plain text is extracted for search."},
        "title": {**_TITLE, "description": "Default: the file's name."}, "description": _DESCRIPTION,
        "tags": {"type": "string", "description": "Comma-separated."}}}}}}

add_paths({
    "/communities/{slug}/resources": {
        "get": op("Resources of a community, newest first", {**ok(200, list_of("Resource")),
                                                              **error(400, 401, 404, 422)},
                  params=[param("slug", "path"), param("tag"), *PAGING], tag=_T),
        "post": op("Share a link, a note or a file (active members)",
                   {**ok(201, ref("Resource")), **error(400, 401, 403, 404, 413, 415, 422)},
                   params=[param("slug", "path")], request=_SHARE_BODY, tag=_T),
    },
    "/resources/{resource_id}": {
        "get": op("A resource", {**ok(200, ref("Resource")), **error(401, 404)}, params=[_RESOURCE], tag=_T),
        "delete": op("Delete a resource (its author or a moderator)", {**ok(204, None, "Deleted"),
                                                                      **error(401, 403, 404)},
                     params=[_RESOURCE], tag=_T),
    },
    "/resources/{resource_id}/download": {"get": op(
        "The file, as an attachment with `X-Content-Type-Options: nosniff`; never served as `text/html` or "
        "`image/svg+xml`", {"200": {"description": "The file", "content": {"application/octet-stream": {
            "schema": {"type": "string", "format": "binary"}}}}, **error(401, 404)}, params=[_RESOURCE], tag=_T)},
})
