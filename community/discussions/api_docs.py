"""OpenAPI description of the discussion routes (see ``community/api/spec.py``)."""

from ..api.spec import PAGING, add_paths, add_schemas, body, error, list_of, ok, op, param, ref

_TIME = {"type": "string", "format": "date-time"}
_MAYBE_TIME = {"type": ["string", "null"], "format": "date-time"}
_TAGS = {"type": "array", "maxItems": 5, "items": {"type": "string", "pattern": "^[a-z0-9-]{1,30}$"},
         "description": "Lowercased on the way in: `Veiligheid` becomes `veiligheid`."}
_BODY = {"type": "string", "minLength": 1, "maxLength": 20000, "description": "Markdown."}
_TITLE = {"type": "string", "minLength": 3, "maxLength": 200}
_REACTIONS = {"type": "object", "additionalProperties": {"type": "integer"},
              "description": "Count per emoji, in the configured order."}
_MINE = {"type": "array", "items": {"type": "string"}}
_SLUG = param("slug", "path")
_THREAD = param("thread_id", "path", {"type": "integer"})
_POST = param("post_id", "path", {"type": "integer"})
_T = "discussions"

_SUMMARY = {
    "id": {"type": "integer"}, "title": {"type": "string"}, "author": {"oneOf": [ref("User"), {"type": "null"}]},
    "tags": _TAGS, "pinned": {"type": "boolean"}, "locked": {"type": "boolean"},
    "reply_count": {"type": "integer", "description": "Replies not deleted; the first post is not counted."},
    "last_activity_at": _TIME, "created_at": _TIME, "community": {"type": "string", "description": "Its slug."},
    "url": {"type": "string", "description": "The thread's HTML page."},
}

add_schemas({
    "ThreadSummary": {"type": "object", "properties": _SUMMARY},
    "Post": {"type": "object", "properties": {
        "id": {"type": "integer"}, "thread_id": {"type": "integer"},
        "parent_id": {"type": ["integer", "null"], "description": "Null for the thread's first post."},
        "depth": {"type": "integer", "description": "0 for the first post."},
        "author": {"oneOf": [ref("User"), {"type": "null"}], "description": "Null once deleted."},
        "body": {"type": "string", "description": "Markdown as written; empty once deleted."},
        "body_html": {"type": "string", "description": "Rendered and sanitized; empty once deleted."},
        "created_at": _TIME, "edited_at": _MAYBE_TIME, "deleted": {"type": "boolean"},
        "reactions": _REACTIONS, "my_reactions": _MINE,
        "url": {"type": "string", "description": "`/threads/{id}#post-{post_id}`"}}},
    "Thread": {"type": "object", "properties": {
        **_SUMMARY, "following": {"type": "boolean"},
        "posts": {"type": "array", "items": ref("Post"),
                  "description": "Every post, flat, in tree order (depth-first, siblings oldest first)."}}},
    "ThreadChanged": {"type": "object", "properties": {**_SUMMARY, "following": {"type": "boolean"}}},
    "Revision": {"type": "object", "properties": {
        "id": {"type": "integer"}, "post_id": {"type": "integer"},
        "editor": {"oneOf": [ref("User"), {"type": "null"}], "description": "Who wrote this version."},
        "body": {"type": "string"}, "body_html": {"type": "string"},
        "created_at": {**_TIME, "description": "When this version was written."},
        "replaced_at": {**_TIME, "description": "When it was replaced by an edit or the deletion."}}},
    "Reactions": {**_REACTIONS, "description": "The post's reaction counts by emoji (its `reactions`)."},
})

add_paths({
    "/communities/{slug}/threads": {
        "get": op("Threads: pinned first, then by last activity", {**ok(200, list_of("ThreadSummary")),
                                                                 **error(401, 404, 422)},
                  params=[_SLUG, param("tag"), *PAGING], tag=_T),
        "post": op("Start a thread (active members)", {**ok(201, ref("Thread")), **error(400, 401, 403, 404, 422)},
                   params=[_SLUG], tag=_T,
                   request=body({"title": _TITLE, "body": _BODY, "tags": _TAGS}, ["title", "body"])),
    },
    "/threads/{thread_id}": {
        "get": op("A thread with all its posts in tree order", {**ok(200, ref("Thread")), **error(401, 404)},
                  params=[_THREAD], tag=_T),
        "patch": op("Title and tags (author or moderator); pinned and locked (moderators)",
                    {**ok(200, ref("ThreadChanged")), **error(400, 401, 403, 404, 422)}, params=[_THREAD], tag=_T,
                    request=body({"title": _TITLE, "tags": _TAGS, "pinned": {"type": "boolean"},
                                  "locked": {"type": "boolean"}}, [])),
    },
    "/threads/{thread_id}/posts": {"post": op(
        "Reply to the thread, or to `parent_id`; 403 `locked` on a locked thread except for moderators",
        {**ok(201, ref("Post")), **error(400, 401, 403, 404, 422)}, params=[_THREAD], tag=_T,
        request=body({"body": _BODY, "parent_id": {"type": ["integer", "null"]}}, ["body"]))},
    "/threads/{thread_id}/follow": {
        "post": op("Follow: be notified of every reply", {**ok(200, {"type": "object", "properties": {
            "following": {"type": "boolean"}}}), **error(401, 404)}, params=[_THREAD], tag=_T),
        "delete": op("Stop following", {**ok(200, {"type": "object", "properties": {
            "following": {"type": "boolean"}}}), **error(401, 404)}, params=[_THREAD], tag=_T),
    },
    "/posts/{post_id}": {
        "get": op("One post", {**ok(200, ref("Post")), **error(401, 404)}, params=[_POST], tag=_T),
        "patch": op("Edit (author or moderator); the earlier version is kept",
                    {**ok(200, ref("Post")), **error(400, 401, 403, 404, 422)}, params=[_POST], tag=_T,
                    request=body({"body": _BODY}, ["body"])),
        "delete": op("Soft delete (author or moderator): stays in the tree, empty",
                     {**ok(204, None), **error(401, 403, 404)}, params=[_POST], tag=_T),
    },
    "/posts/{post_id}/revisions": {"get": op(
        "Earlier versions, newest first (the author and moderators)",
        {**ok(200, list_of("Revision")), **error(401, 403, 404)}, params=[_POST, *PAGING], tag=_T)},
    "/posts/{post_id}/reactions": {
        "post": op("React with one of the configured emoji; idempotent", {**ok(200, ref("Reactions")),
                                                                         **error(400, 401, 403, 404, 422)},
                   params=[_POST], tag=_T, request=body({"emoji": {"type": "string"}}, ["emoji"])),
        "delete": op("Remove your reaction", {**ok(200, ref("Reactions")), **error(401, 403, 404, 422)},
                     params=[_POST, param("emoji")], tag=_T),
    },
    "/preview": {"post": op(
        "Render Markdown as a post would be, storing nothing",
        {**ok(200, {"type": "object", "properties": {"body_html": {"type": "string"}}}), **error(400, 401, 422)},
        tag=_T, request=body({"body": {"type": "string", "maxLength": 20000}}, ["body"]))},
})
