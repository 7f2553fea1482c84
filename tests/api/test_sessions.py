"""Browser sessions live on the server: signing out, a new password and
"sign out everywhere" end them for good, whatever copy of a cookie is left.

Each test signs in through the real ``/login`` form, copies the cookies a
browser holds into a second client (what a stolen or left-behind cookie is),
and checks what that copy may still do.
"""

from __future__ import annotations

from datetime import timedelta

from tests.e2e.pages import CSRF_META, post, text
from tests.factories import PASSWORD

NEW_PASSWORD = "een-heel-nieuw-wachtwoord"


def sign_in(app, login: str = "anna", remember: bool = False):
    client = app.test_client()
    response = post(client, "/login", {"login": login, "password": PASSWORD, **({"remember": "1"} if remember else {})})
    assert response.status_code == 302, text(response)
    return client


def copy_of(app, client, names=("session", "remember_token")):
    """A second client holding the same cookies, as someone who copied them would."""
    thief = app.test_client()
    for name in names:
        cookie = client.get_cookie(name)
        if cookie is not None:
            thief.set_cookie(name, cookie.value)
    return thief


def signed_in(client) -> bool:
    """Whether this client is still someone, asked both of a page and of the API."""
    page = client.get("/notifications").status_code
    api = client.get("/api/v1/users/me").status_code
    assert (page == 200) == (api == 200), (page, api)  # one check for both doors
    return api == 200


def api_csrf_headers(client) -> dict:
    return {"X-CSRFToken": CSRF_META.search(text(client.get("/settings"))).group(1)}


def test_a_copy_of_the_cookie_stops_working_when_its_owner_signs_out(app, api):
    api.user("anna")
    browser = sign_in(app)
    copy = copy_of(app, browser)
    assert signed_in(copy)
    post(browser, "/logout")
    assert not signed_in(browser) and not signed_in(copy)


def test_signing_out_by_the_api_with_a_cookie_ends_that_session_on_the_server(app, api):
    api.user("anna")
    browser = sign_in(app)
    copy = copy_of(app, browser)
    assert browser.delete("/api/v1/tokens/current", headers=api_csrf_headers(browser)).status_code == 204
    assert not signed_in(copy)


def test_a_remember_me_cookie_stops_working_when_its_session_is_signed_out(app, api):
    api.user("anna")
    browser = sign_in(app, remember=True)
    remembered = copy_of(app, browser, names=("remember_token",))
    assert signed_in(remembered)  # the remember cookie alone signs a browser in again
    post(browser, "/logout")
    assert not signed_in(copy_of(app, browser, names=("remember_token",)))
    assert not signed_in(remembered)


def test_signing_out_one_browser_leaves_the_others_signed_in(app, api):
    api.user("anna")
    phone, laptop = sign_in(app), sign_in(app)
    post(phone, "/logout")
    assert signed_in(laptop)


def test_a_new_password_on_the_settings_page_ends_every_other_session_and_token(app, api):
    anna = api.user("anna")
    here, elsewhere = sign_in(app), sign_in(app)
    response = post(here, "/settings/password", {"current_password": PASSWORD, "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert signed_in(here)
    assert not signed_in(elsewhere)
    assert api.get("/users/me", anna).status_code == 401


def test_a_new_password_through_the_api_with_a_cookie_keeps_only_that_session(app, api):
    anna = api.user("anna")
    here, elsewhere = sign_in(app), sign_in(app)
    response = here.patch("/api/v1/users/me", headers=api_csrf_headers(here),
                          json={"current_password": PASSWORD, "password": NEW_PASSWORD})
    assert response.status_code == 200
    assert signed_in(here) and not signed_in(elsewhere)
    assert api.get("/users/me", anna).status_code == 401


def test_a_new_password_through_the_api_with_a_token_ends_every_browser_session(app, api):
    anna = api.user("anna")
    browser = sign_in(app)
    response = api.patch("/users/me", anna, json={"current_password": PASSWORD, "password": NEW_PASSWORD})
    assert response.status_code == 200
    assert api.get("/users/me", anna).status_code == 200
    assert not signed_in(browser)


def test_sign_out_everywhere_ends_every_session_and_token_this_one_included(app, api):
    anna = api.user("anna")
    here, elsewhere = sign_in(app), sign_in(app, remember=True)
    remembered = copy_of(app, elsewhere, names=("remember_token",))
    assert "Sign out everywhere" in text(here.get("/settings"))
    response = post(here, "/settings/sign-out-everywhere", follow_redirects=True)
    assert "You are signed out on every device." in text(response)
    assert not signed_in(here) and not signed_in(elsewhere) and not signed_in(remembered)
    assert api.get("/users/me", anna).status_code == 401
    assert signed_in(sign_in(app))  # signing in again works as ever


def test_signing_in_as_someone_else_ends_the_earlier_session_of_that_browser(app, api):
    api.user("anna")
    api.user("bram")
    browser = sign_in(app)
    earlier = copy_of(app, browser)
    assert post(browser, "/login", {"login": "bram", "password": PASSWORD}).status_code == 302
    assert browser.get("/api/v1/users/me").get_json()["username"] == "bram"
    assert not signed_in(earlier)


def session_identity(app, client) -> str:
    """What the signed session cookie says about who this is (Flask-Login's ``_user_id``)."""
    return app.session_interface.get_signing_serializer(app).loads(client.get_cookie("session").value)["_user_id"]


def test_only_a_hash_of_the_session_key_is_stored(app, api):
    from community.accounts.models import BrowserSession
    from community.extensions import db

    api.user("anna")
    key = session_identity(app, sign_in(app)).split(":", 1)[1]
    with app.app_context():
        stored = [row.key_hash for row in db.session.query(BrowserSession)]
    assert len(key) >= 32 and len(stored) == 1 and key not in stored[0]


def test_a_session_older_than_its_lifetime_no_longer_signs_in(app, api):
    from community.accounts.models import BrowserSession
    from community.extensions import db

    api.user("anna")
    browser = sign_in(app)
    with app.app_context():
        row = db.session.query(BrowserSession).one()
        row.created_at -= timedelta(days=366)
        db.session.commit()
    assert not signed_in(browser)


def test_the_session_check_is_one_function_that_a_socket_handler_can_call(app, api):
    """Socket.IO will authenticate with the same cookie: it calls the same loader."""
    from community.accounts.sessions import load_user

    api.user("anna")
    browser = sign_in(app)
    identity = session_identity(app, browser)
    with app.test_request_context():
        assert load_user(identity).username == "anna"
        assert load_user(identity.split(":")[0]) is None  # an id without its key is nobody
        assert load_user(identity[:-1] + ("A" if identity[-1] != "A" else "B")) is None
    post(browser, "/logout")
    with app.test_request_context():
        assert load_user(identity) is None
