"""OpenAPI description of the bookmark routes (see ``community/api/spec.py``)."""

from ..api.spec import PAGING, add_paths, add_schemas, body, error, list_of, ok, op, param, ref

_T = "bookmarks"
_KINDS = ["post", "question", "answer", "message", "resource"]

add_schemas({"Bookmark": {"type": "object", "properties": {
    "id": {"type": "integer"}, "target_type": {"type": "string", "enum": _KINDS}, "target_id": {"type": "integer"},
    "title": {"type": "string", "description": "The thread's, question's or resource's title; a chat's community."},
    "url": {"type": "string"}, "excerpt": {"type": "string"}, "community": {"type": "string"},
    "note": {"type": "string"}, "created_at": {"type": "string", "format": "date-time"}}}})

add_paths({
    "/users/me/bookmarks": {"get": op(
        "The caller's bookmarks, newest first; an item they can no longer read (left, banned, made private, "
        "hidden, deleted) is left out. `q` finds words in the note, the title or the item's text",
        {**ok(200, list_of("Bookmark")), **error(400, 401, 422)},
        params=[param("q"), *PAGING], tag=_T)},
    "/bookmarks": {"post": op(
        "Bookmark an item the caller can read; the same item again: 200 with the bookmark, its note replaced "
        "when one is given",
        {**ok(201, ref("Bookmark")), **ok(200, ref("Bookmark"), "Bookmarked already"), **error(400, 401, 404, 422)},
        request=body({"target_type": {"type": "string", "enum": _KINDS}, "target_id": {"type": "integer"},
                      "note": {"type": ["string", "null"], "maxLength": 1000}}, ["target_type", "target_id"]),
        tag=_T)},
    "/bookmarks/{bookmark_id}": {
        "patch": op("Change a bookmark's note (its owner only; others: 404)",
                    {**ok(200, ref("Bookmark")), **error(400, 401, 404, 422)},
                    request=body({"note": {"type": ["string", "null"], "maxLength": 1000}}, ["note"]),
                    params=[param("bookmark_id", "path")], tag=_T),
        "delete": op("Remove a bookmark (its owner only; others: 404)", {**ok(204, None), **error(401, 404)},
                     params=[param("bookmark_id", "path")], tag=_T)},
})
