"""OpenAPI description of the account routes (see ``community/api/spec.py``)."""

from ..api.spec import add_paths, add_schemas, body, error, ok, op, param, ref

_USERNAME = {"type": "string", "pattern": "^[A-Za-z0-9_-]{3,30}$"}
_LOCALE = {"type": ["string", "null"], "enum": ["nl", "en", None]}
_PASSWORD = {"type": "string", "minLength": 10, "maxLength": 1024,
             "description": "At least one visible character; not one of the 20,000 most common passwords, "
                            "not the username or email address (422 says which)."}

add_schemas({
    "Expertise": {"type": "object", "properties": {
        "tag": {"type": "string"},
        "level": {"type": "string", "enum": ["declared", "endorsed", "proven", "recognized"]},
        "endorsements": {"type": "integer"}, "accepted_answers": {"type": "integer"}}},
    "User": {"type": "object", "required": ["id", "username", "display_name", "avatar_url", "bio", "locale",
                                            "is_admin", "created_at", "expertise"],
             "properties": {
                 "id": {"type": "integer"}, "username": _USERNAME, "display_name": {"type": "string"},
                 "avatar_url": {"type": ["string", "null"]}, "bio": {"type": "string"}, "locale": _LOCALE,
                 "is_admin": {"type": "boolean"}, "created_at": {"type": "string", "format": "date-time"},
                 "expertise": {"type": "array", "items": ref("Expertise")},
                 "email": {"type": "string", "description": "Only in /users/me and on registration."},
                 "stats": {"type": "object", "properties": {
                     k: {"type": "integer"} for k in ("questions", "answers", "accepted_answers", "posts")}}}},
})

add_paths({
    "/users": {"post": op(
        "Register an account", {**ok(201, ref("User")), **error(400, 409, 415, 422, 429)}, public=True,
        tag="accounts", request=body({"username": _USERNAME, "email": {"type": "string"},
                                      "password": _PASSWORD,
                                      "display_name": {"type": "string", "maxLength": 80},
                                      "locale": _LOCALE}, ["username", "email", "password"]))},
    "/tokens": {"post": op(
        "Sign in: get a Bearer token",
        {**ok(201, {"type": "object", "properties": {"token": {"type": "string"}, "user": ref("User")}}),
         **error(400, 401, 422, 429)}, public=True, tag="accounts",
        request=body({"login": {"type": "string", "description": "Username or email."},
                      "password": {"type": "string"}}, ["login", "password"]))},
    "/tokens/current": {"delete": op(
        "Revoke the token of this request (with a cookie: sign out)", {**ok(204, None), **error(401)},
        tag="accounts")},
    "/users/me": {
        "get": op("The caller, with email (stats are on GET /users/{username})",
                  {**ok(200, ref("User")), **error(401)}, tag="accounts"),
        "patch": op("Edit the caller's profile or password",
                    {**ok(200, ref("User")), **error(400, 401, 422)}, tag="accounts",
                    request=body({"display_name": {"type": "string"}, "bio": {"type": "string"},
                                  "locale": _LOCALE, "password": _PASSWORD,
                                  "current_password": {"type": "string"}}, []))},
    "/users/{username}": {"get": op(
        "A user's public profile, with stats", {**ok(200, ref("User")), **error(401, 404)},
        params=[param("username", "path")], tag="accounts")},
})
