"""Accounts and tokens, as the contract states them."""

import pytest

from tests.factories import PASSWORD


def _register(api, **fields):
    body = {"username": "anna", "email": "anna@example.org", "password": PASSWORD, **fields}
    return api.post("/users", json=body)


def test_registration_returns_the_user_with_email(api):
    response = _register(api, display_name="Anna de Vries", locale="nl")
    assert response.status_code == 201
    user = response.get_json()
    assert user["username"] == "anna" and user["email"] == "anna@example.org"
    assert user["display_name"] == "Anna de Vries" and user["locale"] == "nl"
    assert user["created_at"].endswith("Z") and user["expertise"] == []
    assert "password" not in str(user) and "password_hash" not in user


def test_registration_names_every_failing_field(api):
    response = api.post("/users", json={"username": "a!", "email": "nope", "password": "short", "locale": "fr"})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "invalid"
    assert set(error["fields"]) == {"username", "email", "password", "locale"}


def test_missing_fields_are_invalid(api):
    error = api.post("/users", json={}).get_json()["error"]
    assert set(error["fields"]) == {"username", "email", "password"}


def test_username_taken_in_another_case_is_a_conflict(api):
    assert _register(api).status_code == 201
    response = _register(api, username="ANNA", email="other@example.org")
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "conflict"


def test_email_taken_is_a_conflict(api):
    assert _register(api).status_code == 201
    assert _register(api, username="anna2", email="ANNA@example.org").status_code == 409


