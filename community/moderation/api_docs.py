"""OpenAPI description of the moderation routes (see ``community/api/spec.py``)."""

from ..api.spec import PAGING, add_paths, add_schemas, error, list_of, ok, op, param
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
