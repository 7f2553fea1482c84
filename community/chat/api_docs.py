"""OpenAPI description of the chat routes (see ``community/api/spec.py``); the Socket.IO events are in API.md."""

from ..api.spec import add_paths, add_schemas, error, ok, op, param, ref

_T = "chat"
_ID = {"type": "integer", "minimum": 1}

add_schemas({"ChatMessage": {"type": "object", "properties": {
    "id": {"type": "integer", "description": "Rises with every message of the community, in commit order."},
    "community": {"type": "string", "description": "Its slug."},
    "author": {"oneOf": [ref("User"), {"type": "null"}]},
    "body": {"type": "string"}, "body_html": {"type": "string"},
    "created_at": {"type": "string", "format": "date-time"},
    "client_id": {"type": ["string", "null"], "description": "The sender's own id for it: a resend with the same "
                                                               "one returns this message and writes nothing."},
    "deleted": {"type": "boolean"},
    "url": {"type": "string", "description": "The message in its community's chat page."}}}})

_PAGE = {"type": "object", "required": ["items", "next"], "properties": {
    "items": {"type": "array", "items": ref("ChatMessage"), "description": "Oldest first."},
    "next": {"type": ["string", "null"], "description": "Cursor of the next page: newer messages when `after` "
                                                         "was given, older ones otherwise."}}}

add_paths({
    "/communities/{slug}/messages": {
        "get": op("A community's chat messages, oldest first: the latest, or those before or after an id "
                  "(everyone who may read the community)",
                  {**ok(200, _PAGE), **error(400, 401, 403, 404, 422)},
                  params=[param("slug", "path"), param("before", schema=_ID), param("after", schema={
                      "type": "integer", "minimum": 0}), param("limit", schema={
                          "type": "integer", "minimum": 1, "maximum": 100, "default": 20}),
                      param("cursor", description="The `next` value of the previous page.")], tag=_T),
        "post": op("Send a chat message (active, unmuted members); it is broadcast to the room after it is stored",
                   {**ok(201, ref("ChatMessage")), **ok(200, ref("ChatMessage"), "The same client_id again"),
                    **error(400, 401, 403, 404, 422, 429)},
                   params=[param("slug", "path")], request={"required": True, "content": {"application/json": {
                       "schema": {"type": "object", "required": ["body"], "properties": {
                           "body": {"type": "string", "minLength": 1, "maxLength": 2000},
                           "client_id": {"type": "string", "maxLength": 100}}}}}}, tag=_T),
    },
    "/messages/{message_id}": {
        "delete": op("Delete a chat message (its author or a moderator)", {**ok(204, None, "Deleted"),
                                                                          **error(401, 403, 404)},
                     params=[param("message_id", "path", {"type": "integer"})], tag=_T),
    },
})