def test_malformed_json_is_a_bad_request(api):
    response = api.client.post("/api/v1/users", data="{nope", content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_request"


def test_wrong_type_is_a_bad_request(api):
    response = api.post("/users", json={"username": 42, "email": "a@b.nl", "password": PASSWORD})
    assert response.status_code == 400
    assert response.get_json()["error"]["fields"] == {"username": "Expected a string."}


def test_a_json_array_body_is_a_bad_request(api):
    assert api.post("/users", json=[1, 2]).status_code == 400


def test_non_json_body_is_unsupported(api):
    response = api.client.post("/api/v1/users", data="username=anna", content_type="text/plain")
    assert response.status_code == 415
    assert response.get_json()["error"]["code"] == "unsupported_media_type"


def test_token_by_username_or_email(api):
    _register(api)
    for login in ("anna", "ANNA@example.org"):
        response = api.post("/tokens", json={"login": login, "password": PASSWORD})
        assert response.status_code == 201
        assert response.get_json()["user"]["username"] == "anna"


def test_login_failure_does_not_reveal_whether_the_account_exists(api):
    _register(api)
    wrong_password = api.post("/tokens", json={"login": "anna", "password": "wrong-password"})
    no_account = api.post("/tokens", json={"login": "nobody", "password": "wrong-password"})
    assert wrong_password.status_code == no_account.status_code == 401
    assert wrong_password.get_json() == no_account.get_json()
    assert no_account.get_json()["error"]["code"] == "invalid_credentials"


def test_revoked_token_no_longer_works(api):
    anna = api.user("anna")
    assert api.delete("/tokens/current", anna).status_code == 204
    response = api.get("/users/me", anna)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthenticated"


def test_tokens_are_stored_hashed(api, app):
    anna = api.user("anna")
    with app.app_context():
        from community.accounts.models import ApiToken
        from community.extensions import db
        stored = [t.token_hash for t in db.session.query(ApiToken)]
    assert api.tokens[anna] not in stored and len(stored) == 1


def test_everything_but_registration_and_login_needs_authentication(api):
    for path in ("/users/me", "/users/anna", "/communities"):
        response = api.get(path)
        assert response.status_code == 401, path
        assert response.get_json()["error"]["code"] == "unauthenticated"


def test_me_has_email_and_the_profile_has_stats(api):
    """``/users/me`` is the cheap "who am I"; counting is the profile's job (contract: stats there)."""
    anna = api.user("anna")
    me = api.get("/users/me", anna).get_json()
    assert me["email"] == "anna@example.org" and "stats" not in me
    profile = api.get("/users/anna", anna).get_json()
    assert set(profile["stats"]) == {"questions", "answers", "accepted_answers", "posts"}


def test_profile_of_another_user_has_no_email(api):
    api.user("anna")
    bram = api.user("bram")
    profile = api.get("/users/ANNA", bram).get_json()
    assert profile["username"] == "anna" and "email" not in profile and "stats" in profile
    assert api.get("/users/nobody", bram).status_code == 404


def test_profile_edit(api):
    anna = api.user("anna")
    response = api.patch("/users/me", anna, json={"display_name": "Anna", "bio": "Heftruck-instructeur",
                                                  "locale": "nl"})
    assert response.status_code == 200
    assert response.get_json()["bio"] == "Heftruck-instructeur"
    assert api.get("/users/me", anna).get_json()["locale"] == "nl"


def test_new_password_needs_the_current_one(api):
    anna = api.user("anna")
    response = api.patch("/users/me", anna, json={"password": "new-password-123"})
    assert response.status_code == 422
    assert "current_password" in response.get_json()["error"]["fields"]
    response = api.patch("/users/me", anna, json={"password": "new-password-123", "current_password": PASSWORD})
    assert response.status_code == 200
    assert api.post("/tokens", json={"login": "anna", "password": "new-password-123"}).status_code == 201
    assert api.post("/tokens", json={"login": "anna", "password": PASSWORD}).status_code == 401


def test_new_password_revokes_other_tokens_but_not_this_one(api):
    anna = api.user("anna")
    other = api.post("/tokens", json={"login": "anna", "password": PASSWORD}).get_json()["token"]
    api.patch("/users/me", anna, json={"password": "new-password-123", "current_password": PASSWORD})
    assert api.get("/users/me", anna).status_code == 200
    assert api.client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {other}"}).status_code == 401


def test_repeated_login_failures_are_rate_limited(make_app):
    from tests.factories import Api

    api = Api(make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute"))
    api.user("anna")
    codes = [api.post("/tokens", json={"login": "anna", "password": "wrong-password"}).status_code
             for _ in range(4)]
    assert codes == [401, 401, 401, 429]
    response = api.post("/tokens", json={"login": "anna", "password": PASSWORD})
    assert response.status_code == 429
    assert response.get_json()["error"]["code"] == "rate_limited"
    assert int(response.headers["Retry-After"]) > 0


def test_successful_logins_are_not_counted_as_failures(make_app):
    from tests.factories import Api

    api = Api(make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="2 per minute"))
    api.user("anna")
    codes = [api.post("/tokens", json={"login": "anna", "password": PASSWORD}).status_code for _ in range(4)]
    assert codes == [201] * 4


def test_registration_is_rate_limited(make_app):
    from tests.factories import Api

    api = Api(make_app(RATELIMIT_ENABLED=True, REGISTER_RATE_LIMIT="2 per hour"))
    codes = [api.post("/users", json={"username": f"user{i}", "email": f"u{i}@example.org",
                                      "password": PASSWORD}).status_code for i in range(3)]
    assert codes == [201, 201, 429]


def test_null_for_an_optional_field_counts_as_not_sent(api):
    response = _register(api, display_name=None, locale=None)
    assert response.status_code == 201
    assert response.get_json()["locale"] is None


def test_null_for_a_required_field_is_named_as_missing(api):
    response = api.post("/users", json={"username": None, "email": "a@example.org", "password": PASSWORD})
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"username"}


def test_locale_null_clears_the_language_choice(api):
    anna = api.user("anna", locale="nl")
    assert api.patch("/users/me", anna, json={"locale": None}).get_json()["locale"] is None


def test_an_unknown_login_costs_one_hash_check_like_a_wrong_password(api, app, monkeypatch):
    """An unknown username must not cost a hash computation more than a known one:
    the dummy hash it is checked against is made once per method, not per call."""
    from werkzeug import security

    from community.accounts import service

    _register(api)
    made = []
    real = security.generate_password_hash
    monkeypatch.setattr(service, "generate_password_hash", lambda *a, **kw: made.append(1) or real(*a, **kw))
    for _ in range(3):
        assert api.post("/tokens", json={"login": "nobody", "password": "wrong-password"}).status_code == 401
        assert api.post("/tokens", json={"login": "anna", "password": "wrong-password"}).status_code == 401
    assert len(made) <= 1


COMMON = "This is one of the most common passwords. Choose another, for example a short sentence."
YOURSELF = "Your password may not be your username or email address."
INVISIBLE = "Use letters, digits or symbols: spaces and invisible characters alone are not a password."


