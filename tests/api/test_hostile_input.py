"""Hostile input never gives a 500: every route in ``app.url_map``, every method,
walked with ids past the database's 64-bit range, lone surrogates, deeply nested
JSON and forged cursors, once with a Bearer token and once with a cookie session.

The routes are read from the app itself, so a capability that adds routes is
walked too without touching this file. Each route gets a fresh world (a
community, a thread, a reply, an invite, a notification) in which the caller
is the owner and author, so that requests get as deep into the code as they can.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import TEST_SETTINGS
from tests.e2e.pages import CSRF_META
from tests.factories import PASSWORD, Api

BIG = 2**63                 # one past SQLite's and PostgreSQL's BIGINT
HUGE_IDS = (str(BIG), str(2**64), "1" + "0" * 40)
# A surrogate's UTF-8 bytes, NUL, an overlong "/", a right-to-left override.
BAD_SEGMENTS = ("%ED%A0%80", "%00", "%C0%AF", "\u202etxt")
DEEP = 100_000

# A body that every route accepts as far as it can, so the hostile field is reached.
BASELINE = {"title": "Veilig heffen", "body": "Hoe tillen jullie?", "name": "Winkel Noord",
            "description": "Tekst", "kind": "practice", "visibility": "public", "join_policy": "open",
            "emoji": "👍", "display_name": "Anna", "bio": "Hoi", "locale": "nl", "tags": ["heftruck"],
            "username": "nieuw", "email": "nieuw@example.org", "password": "lang-genoeg-1",
            "login": "walker", "reason": "spam", "note": "later", "action": "mute", "hours": "24"}
TEXT_FIELDS = tuple(k for k, v in BASELINE.items() if isinstance(v, str))
INT_FIELDS = ("parent_id", "max_uses", "expires_in_days", "answer_id", "target_id", "value",
              "duration_minutes", "limit")

IDS = {"thread_id": "thread", "post_id": "post", "notification_id": "notification"}
PLACEHOLDER = re.compile(r"<(?:[^>:]*:)?([^>]+)>")


def _kind(converter) -> str:
    from werkzeug.routing.converters import AnyConverter, NumberConverter

    if isinstance(converter, NumberConverter):
        return "int"
    return "any" if isinstance(converter, AnyConverter) else "str"


def _collect_rules() -> list:
    """Every (rule, method) of the app, read from a throwaway app's url_map."""
    from community import create_app

    with tempfile.TemporaryDirectory(prefix="routes-") as folder:
        app = create_app({"INSTANCE": folder, "TESTING": True})
        rules = sorted(app.url_map.iter_rules(), key=lambda r: r.rule)
    found = []
    for rule in rules:
        params = {name: (_kind(conv), sorted(getattr(conv, "items", ()))) for name, conv in rule._converters.items()}
        found += [pytest.param(rule.rule, method, params, id=f"{method} {rule.rule}")
                  for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return found


ROUTES = _collect_rules()


def _cursor(values) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


# A list's cursor holds its sort key, 1 to 3 values; these forge each width.
FORGED_CURSORS = [_cursor(v) for width in (1, 2, 3) for v in (
    [BIG] * width, ["\ud800"] * width, [[1]] * width, [{"t": 5}, -BIG - 1, True][:width])]


@dataclass(frozen=True)
class World:
    """What a walk needs from the world built once per module: ids, names, and two sign-ins."""

    app: object
    database: Path
    snapshot: Path
    ids: dict
    strings: dict
    token: str
    session_cookie: str
    csrf: str

    def value(self, name: str, kind: str, items) -> str:
        if kind == "int":
            return str(self.ids.get(IDS.get(name), 1))
        if kind == "any":
            return items[0]
        return self.strings.get(name, "x")


def _close_database(app) -> None:
    with app.app_context():
        from community.extensions import db
        db.session.remove()
        db.engine.dispose()  # the last connection closed folds the WAL into the file


@pytest.fixture(scope="module")
def world(template_instance, tmp_path_factory) -> World:
    """A community, a thread, a reply, an invite and a notification, owned by "walker".

    One app for the module (building an app per route would compile every
    template again); its database file is put back from a snapshot per route.
    """
    from community import create_app

    folder = tmp_path_factory.mktemp("hostile") / "instance"
    shutil.copytree(template_instance, folder)
    database = folder / "community.db"
    app = create_app({"INSTANCE": str(folder), **TEST_SETTINGS, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"})
    api = Api(app)
    api.user("walker")
    api.user("other")
    community = api.community("walker", "Winkel Noord")
    api.post(f"/communities/{community['slug']}/join", "other")
    thread = api.post(f"/communities/{community['slug']}/threads", "walker",
                      json={"title": "Veilig heffen", "body": "Hoe?"}).get_json()
    post = api.post(f"/threads/{thread['id']}/posts", "other", json={"body": "Met beleid."}).get_json()
    notification = api.get("/notifications", "walker").get_json()["items"][0]
    invite = api.post(f"/communities/{community['slug']}/invites", "walker", json={}).get_json()["token"]
    browser = app.test_client()
    csrf = CSRF_META.search(browser.get("/login").get_data(as_text=True)).group(1)
    signed_in = browser.post("/login", data={"login": "walker", "password": PASSWORD, "csrf_token": csrf})
    assert signed_in.status_code == 302
    csrf = CSRF_META.search(browser.get("/").get_data(as_text=True)).group(1)
    _close_database(app)
    snapshot = folder.parent / "snapshot.db"
    shutil.copyfile(database, snapshot)
    yield World(app, database, snapshot,
                {"thread": thread["id"], "post": post["id"], "notification": notification["id"]},
                {"slug": community["slug"], "username": "other", "token": invite, "filename": "css/site.css"},
                api.tokens["walker"], browser.get_cookie("session").value, csrf)
    _close_database(app)


@pytest.fixture
def world_app(world):
    """The world as it was built: what one route changes, the next never sees."""
    _close_database(world.app)
    for leftover in ("-wal", "-shm"):
        Path(f"{world.database}{leftover}").unlink(missing_ok=True)
    shutil.copyfile(world.snapshot, world.database)
    yield world.app
    _close_database(world.app)


def _urls(rule: str, params: dict, world: World):
    """The route with real values, then with each parameter replaced by hostile ones."""
    real = {name: world.value(name, kind, items) for name, (kind, items) in params.items()}

    def build(values):
        return PLACEHOLDER.sub(lambda m: values[m.group(1)], rule)

    yield build(real), False
    for name, (kind, _items) in params.items():
        if kind == "any":
            continue
        for value in HUGE_IDS if kind == "int" else BAD_SEGMENTS:
            yield build({**real, name: value}), True


def _json_bodies():
    """JSON texts; ``json.dumps`` writes a lone surrogate as the escape ``\\ud800``."""
    yield json.dumps({**BASELINE, **{k: "x\ud800" for k in TEXT_FIELDS}})
    yield json.dumps({**BASELINE, "tags": ["\udfff"], "\ud800": 1})
    yield "[" * DEEP + "]" * DEEP
    yield '{"body": ' + "[" * DEEP + "]" * DEEP + "}"
    yield '{"a": ' * DEEP + "1" + "}" * DEEP
    yield '{"parent_id": ' + "9" * 5000 + "}"
    yield b'{"title": "\xed\xa0\x80 raw", "body": "\xed\xb0\x80", "name": "\xed\xa0\x80"}'
    yield json.dumps({**BASELINE, "ids": list(range(1, 40_000))})
    yield json.dumps({**BASELINE, "muted_until": "0001-01-01T00:00:00+05:00", "starts_on": "9999-12-31",
                      "ends_on": "9999-12-31", "kind": "cohort", "expires_in_days": 365})
    yield json.dumps({**BASELINE, "muted_until": "9999-12-31T23:59:59-05:00", "starts_on": "0001-01-01",
                      "ends_on": "0001-01-01", "kind": "cohort"})
    yield json.dumps({**BASELINE, "ids": [BIG]})
    yield json.dumps({**BASELINE, "ids": [1, -BIG - 1]})
    for field in INT_FIELDS:  # one at a time, so that no other field's 422 hides it
        yield json.dumps({**BASELINE, field: BIG})
    for value in (-BIG - 1, 10**30):
        yield json.dumps({**BASELINE, **dict.fromkeys(INT_FIELDS, value)})


def _form_bodies():
    """Form fields as a dict, or a raw urlencoded body (a lone surrogate cannot be a str there)."""
    base = {k: v for k, v in BASELINE.items() if isinstance(v, str)}
    for field in INT_FIELDS + ("ids", "to", "hours"):
        yield {**base, field: str(BIG)}
    for value in ("1" * 40, "9" * 5000, "²", "١٢", "-" + str(BIG)):
        yield {**base, **dict.fromkeys(INT_FIELDS + ("ids", "to", "hours"), value)}
    yield {**base, "ids": f"1,{BIG},²"}
    yield {**base, **{field: "x\x00\u202e\ufeff" for field in TEXT_FIELDS}}
    yield "&".join(f"{field}=%ED%A0%80%00" for field in TEXT_FIELDS + INT_FIELDS + ("ids",))


def _query_strings():
    for cursor in FORGED_CURSORS:
        yield f"?cursor={cursor}"
    yield f"?limit=²&to={BIG}&parent_id={BIG}&state=%00&tag=%ED%A0%80&q=%00&unread=1"
    yield f"?limit={BIG}&to=١٢&mine=1&emoji=%ED%A0%80"


def _checked(response, url: str, case: str):
    status = response.status_code
    assert status < 500, f"{case} {url} → {status}: {response.get_data(as_text=True)[:300]}"
    if url.startswith("/api/") and status >= 400:
        error = response.get_json(silent=True)
        assert error and set(error) == {"error"} and {"code", "message"} <= set(error["error"]), (
            f"{case} {url} → {status} without the contract's error body")


@pytest.mark.parametrize(("rule", "method", "params"), ROUTES)
def test_route_never_answers_500_to_hostile_input(world, world_app, rule, method, params):
    bearer, browser = world_app.test_client(), world_app.test_client()
    browser.set_cookie("session", world.session_cookie)
    sessions = (
        ("bearer", bearer, {"Authorization": f"Bearer {world.token}"}, {}),
        ("cookie", browser, {"X-CSRFToken": world.csrf}, {"csrf_token": world.csrf}),
    )
    assert bearer.get("/api/v1/users/me", headers=sessions[0][2]).status_code == 200
    assert browser.get("/settings").status_code == 200
    unsafe = method in ("POST", "PUT", "PATCH", "DELETE")
    for auth, client, headers, form_extra in sessions:
        for url, hostile_path in _urls(rule, params, world):
            _checked(client.open(url, method=method, headers=headers), url, f"{auth} {method} path")
            if hostile_path:
                continue
            if not unsafe:
                queries = list(_query_strings())
                for query in queries if url.startswith("/api/") == (auth == "bearer") else queries[-3:]:
                    _checked(client.open(url + query, method=method, headers=headers), url + query,
                             f"{auth} {method} query")
                continue
            # /api/v1 reads JSON and is mostly called with a token, pages read forms with
            # a cookie: each door gets every body of its kind with its own sign-in, and a
            # sample otherwise. A route that refuses forms (415) gets no more of them.
            api_route = url.startswith("/api/")
            full = api_route == (auth == "bearer")
            json_bodies = list(_json_bodies())
            for body in json_bodies if api_route and full else json_bodies[:3]:
                response = client.open(url, method=method, data=body,
                                       headers={**headers, "Content-Type": "application/json"})
                _checked(response, url, f"{auth} {method} json {body[:60]!r}")
            forms = list(_form_bodies())
            for form in forms if full else forms[-3:]:
                if isinstance(form, str):
                    response = client.open(url, method=method, headers={
                        **headers, "Content-Type": "application/x-www-form-urlencoded"},
                        data=form + "".join(f"&{k}={v}" for k, v in form_extra.items()))
                else:
                    response = client.open(url, method=method, data={**form, **form_extra}, headers=headers)
                _checked(response, url, f"{auth} {method} form {str(form)[:80]}")
                if response.status_code == 415:
                    break


# --- what each kind of hostile input gets, in the contract's words ----------------------------------------


def _error(response) -> tuple[int, str]:
    return response.status_code, response.get_json()["error"]["code"]


def test_id_past_the_database_range_is_not_found(world, world_app):
    client, headers = world_app.test_client(), {"Authorization": f"Bearer {world.token}"}
    assert _error(client.get(f"/api/v1/threads/{BIG}", headers=headers)) == (404, "not_found")
    assert _error(client.get(f"/api/v1/threads/{BIG - 1}", headers=headers)) == (404, "not_found")
    browser = world_app.test_client()
    browser.set_cookie("session", world.session_cookie)
    assert browser.get(f"/threads/{BIG}").status_code == 404


def test_integer_fields_past_the_database_range_are_invalid(world, world_app):
    client, headers = world_app.test_client(), {"Authorization": f"Bearer {world.token}"}
    reply = client.post(f"/api/v1/threads/{world.ids['thread']}/posts", headers=headers,
                        json={"body": "Ja.", "parent_id": BIG})
    assert _error(reply) == (422, "invalid") and set(reply.get_json()["error"]["fields"]) == {"parent_id"}
    marked = client.post("/api/v1/notifications/read", headers=headers, json={"ids": [world.ids["notification"], BIG]})
    assert _error(marked) == (422, "invalid") and set(marked.get_json()["error"]["fields"]) == {"ids"}
    too_many = client.post("/api/v1/notifications/read", headers=headers, json={"ids": list(range(1, 40_000))})
    assert _error(too_many) == (422, "invalid")


def test_form_ids_past_the_database_range_are_refused(world, world_app):
    browser = world_app.test_client()
    browser.set_cookie("session", world.session_cookie)
    response = browser.post("/notifications/read", data={"ids": f"{world.ids['notification']},{BIG}",
                                                         "csrf_token": world.csrf})
    assert response.status_code == 422
    reply = browser.post(f"/threads/{world.ids['thread']}/reply", data={"body": "Ja.", "parent_id": str(BIG),
                                                                       "csrf_token": world.csrf})
    assert reply.status_code == 422


@pytest.mark.parametrize("body", [
    '{"body": "x\\ud800"}', b'{"body": "\xed\xa0\x80"}', '{"\\udfff": "x", "body": "Ja."}',
    '{"body": "Ja.", "tags": ["\\ud800"]}',
], ids=["escaped", "raw-bytes", "in-a-key", "in-a-list"])
def test_lone_surrogate_in_json_is_a_bad_request(world, world_app, body):
    response = world_app.test_client().post(
        f"/api/v1/threads/{world.ids['thread']}/posts", data=body,
        headers={"Authorization": f"Bearer {world.token}", "Content-Type": "application/json"})
    assert _error(response) == (400, "bad_request")


@pytest.mark.parametrize("body", ["[" * DEEP + "]" * DEEP, '{"a": ' * DEEP + "1" + "}" * DEEP,
                                  '{"body": ' + "[" * 40 + "]" * 40 + "}"], ids=["array", "object", "forty"])
def test_deeply_nested_json_is_a_bad_request(world, world_app, body):
    response = world_app.test_client().post(
        f"/api/v1/threads/{world.ids['thread']}/posts", data=body,
        headers={"Authorization": f"Bearer {world.token}", "Content-Type": "application/json"})
    assert _error(response) == (400, "bad_request")


def test_emoji_and_accents_in_json_still_pass(world, world_app):
    response = world_app.test_client().post(
        f"/api/v1/threads/{world.ids['thread']}/posts", json={"body": "Geëerd 👩‍🔧 ĳs"},
        headers={"Authorization": f"Bearer {world.token}"})
    assert response.status_code == 201 and response.get_json()["body"] == "Geëerd 👩‍🔧 ĳs"


@pytest.mark.parametrize("cursor", [_cursor([BIG]), _cursor(["\ud800"]), _cursor([[1]]), _cursor([True]), "%%%"])
def test_forged_cursor_is_a_bad_request(world, world_app, cursor):
    response = world_app.test_client().get(f"/api/v1/notifications?cursor={cursor}",
                                           headers={"Authorization": f"Bearer {world.token}"})
    assert _error(response) == (400, "bad_request")


@pytest.mark.parametrize("limit", ["²", "١٢", "9" * 5000])
def test_odd_digits_in_limit_are_handled(world, world_app, limit):
    response = world_app.test_client().get(f"/api/v1/notifications?limit={limit}",
                                           headers={"Authorization": f"Bearer {world.token}"})
    assert response.status_code == (200 if limit.startswith("9") else 422)
