"""OpenAPI description of the feed and tag-following routes (see ``community/api/spec.py``)."""

from ..api.spec import PAGING, add_paths, add_schemas, error, list_of, ok, op, param

_T = "feed"

add_schemas({"FeedItem": {"type": "object", "properties": {
    "type": {"type": "string", "enum": ["question", "thread", "resource"]}, "id": {"type": "integer"},
    "title": {"type": "string"}, "url": {"type": "string"}, "community": {"type": "string"},
    "tags": {"type": "array", "items": {"type": "string"}}, "created_at": {"type": "string", "format": "date-time"},
    "answered": {"type": ["boolean", "null"], "description": "For a question: has it an answer?"},
    "reason": {"type": "string", "enum": ["expertise", "tag", "community"],
               "description": "Why it is here: an unanswered question in your expertise, one of your tags, "
                              "one of your communities (the feed's order, first to last)."}}}})

_TAG = param("tag", "path", description="A tag: lowercase letters, digits and hyphens.")
add_paths({
    "/users/me/feed": {"get": op(
        "Questions, discussions and resources picked for the caller: unanswered questions in their expertise "
        "first, then what is on the tags they follow or are expert in, then the rest of their communities; "
        "newest and most useful first within each. Nothing from a community they cannot read, nothing hidden",
        {**ok(200, list_of("FeedItem")), **error(400, 401, 422)}, params=PAGING, tag=_T)},
    "/users/me/tags": {"get": op(
        "The tags the caller follows, and those they are an expert in",
        ok(200, {"type": "object", "properties": {
            "following": {"type": "array", "items": {"type": "string"}},
            "expertise": {"type": "array", "items": {"type": "string"}}}}) | error(401), tag=_T)},
    "/users/me/tags/{tag}": {
        "put": op("Follow a tag (again: no change)", {**ok(200, {"type": "object"}), **error(401, 422)},
                  params=[_TAG], tag=_T),
        "delete": op("Stop following a tag (not followed: no change)", {**ok(204, None), **error(401, 422)},
                     params=[_TAG], tag=_T)},
})
