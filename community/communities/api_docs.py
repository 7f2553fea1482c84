"""OpenAPI description of the community routes (see ``community/api/spec.py``)."""

from ..api.spec import PAGING, add_paths, add_schemas, body, error, list_of, ok, op, param, ref

_DATE = {"type": ["string", "null"], "format": "date"}
_FIELDS = {
    "name": {"type": "string", "minLength": 3, "maxLength": 120},
    "slug": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$", "minLength": 3, "maxLength": 60},
    "description": {"type": "string", "maxLength": 5000},
    "kind": {"type": "string", "enum": ["practice", "cohort"]},
    "visibility": {"type": "string", "enum": ["public", "private"]},
    "join_policy": {"type": "string", "enum": ["open", "approval", "invite"]},
    "starts_on": _DATE, "ends_on": _DATE,
}
_SLUG = param("slug", "path")

add_schemas({
    "Community": {"type": "object", "properties": {
        "id": {"type": "integer"}, **_FIELDS,
        "phase": {"type": "string", "enum": ["active", "upcoming", "running", "follow_up", "archived"],
                  "description": "Cohorts: upcoming, running, follow_up, archived; practices: active or archived."},
        "archived": {"type": "boolean"}, "member_count": {"type": "integer", "description": "Active members."},
        "my_role": {"type": ["string", "null"], "enum": ["owner", "moderator", "member", None]},
        "my_state": {"type": ["string", "null"], "enum": ["active", "pending", "banned", None]},
        "created_at": {"type": "string", "format": "date-time"},
        "url": {"type": "string", "description": "The community's HTML page."}}},
    "Membership": {"type": "object", "properties": {
        "community": {"type": "string"}, "user": ref("User"),
        "role": {"type": "string", "enum": ["owner", "moderator", "member"]},
        "state": {"type": "string", "enum": ["active", "pending", "banned"]},
        "muted": {"type": "boolean", "description": "A mute ends by itself at `muted_until`."},
        "muted_until": {"type": ["string", "null"], "format": "date-time",
                        "description": "null when not muted, also once a mute has ended."},
        "mute_reason": {"type": ["string", "null"],
                        "description": "Why, while muted; only to the member and to moderators."},
        "joined_at": {"type": "string", "format": "date-time"}}},
    "InviteLink": {"type": "object", "properties": {
        "id": {"type": "integer"}, "created_by": {"type": ["string", "null"], "description": "Username."},
        "created_at": {"type": "string", "format": "date-time"},
        "expires_at": {"type": ["string", "null"], "format": "date-time"},
        "max_uses": {"type": ["integer", "null"]}, "uses": {"type": "integer"},
        "revoked": {"type": "boolean"}, "revoked_at": {"type": ["string", "null"], "format": "date-time"},
        "usable": {"type": "boolean", "description": "Not revoked, expired or used up."}}},
    "Invite": {"type": "object", "properties": {
        "id": {"type": "integer"}, "token": {"type": "string"}, "url": {"type": "string"},
        "expires_at": {"type": "string", "format": "date-time"},
        "max_uses": {"type": ["integer", "null"]}}},
})

add_paths({
    "/communities": {
        "get": op("Communities the caller can see, by name", {**ok(200, list_of("Community")), **error(401, 422)},
                  params=[param("q", description="Words in the name or description."),
                          param("mine", description="1: only those the caller belongs to or asked to join."),
                          *PAGING], tag="communities"),
        "post": op("Create a community; the creator becomes owner",
                   {**ok(201, ref("Community")), **error(400, 401, 403, 409, 422)}, tag="communities",
                   request=body(_FIELDS, ["name", "kind", "visibility", "join_policy"])),
    },
    "/communities/{slug}": {
        "get": op("A community", {**ok(200, ref("Community")), **error(401, 404)}, params=[_SLUG],
                  tag="communities"),
        "patch": op("Edit or archive (owner, moderator, admin)",
                    {**ok(200, ref("Community")), **error(400, 401, 403, 404, 409, 422)}, params=[_SLUG],
                    tag="communities",
                    request=body({**_FIELDS, "archived": {"type": "boolean"}}, [])),
    },
    "/communities/{slug}/join": {"post": op(
        "Join (open or with an invite) or ask to join (approval)",
        {**ok(200, ref("Membership")), **error(401, 403, 404)}, params=[_SLUG], tag="communities",
        request={"required": False, "content": {"application/json": {"schema": {
            "type": "object", "properties": {"invite": {"type": "string"}}}}}})},
    "/communities/{slug}/leave": {"post": op(
        "Leave; a ban stays, the last owner must hand over first", {**ok(204, None), **error(401, 404, 409)},
        params=[_SLUG], tag="communities")},
    "/communities/{slug}/members": {"get": op(
        "Members; `state=pending` or `banned` for moderators", {**ok(200, list_of("Membership")),
                                                                **error(401, 403, 404, 422)},
        params=[_SLUG, param("state", schema={"type": "string", "enum": ["active", "pending", "banned"]}),
                param("q", description="Part of a username."), *PAGING], tag="communities")},
    "/communities/{slug}/members/{username}": {
        "patch": op("Approve, ban, unban, mute or change the role of another member",
                    {**ok(200, ref("Membership")), **error(400, 401, 403, 404, 409, 422)},
                    params=[_SLUG, param("username", "path")], tag="communities",
                    request=body({"role": {"type": "string", "enum": ["owner", "moderator", "member"]},
                                  "state": {"type": "string", "enum": ["active", "banned"]},
                                  "muted_until": {"type": ["string", "null"], "format": "date-time"},
                                  "reason": {"type": ["string", "null"], "maxLength": 500,
                                             "description": "With a mute or a ban: why. Told to the muted "
                                                            "member (notification `muted`) and kept in the "
                                                            "audit log."}}, [])),
        "delete": op("Refuse a pending request to join", {**ok(204, None), **error(401, 403, 404)},
                     params=[_SLUG, param("username", "path")], tag="communities"),
    },
    "/communities/{slug}/invites/{invite_id}": {"delete": op(
        "Revoke an invite link (moderators): it then counts as no invite; again is a no-op",
        {**ok(204, None), **error(401, 403, 404)}, params=[_SLUG, param("invite_id", "path")],
        tag="communities")},
    "/communities/{slug}/invites": {"get": op(
        "Invite links, newest first (moderators); the tokens are never shown again",
        {**ok(200, list_of("InviteLink")), **error(401, 403, 404, 422)}, params=[_SLUG, *PAGING],
        tag="communities"), "post": op(
        "Create an invite link (moderators)", {**ok(201, ref("Invite")), **error(400, 401, 403, 404, 422)},
        params=[_SLUG], tag="communities",
        request=body({"expires_in_days": {"type": ["integer", "null"], "minimum": 1, "maximum": 365,
                                          "description": "Default 14 (COMMUNITY_INVITE_DEFAULT_DAYS)."},
                      "max_uses": {"type": ["integer", "null"], "minimum": 1,
                                   "description": "No limit when absent or null."}}, []))},
})
