"""OpenAPI description of the moderation routes (see ``community/api/spec.py``)."""

from ..api.spec import PAGING, add_paths, add_schemas, body, error, list_of, ok, op, param, ref
from .audit import ACTIONS

_T = "moderation"

add_schemas({"AuditEntry": {"type": "object", "properties": {
    "id": {"type": "integer"}, "action": {"type": "string", "enum": list(ACTIONS)},
    "actor": {"type": ["string", "null"], "description": "The moderator's username at the time."},
    "target": {"type": "object", "properties": {
        "type": {"type": "string", "enum": ["user", "thread", "post", "message", "resource", "invite", "community"]},
        "id": {"type": ["integer", "null"]},
        "label": {"type": "string", "description": "The username or title at the time."}}},
    "detail": {"type": "string", "description": "A new role; a mute's end or an invite link's expiry "
                                                "(ISO 8601); the settings changed."},
    "reason": {"type": "string"}, "created_at": {"type": "string", "format": "date-time"}}}})

add_paths({"/communities/{slug}/audit": {"get": op(
    "The community's moderation log, newest first (moderators); append-only. `format=csv`: every "
    "matching entry as a CSV attachment",
    {**ok(200, list_of("AuditEntry")), **error(400, 401, 403, 404, 422)},
    params=[param("slug", "path"), param("action", description="One or more actions, comma-separated."),
            param("actor", description="A moderator's username."),
            param("format", schema={"type": "string", "enum": ["csv"]}), *PAGING], tag=_T)}})

_FLAG_TARGETS = ["post", "question", "answer", "message", "resource"]
add_schemas({
    "Flag": {"type": "object", "properties": {
        "id": {"type": "integer"}, "target_type": {"type": "string", "enum": _FLAG_TARGETS},
        "target_id": {"type": "integer"},
        "reason": {"type": "string", "description": "The caller's own reason; for moderators the first one given."},
        "state": {"type": "string", "enum": ["open", "dismissed", "hidden"]},
        "count": {"type": "integer", "description": "How many people flagged the item."},
        "created_at": {"type": "string", "format": "date-time"}}},
    "FlagInQueue": {"allOf": [{"$ref": "#/components/schemas/Flag"}, {"type": "object", "properties": {
        "flagged_at": {"type": "string", "format": "date-time"},
        "resolved_at": {"type": ["string", "null"], "format": "date-time"},
        "target": {"type": ["object", "null"], "description": "The item as it stands; null once deleted.",
                   "properties": {"label": {"type": "string"}, "url": {"type": "string"},
                                  "excerpt": {"type": "string"}, "hidden": {"type": "boolean"},
                                  "author": {"type": ["object", "null"]},
                                  "created_at": {"type": "string", "format": "date-time"}}},
        "reports": {"type": "array", "items": {"type": "object", "properties": {
            "user": {"type": ["object", "null"]}, "reason": {"type": "string"},
            "created_at": {"type": "string", "format": "date-time"}}}}}}]},
})

add_paths({
    "/flags": {"post": op(
        "Flag an item the caller can read, with a reason. Several people flagging one item share one flag "
        "(its count rises); the same person again gets 200 and changes nothing. The community's moderators "
        "are notified (`flag`) when a flag opens",
        {**ok(201, ref("Flag")), **ok(200, ref("Flag"), "Already flagged by the caller"),
         **error(400, 401, 404, 422)},
        request=body({"target_type": {"type": "string", "enum": _FLAG_TARGETS}, "target_id": {"type": "integer"},
                      "reason": {"type": "string", "maxLength": 500}}, ["target_type", "target_id", "reason"]),
        tag=_T)},
    "/communities/{slug}/flags": {"get": op(
        "The community's flags, newest first (moderators), with the item and who flagged it",
        {**ok(200, list_of("FlagInQueue")), **error(401, 403, 404, 422)},
        params=[param("slug", "path"), param("state", schema={"type": "string",
                                                               "enum": ["open", "dismissed", "hidden"]}),
                *PAGING], tag=_T)},
    "/flags/{flag_id}": {"get": op("One flag (moderators)", {**ok(200, ref("FlagInQueue")), **error(401, 403, 404)},
                              params=[param("flag_id", "path")], tag=_T)},
    "/flags/{flag_id}/resolve": {"post": op(
        "Resolve a flag (moderators): `hide` hides the item from everyone but moderators (pages, API, search, "
        "chat, notifications); `dismiss` keeps it, or shows it again; `unhide` is the same as `dismiss`",
        {**ok(200, ref("FlagInQueue")), **error(400, 401, 403, 404, 409, 422)},
        request=body({"action": {"type": "string", "enum": ["dismiss", "hide", "unhide"]},
                      "reason": {"type": "string", "maxLength": 500, "description": "Kept in the moderation log."}},
                     ["action"]),
        params=[param("flag_id", "path")], tag=_T)},
})