@pytest.mark.parametrize(("password", "message"), [
    (" " * 10, INVISIBLE), ("\x00" * 10, INVISIBLE), ("\u200b\t\n \u00a0" * 2, INVISIBLE),
    ("password12", COMMON), ("PassWord12", COMMON), ("qwertyuiop", COMMON), ("  1234567890 ", COMMON),
    ("anna-de-vries", YOURSELF), ("ANNA@example.org", YOURSELF),
])
def test_weak_passwords_are_refused_with_the_rule_explained(api, password, message):
    response = _register(api, username="anna-de-vries", email="anna@example.org", password=password)
    assert response.status_code == 422, password
    assert response.get_json()["error"]["fields"] == {"password": message}


def test_a_new_password_follows_the_same_rule(api):
    anna = api.user("anna")
    for weak in ("password12", "ANNA@EXAMPLE.ORG", " " * 12):
        response = api.patch("/users/me", anna, json={"password": weak, "current_password": PASSWORD})
        assert response.status_code == 422, weak
        assert "password" in response.get_json()["error"]["fields"]
    assert api.post("/tokens", json={"login": "anna", "password": PASSWORD}).status_code == 201


def test_an_uncommon_password_with_spaces_is_accepted(api):
    assert _register(api, password="  mijn fiets is blauw  ").status_code == 201


def test_profile_text_is_normalised(api):
    api.user("anna")
    response = api.patch("/users/me", "anna", json={"display_name": "\u200b\u200b", "bio": "Hoi\x00 daar"})
    assert response.status_code == 200
    assert (response.get_json()["display_name"], response.get_json()["bio"]) == ("anna", "Hoi daar")
    named = api.patch("/users/me", "anna", json={"display_name": "\u202eAnna\u202c de Vrie\u0301s"})
    assert named.get_json()["display_name"] == "Anna de Vriés"


def test_a_password_is_kept_exactly_as_typed(api, client):
    password = " wachtwoord\tmet cafe\u0301 \u200b"  # tab, a decomposed é, a zero-width space
    body = {"username": "anna", "email": "anna@example.org", "password": password}
    assert api.post("/users", json=body).status_code == 201
    assert api.post("/tokens", json={"login": "anna", "password": password}).status_code == 201
    normalised = " wachtwoord met café "
    assert api.post("/tokens", json={"login": "anna", "password": normalised}).status_code == 401


def test_a_username_with_invisible_characters_is_the_visible_name(api):
    api.user("anna")
    body = {"username": "\u200ban\u2060na\ufeff", "email": "other@example.org", "password": PASSWORD}
    response = api.post("/users", json=body)
    assert response.status_code == 409 and set(response.get_json()["error"]["fields"]) == {"username"}


# One field of each kind sent with the wrong type, and what a Dutch reader is told.
WRONG_TYPES = [
    ("PATCH", "/users/me", {"display_name": 5}, "display_name", "Dit moet tekst zijn."),
    ("PATCH", "/users/me", {"locale": ["nl"]}, "locale", "Dit moet tekst zijn."),
    ("POST", "/communities/{slug}/invites", {"max_uses": "10"}, "max_uses", "Dit moet een heel getal zijn."),
    ("PATCH", "/communities/{slug}", {"archived": "ja"}, "archived", "Dit moet true of false zijn."),
    ("PATCH", "/communities/{slug}", {"starts_on": 20260105}, "starts_on",
     "Dit moet een datum zijn (JJJJ-MM-DD)."),
    ("PATCH", "/communities/{slug}/members/bob", {"muted_until": 1}, "muted_until",
     "Dit moet een datum en tijd zijn (ISO 8601)."),
    ("POST", "/notifications/read", {"ids": ["1"]}, "ids", "Dit moet een lijst met hele getallen zijn."),
    ("POST", "/communities/{slug}/threads", {"title": "Veilig", "body": "Hoe?", "tags": "heftruck"}, "tags",
     "Dit moet een lijst met teksten zijn."),
]


@pytest.mark.parametrize(("method", "path", "body", "field", "dutch"), WRONG_TYPES,
                         ids=[f"{case[3]}" for case in WRONG_TYPES])
def test_wrong_type_messages_are_whole_dutch_sentences(api, method, path, body, field, dutch):
    api.user("anna", locale="nl")
    api.user("bob")
    community = api.community("anna")
    api.member(community, "bob", "anna")
    response = api.call(method, path.format(slug=community["slug"]), "anna", json=body)
    assert response.status_code == 400
    assert response.get_json()["error"]["fields"] == {field: dutch}
