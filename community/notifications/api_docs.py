"""OpenAPI description of the notification routes (see ``community/api/spec.py``)."""

from ..api.spec import PAGING, add_paths, add_schemas, body, error, list_of, ok, op, param, ref

_T = "notifications"
_COUNT = {"type": "object", "properties": {"unread_count": {"type": "integer"}}}

add_schemas({
    "Notification": {"type": "object", "required": ["id", "kind", "created_at", "read", "actor", "community",
                                                    "title", "url"], "properties": {
        "id": {"type": "integer"},
        "kind": {"type": "string", "description": "`reply` (to your post), `thread_reply` (in a thread you "
                                                  "follow), `mention`, `join_request` (to moderators; read for "
                                                  "all of them once one handles it), `join_approved` and "
                                                  "`join_refused` (to the person who asked; a refusal only in "
                                                  "a community they may still read), and the kinds of other "
                                                  "capabilities: `answer`, `expert_request`, `accepted`, `flag`; "
                                                  "`follow_up` (a cohort's scheduled follow-up prompt was "
                                                  "posted), `phase_changed` (a cohort entered `follow_up`), "
                                                  "`muted` (to the muted member; `title` says where, until "
                                                  "when and why), `thread_invite` (a moderator invites you "
                                                  "into a thread)."},
        "created_at": {"type": "string", "format": "date-time"},
        "read": {"type": "boolean"},
        "actor": {"oneOf": [ref("User"), {"type": "null"}]},
        "community": {"type": ["string", "null"], "description": "The community's slug."},
        "title": {"type": "string", "description": "What it is about: a thread's title, a community's name."},
        "url": {"type": "string", "description": "Site path of the item, e.g. `/threads/7#post-42`."}}},
})

add_paths({
    "/notifications": {"get": op(
        "Your notifications, newest first; only those of communities you may still read",
        {**ok(200, list_of("Notification")), **error(401, 422)},
        params=[param("unread", description="1: only unread ones."), *PAGING], tag=_T)},
    "/notifications/unread_count": {"get": op("How many are unread", {**ok(200, _COUNT), **error(401)}, tag=_T)},
    "/notifications/read": {"post": op(
        "Mark as read: `ids` (your own; others are ignored) or `all: true`",
        {**ok(200, {"type": "object", "properties": {"marked": {"type": "integer"},
                                                     "unread_count": {"type": "integer"}}}),
         **error(400, 401, 422)}, tag=_T,
        request=body({"ids": {"type": "array", "items": {"type": "integer"}}, "all": {"type": "boolean"}}, []))},
})
