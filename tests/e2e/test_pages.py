"""The HTML pages, driven through the test client as a browser would: forms with
their CSRF token, redirects, flash messages, and what each kind of visitor sees."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from community.timeutil import today
from tests.e2e.pages import CSRF_META, INLINE_SCRIPT, post, text, without_tokens
from tests.factories import PASSWORD

INVITE_LINK = re.compile(r'id="invite-link" type="text" value="([^"]+)"')




def flash_messages(response) -> list[str]:
    return re.findall(r'<p class="flash[^"]*" role="\w+">(.*?)</p>', text(response))


# --- Accounts ------------------------------------------------------------------


def test_register_form_creates_account_and_signs_in(browser, api):
    visitor = browser()
    response = post(visitor, "/register", {"username": "anna", "email": "anna@example.org",
                                           "password": "lang-genoeg-wachtwoord", "display_name": "Anna de Vries",
                                           "locale": "en"}, follow_redirects=True)
    assert response.status_code == 200
    assert "Welcome to Leerplein, Anna de Vries!" in flash_messages(response)
    assert "Sign out" in text(response)


def test_register_form_shows_each_problem_and_keeps_what_was_typed(browser):
    response = post(browser(), "/register", {"username": "a b", "email": "anna@example.org",
                                             "password": "kort123", "display_name": "Anna"})
    page = text(response)
    assert response.status_code == 422
    assert 'value="anna@example.org"' in page and 'value="Anna"' in page
    assert 'id="f-username-error"' in page and 'aria-describedby="f-username-hint f-username-error"' in page
    assert 'id="f-password-error"' in page
    assert "kort123" not in page  # a password is never sent back


def test_register_with_taken_username_says_so(browser, api):
    api.user("anna")
    response = post(browser(), "/register", {"username": "Anna", "email": "other@example.org",
                                             "password": "lang-genoeg-wachtwoord"})
    assert response.status_code == 409
    assert "This username is taken." in text(response)


def test_login_form_signs_in_and_logout_form_signs_out(browser, api):
    api.user("anna")
    client = browser()
    response = post(client, "/login", {"login": "anna@example.org", "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Your communities" in text(client.get("/"))

    response = post(client, "/logout", follow_redirects=True)
    assert "You have signed out." in flash_messages(response)
    assert client.get("/settings").status_code == 302  # signed out: sent to sign in


def test_logout_is_post_only(browser, api):
    api.user("anna")
    assert browser("anna").get("/logout").status_code == 405


def test_bad_login_gives_one_message_that_does_not_reveal_whether_the_account_exists(browser, api):
    api.user("anna")
    wrong_password = post(browser(), "/login", {"login": "anna", "password": "not-her-password"})
    unknown_user = post(browser(), "/login", {"login": "nobody", "password": "not-her-password"})
    assert wrong_password.status_code == unknown_user.status_code == 401
    message = "The login or password is not right."
    assert message in text(wrong_password) and message in text(unknown_user)
    assert 'value="anna"' in text(wrong_password)  # the login stays typed in


@pytest.mark.parametrize(("next_url", "lands_on"), [
    ("/u/anna", "/u/anna"),
    ("https://evil.example/phish", "/"),
    ("//evil.example/phish", "/"),
    ("/\\evil.example", "/"),
])
def test_login_follows_next_only_to_a_local_path(browser, api, next_url, lands_on):
    api.user("anna")
    response = post(browser(), "/login", {"login": "anna", "password": PASSWORD, "next": next_url})
    assert response.headers["Location"] == lands_on


@pytest.mark.parametrize(("next_url", "lands_on"), [
    ("https://leerplein.example.org/u/anna?tab=1", "/u/anna?tab=1"),
    ("http://evil.example/u/anna", "/"),  # the spoofed Host below names this host: still not ours
])
def test_login_trusts_a_full_next_url_only_on_the_configured_site(make_app, next_url, lands_on):
    from tests.factories import Api

    app = make_app(SITE_URL="https://leerplein.example.org")
    Api(app).user("anna")
    client = app.test_client()
    client.environ_base["HTTP_HOST"] = "evil.example"
    response = post(client, "/login", {"login": "anna", "password": PASSWORD, "next": next_url})
    assert response.headers["Location"] == lands_on


def test_pages_that_need_an_account_send_visitors_to_sign_in_and_back(browser, api):
    anna = api.user("anna")
    slug = api.community(anna, "Winkel Noord")["slug"]
    visitor = browser()
    response = visitor.get(f"/c/{slug}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    login_page = visitor.get(response.headers["Location"])
    assert "Please sign in to see this page." in text(login_page)
    next_field = re.search(r'name="next" value="([^"]*)"', text(login_page)).group(1)
    response = post(visitor, "/login", {"login": "anna", "password": PASSWORD, "next": next_field})
    assert response.headers["Location"] == f"/c/{slug}"


def test_html_login_is_rate_limited_after_repeated_failures(make_app):
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    statuses = [post(client, "/login", {"login": "x", "password": "wrong-password"}).status_code
                for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    page = text(post(client, "/login", {"login": "x", "password": "wrong-password"}))
    assert "Too many attempts" in page and 'href="/"' in page


def test_html_register_is_rate_limited(make_app):
    app = make_app(RATELIMIT_ENABLED=True, REGISTER_RATE_LIMIT="2 per minute")
    client = app.test_client()
    statuses = [post(client, "/register", {"username": f"user{n}", "email": f"user{n}@example.org",
                                           "password": "lang-genoeg-wachtwoord"}).status_code
                for n in range(3)]
    assert statuses == [302, 302, 429]
    assert client.get("/register").status_code in (200, 302)  # only POSTs count


def test_profile_shows_name_bio_join_date_and_stats(browser, api):
    api.user("anna", display_name="Anna de Vries")
    client = browser("anna")
    post(client, "/settings", {"display_name": "Anna de Vries", "bio": "Wijkverpleegkundige in **Utrecht**.",
                               "locale": "en"})
    page = text(browser(api.user("bob")).get("/u/anna"))
    assert "<h1>Anna de Vries</h1>" in page and "@anna" in page
    assert "<strong>Utrecht</strong>" in page
    assert "Member since" in page and "Accepted answers" in page


def test_profile_page_counts_no_posts_of_a_private_community_for_an_outsider(browser, api):
    anna, bob = api.user("anna"), api.user("bob")
    secret = api.community(anna, "Geheim", visibility="private", join_policy="invite")
    for n in range(3):
        api.post(f"/communities/{secret['slug']}/threads", anna, json={"title": f"Onder ons {n}", "body": "Stil."})
    posts = re.compile(r"<dt>Posts</dt><dd>(\d+)</dd>")
    assert posts.search(text(browser(bob).get("/u/anna"))).group(1) == "0"
    assert posts.search(text(browser(anna).get("/u/anna"))).group(1) == "3"


def test_new_thread_form_refuses_a_title_of_zero_width_spaces(browser, api):
    anna = api.user("anna")
    api.community(anna, "Winkel Noord")
    response = post(browser(anna), "/c/winkel-noord/threads/new", {"title": "\u200b" * 4, "body": "Hallo"})
    assert response.status_code == 422 and "This field is required." in text(response)
    assert api.get("/communities/winkel-noord/threads", anna).get_json()["items"] == []


def test_profile_of_unknown_user_is_404(browser, api):
    api.user("anna")
    assert browser("anna").get("/u/nobody").status_code == 404


def test_settings_save_profile_and_can_empty_the_bio(browser, api):
    api.user("anna")
    client = browser("anna")
    response = post(client, "/settings", {"display_name": "Anna", "bio": "Eerst dit.", "locale": "en"},
                    follow_redirects=True)
    assert "Your profile is saved." in flash_messages(response)
    post(client, "/settings", {"display_name": "Anna", "bio": "", "locale": "en"})
    me = api.get("/users/me", "anna").get_json()
    assert me["display_name"] == "Anna" and me["bio"] == ""


def test_changing_password_needs_the_current_password(browser, api):
    api.user("anna")
    client = browser("anna")
    refused = post(client, "/settings/password", {"current_password": "wrong-password-1",
                                                  "password": "een-nieuw-wachtwoord"})
    assert refused.status_code == 422 and 'id="f-current_password-error"' in text(refused)
    done = post(client, "/settings/password", {"current_password": PASSWORD, "password": "een-nieuw-wachtwoord"})
    assert done.status_code == 302
    assert post(browser(), "/login", {"login": "anna", "password": "een-nieuw-wachtwoord"}).status_code == 302


PASSWORD_RULE = ("At least 10 characters, not your username or email address and not a common password. "
                 "A short sentence is easy to remember.")


def test_register_form_explains_the_password_rule_and_refuses_a_common_password(browser):
    visitor = browser()
    assert PASSWORD_RULE in text(visitor.get("/register"))
    response = post(visitor, "/register", {"username": "anna", "email": "anna@example.org",
                                           "password": "password12"})
    assert response.status_code == 422
    assert 'id="f-password-error"' in text(response)
    assert "This is one of the most common passwords." in text(response)


def test_settings_explain_the_password_rule_and_refuse_the_username_as_password(browser, api):
    api.user("anna-de-vries")
    client = browser("anna-de-vries")
    assert PASSWORD_RULE in text(client.get("/settings"))
    refused = post(client, "/settings/password", {"current_password": PASSWORD, "password": "Anna-de-Vries"})
    assert refused.status_code == 422
    assert "Your password may not be your username or email address." in text(refused)


# --- Language --------------------------------------------------------------------


def test_language_switch_works_for_anonymous_visitors(browser):
    visitor = browser()
    assert "<h1>Sign in</h1>" in text(visitor.get("/login"))
    response = post(visitor, "/language", {"locale": "nl", "next": "/login"})
    assert response.headers["Location"] == "/login"
    page = text(visitor.get("/login"))
    assert '<html lang="nl">' in page and "<h1>Inloggen</h1>" in page


def test_language_switch_saves_the_choice_in_a_signed_in_users_profile(browser, api):
    api.user("anna", locale="en")
    client = browser("anna")
    post(client, "/language", {"locale": "nl"})
    assert api.get("/users/me", "anna").get_json()["locale"] == "nl"
    assert "Jouw community's" in text(client.get("/"))


def test_language_switch_refuses_an_unknown_language(browser):
    assert post(browser(), "/language", {"locale": "fr"}).status_code == 400


# --- Every page ------------------------------------------------------------------


def test_every_page_carries_the_csrf_meta_and_no_inline_script_or_style(browser, api, app):
    anna, bob = api.user("anna"), api.user("bob")
    public = api.community(anna, "Winkel Noord", kind="cohort", join_policy="approval")
    api.post(f"/communities/{public['slug']}/join", bob)
    invite = api.post(f"/communities/{public['slug']}/invites", anna, json={}).get_json()["token"]
    owner, visitor = browser("anna"), browser()
    slug = public["slug"]
    pages = {
        owner: ["/", "/?q=winkel", "/communities/new", f"/c/{slug}", f"/c/{slug}/questions", f"/c/{slug}/chat",
                f"/c/{slug}/resources", f"/c/{slug}/members", f"/c/{slug}/members?state=pending",
                f"/c/{slug}/members?state=banned", f"/c/{slug}/edit", f"/c/{slug}/invites", f"/invite/{invite}",
                "/invite/not-a-token", "/u/anna", "/settings", "/c/missing"],
        visitor: ["/", "/login", "/register", "/no-such-page"],
    }
    for client, urls in pages.items():
        for url in urls:
            response = client.get(url)
            page = text(response)
            assert response.status_code in (200, 404), url
            assert CSRF_META.search(page), url
            assert not INLINE_SCRIPT.search(page), url
            assert " style=" not in page and "<style" not in page, url
            assert "onclick" not in page.lower(), url
    csp = owner.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_a_form_post_without_csrf_token_is_refused(browser, api):
    api.user("anna")
    assert browser().post("/login", data={"login": "anna", "password": PASSWORD}).status_code == 400
    response = browser("anna").post("/communities/new", data={"name": "Zonder token", "kind": "practice",
                                                              "visibility": "public", "join_policy": "open"})
    assert response.status_code == 400
    assert "The form expired" in text(response)


def test_private_community_page_is_the_same_404_as_a_missing_one(browser, api):
    anna = api.user("anna")
    api.user("bob")
    slug = api.community(anna, "Geheim overleg", visibility="private")["slug"]
    bob = browser("bob")
    hidden, missing = bob.get(f"/c/{slug}"), bob.get("/c/does-not-exist")
    assert hidden.status_code == missing.status_code == 404
    assert without_tokens(text(hidden)).replace(slug, "X") == without_tokens(text(missing)).replace(
        "does-not-exist", "X")
    for sub in ("members", "questions", "edit", "invites"):
        assert bob.get(f"/c/{slug}/{sub}").status_code == 404
    assert "Geheim overleg" not in text(bob.get("/?q=geheim"))


# --- Home ------------------------------------------------------------------------


def test_home_lists_my_communities_and_others_to_discover(browser, api):
    anna, bob = api.user("anna"), api.user("bob")
    api.community(anna, "Winkel Noord")
    api.community(anna, "Coaching Zuid", join_policy="approval")
    api.community(bob, "Bakkers Oost")
    api.post("/communities/coaching-zuid/join", bob)
    page = text(browser("bob").get("/"))
    mine, discover = page.split('id="discover-title"')
    assert "Bakkers Oost" in mine and "Coaching Zuid" in mine and "Waiting for approval" in mine
    assert "Winkel Noord" in discover and "Bakkers Oost" not in discover


def test_home_search_finds_communities_by_name(browser, api):
    anna = api.user("anna")
    api.community(anna, "Winkel Noord")
    api.community(anna, "Coaching Zuid")
    page = text(browser("anna").get("/?q=coach"))
    assert "Coaching Zuid" in page and "Winkel Noord" not in page
    assert "No community matches" in text(browser("anna").get("/?q=zzz"))


@pytest.mark.parametrize(("start", "end", "badge"), [
    (10, 20, "Upcoming"),
    (-5, 5, "Running"),
    (-20, -10, "Follow-up"),
])
def test_cohort_card_and_page_show_dates_and_phase_badge(browser, api, start, end, badge):
    anna = api.user("anna")
    day = today()
    slug = api.community(anna, "Voorjaarsgroep", kind="cohort", starts_on=(day + timedelta(days=start)).isoformat(),
                         ends_on=(day + timedelta(days=end)).isoformat())["slug"]
    client = browser("anna")
    expected = f'class="badge badge--{badge.lower().replace("-", "_")}">{badge}</span>'
    assert expected in text(client.get("/"))
    page = text(client.get(f"/c/{slug}"))
    assert expected in page and "Cohort group" in page and " to " in page


# --- Creating and editing --------------------------------------------------------


def test_create_community_form_makes_the_caller_owner(browser, api):
    api.user("anna")
    client = browser("anna")
    response = post(client, "/communities/new", {"name": "Wijkverpleging Utrecht", "description": "Samen leren.",
                                                 "kind": "cohort", "starts_on": "2026-03-02", "ends_on": "2026-06-26",
                                                 "visibility": "public", "join_policy": "approval"})
    assert response.headers["Location"] == "/c/wijkverpleging-utrecht"
    page = text(client.get("/c/wijkverpleging-utrecht"))
    assert "You are an owner" in page and "Invite links" in page and "Edit" in page


def test_create_community_form_errors_keep_what_was_typed(browser, api):
    api.user("anna")
    response = post(browser("anna"), "/communities/new", {"name": "Voorjaarsgroep", "description": "Uitleg",
                                                          "kind": "cohort", "visibility": "private",
                                                          "join_policy": "invite"})
    page = text(response)
    assert response.status_code == 422
    assert "A cohort group needs a start and an end date." in page
    assert 'value="Voorjaarsgroep"' in page and ">Uitleg</textarea>" in page
    assert 'value="private" checked' in page and 'value="cohort" checked' in page


def test_only_admins_may_create_when_configured_so(make_app):
    app = make_app(COMMUNITY_CREATORS="admins")
    from tests.factories import Api

    Api(app).user("anna")
    client = app.test_client()
    post(client, "/login", {"login": "anna", "password": PASSWORD})
    assert 'href="/communities/new"' not in text(client.get("/"))
    assert client.get("/communities/new").status_code == 403


def test_moderator_edits_name_address_and_can_empty_the_description(browser, api):
    anna = api.user("anna")
    api.community(anna, "Winkel Noord", description="Oud")
    client = browser("anna")
    assert 'value="Winkel Noord"' in text(client.get("/c/winkel-noord/edit"))
    response = post(client, "/c/winkel-noord/edit", {"name": "Winkel Noord-Oost", "slug": "winkel-no",
                                                     "description": "", "kind": "practice",
                                                     "visibility": "public", "join_policy": "open"})
    assert response.headers["Location"] == "/c/winkel-no"
    community = api.get("/communities/winkel-no", anna).get_json()
    assert community["name"] == "Winkel Noord-Oost" and community["description"] == ""


def test_member_may_not_edit(browser, api):
    anna, bob = api.user("anna"), api.user("bob")
    community = api.community(anna, "Winkel Noord")
    api.member(community, bob, anna)
    assert browser("bob").get("/c/winkel-noord/edit").status_code == 403


def test_archived_community_shows_a_read_only_notice_until_opened_again(browser, api):
    anna = api.user("anna")
    api.community(anna, "Winkel Noord")
    client = browser("anna")
    response = post(client, "/c/winkel-noord/archive", {"archived": "1"}, follow_redirects=True)
    assert "This community is archived" in text(response)
    assert 'badge--archived">Archived' in text(response)
    response = post(client, "/c/winkel-noord/archive", {"archived": "0"}, follow_redirects=True)
    assert "This community is archived" not in text(response)


# --- The community page ----------------------------------------------------------


@pytest.fixture
def placeholder_tab():
    """A tab of a part not built yet, as a capability still to come would leave it (removed afterwards)."""
    from community.web import tabs

    tab = tabs.register_tab("later", "Later", order=90, coming="Sessions are coming soon to Leerplein.")
    yield tab
    tabs._TABS.pop("later", None)


def test_a_placeholder_tab_says_its_part_arrives_in_a_later_update(browser, api, placeholder_tab):
    anna = api.user("anna")
    api.community(anna, "Winkel Noord")
    response = browser("anna").get("/c/winkel-noord/later")
    assert response.status_code == 200
    assert "coming soon to Leerplein" in text(response) and "later update" in text(response)
    chat = text(browser("anna").get("/c/winkel-noord/chat"))
    assert "coming soon" not in chat and "data-chat" in chat


def test_public_community_is_readable_by_a_signed_in_non_member_who_can_join(browser, api):
    anna = api.user("anna")
    api.user("bob")
    api.community(anna, "Winkel Noord")
    bob = browser("bob")
    page = text(bob.get("/c/winkel-noord"))
    assert "No discussions yet." in page and ">Join</button>" in page
    response = post(bob, "/c/winkel-noord/join", follow_redirects=True)
    assert "Welcome to Winkel Noord!" in flash_messages(response)
    assert "You are a member" in text(response)
    assert ">Leave</button>" in text(bob.get("/c/winkel-noord/members"))  # out of the way, on the Members tab


def test_approval_community_shows_ask_to_join_then_waiting(browser, api):
    anna = api.user("anna")
    api.user("bob")
    api.community(anna, "Coaching Zuid", join_policy="approval")
    bob = browser("bob")
    assert ">Ask to join</button>" in text(bob.get("/c/coaching-zuid"))
    page = text(post(bob, "/c/coaching-zuid/join", follow_redirects=True))
    assert "A moderator will look at your request soon." in page
    assert "Waiting for approval" in page and ">Withdraw request</button>" in page


def test_invite_only_community_explains_how_to_join(browser, api):
    anna = api.user("anna")
    api.user("bob")
    api.community(anna, "Kernteam", join_policy="invite")
    page = text(browser("bob").get("/c/kernteam"))
    assert "with an invite link" in page and ">Join</button>" not in page
    assert post(browser("bob"), "/c/kernteam/join").status_code == 302  # refused: flashed, not joined
    assert api.get("/communities/kernteam", "bob").get_json()["my_state"] is None


def test_banned_member_sees_only_the_header_with_a_ban_notice(browser, api):
    anna, bob = api.user("anna"), api.user("bob")
    community = api.community(anna, "Winkel Noord")
    api.member(community, bob, anna, state="banned")
    page = text(browser("bob").get("/c/winkel-noord"))
    assert "You are banned from this community." in page
    assert "coming soon" not in page and 'class="tabs"' not in page and ">Join</button>" not in page


def test_member_leaves_and_the_last_owner_is_told_to_hand_over_first(browser, api):
    anna, bob = api.user("anna"), api.user("bob")
    community = api.community(anna, "Winkel Noord")
    api.member(community, bob, anna)
    response = post(browser("bob"), "/c/winkel-noord/leave", follow_redirects=True)
    assert "You have left Winkel Noord." in flash_messages(response)
    response = post(browser("anna"), "/c/winkel-noord/leave", follow_redirects=True)
    assert "You are the only owner" in flash_messages(response)[0]


# --- Members and moderation ------------------------------------------------------


def test_moderator_sees_pending_requests_and_approves_one(browser, api):
    anna, bob, mia = api.user("anna"), api.user("bob"), api.user("mia")
    community = api.community(anna, "Coaching Zuid", join_policy="approval")
    api.member(community, mia, anna, role="moderator")
    api.post("/communities/coaching-zuid/join", bob)
    moderator = browser("mia")
    assert '<span class="count">1</span>' in text(moderator.get("/c/coaching-zuid"))
    pending = text(moderator.get("/c/coaching-zuid/members?state=pending"))
    assert "@bob" in pending and ">Approve</button>" in pending and ">Refuse</button>" in pending
    response = post(moderator, "/c/coaching-zuid/members/bob",
                    {"action": "approve", "next": "/c/coaching-zuid/members?state=pending"})
    assert response.headers["Location"] == "/c/coaching-zuid/members?state=pending"
    assert "bob is now a member." in flash_messages(moderator.get(response.headers["Location"]))
    assert api.get("/communities/coaching-zuid", bob).get_json()["my_state"] == "active"


def test_moderator_refuses_a_request(browser, api):
    anna, bob = api.user("anna"), api.user("bob")
    api.community(anna, "Coaching Zuid", join_policy="approval")
    api.post("/communities/coaching-zuid/join", bob)
    response = post(browser("anna"), "/c/coaching-zuid/members/bob", {"action": "refuse"}, follow_redirects=True)
    assert "The request from bob is turned down." in flash_messages(response)
    assert api.get("/communities/coaching-zuid", bob).get_json()["my_state"] is None


def test_moderator_mutes_unmutes_bans_and_unbans_a_member(browser, api):
    anna, bob = api.user("anna"), api.user("bob")
    community = api.community(anna, "Winkel Noord")
    api.member(community, bob, anna)
    owner = browser("anna")
    members = text(owner.get("/c/winkel-noord/members"))
    assert 'name="hours" value="24"' in members and ">Ban</button>" in members

    post(owner, "/c/winkel-noord/members/bob", {"action": "mute", "hours": "24"})
    assert "Muted until" in text(owner.get("/c/winkel-noord/members"))
    post(owner, "/c/winkel-noord/members/bob", {"action": "unmute"})
    assert "Muted until" not in text(owner.get("/c/winkel-noord/members"))

    response = post(owner, "/c/winkel-noord/members/bob", {"action": "ban"}, follow_redirects=True)
    assert "bob is banned." in flash_messages(response)
    assert "@bob" in text(owner.get("/c/winkel-noord/members?state=banned"))
    post(owner, "/c/winkel-noord/members/bob", {"action": "unban"})
    assert api.get("/communities/winkel-noord", bob).get_json()["my_state"] == "active"


def test_mute_accepts_only_the_offered_durations(browser, api):
    anna, bob = api.user("anna"), api.user("bob")
    api.member(api.community(anna, "Winkel Noord"), bob, anna)
    assert post(browser("anna"), "/c/winkel-noord/members/bob", {"action": "mute", "hours": "9999"}).status_code == 400


def test_owner_gives_roles_but_a_moderator_cannot(browser, api):
    anna, bob, mia = api.user("anna"), api.user("bob"), api.user("mia")
    community = api.community(anna, "Winkel Noord")
    api.member(community, bob, anna)
    api.member(community, mia, anna, role="moderator")
    assert "Make moderator" not in text(browser("mia").get("/c/winkel-noord/members"))
    response = post(browser("mia"), "/c/winkel-noord/members/bob", {"action": "role", "role": "moderator"},
                    follow_redirects=True)
    assert flash_messages(response) == ["Only an owner can make moderators or owners."]

    owner = browser("anna")
    assert "Make moderator" in text(owner.get("/c/winkel-noord/members"))
    response = post(owner, "/c/winkel-noord/members/bob", {"action": "role", "role": "moderator"},
                    follow_redirects=True)
    assert "bob is now a moderator." in flash_messages(response)


def test_muted_moderator_cannot_unmute_themselves_on_the_members_page(browser, api):
    anna, mia = api.user("anna"), api.user("mia")
    community = api.community(anna, "Winkel Noord")
    api.member(community, mia, anna, role="moderator")
    api.patch("/communities/winkel-noord/members/mia", anna, json={"muted_until": "2999-01-01T00:00:00Z"})
    moderator = browser("mia")
    page = text(moderator.get("/c/winkel-noord/members"))
    assert page.count("Manage<span") == 0  # the owner and mia herself: no buttons for either
    for action in ("unmute", "ban"):
        response = post(moderator, "/c/winkel-noord/members/mia", {"action": action}, follow_redirects=True)
        assert flash_messages(response) == ["You cannot change your own membership, only leave the community."]
    mine = api.get("/communities/winkel-noord/members?limit=100", anna).get_json()["items"]
    assert [m["muted_until"] for m in mine if m["user"]["username"] == "mia"] == ["2999-01-01T00:00:00Z"]


def test_plain_member_sees_the_member_list_without_moderation_buttons(browser, api):
    anna, bob = api.user("anna"), api.user("bob")
    api.member(api.community(anna, "Winkel Noord"), bob, anna)
    page = text(browser("bob").get("/c/winkel-noord/members"))
    assert "@anna" in page and "Owner" in page
    assert ">Ban</button>" not in page and "Requests" not in page
    assert browser("bob").get("/c/winkel-noord/members?state=pending").status_code == 403


# --- Invite links ----------------------------------------------------------------


def test_invite_link_lets_someone_join_a_private_community(browser, api):
    anna = api.user("anna")
    api.user("bob")
    api.community(anna, "Geheim overleg", visibility="private", join_policy="invite")
    created = post(browser("anna"), "/c/geheim-overleg/invites", {"expires_in_days": "7", "max_uses": "5"},
                   follow_redirects=True)
    link = INVITE_LINK.search(text(created)).group(1)
    path = link.removeprefix("http://127.0.0.1:5000")
    assert path.startswith("/invite/")

    bob = browser()
    response = bob.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    response = post(bob, "/login", {"login": "bob", "password": PASSWORD, "next": path})
    assert response.headers["Location"] == path
    landing = text(bob.get(path))
    assert "Geheim overleg" in landing and "You are invited to join" in landing
    token = path.rsplit("/", 1)[1]
    response = post(bob, "/c/geheim-overleg/join", {"invite": token}, follow_redirects=True)
    assert "Welcome to Geheim overleg!" in flash_messages(response)
    assert bob.get("/c/geheim-overleg").status_code == 200


def test_invite_link_is_shown_once_with_a_copy_button(browser, api):
    anna = api.user("anna")
    api.community(anna, "Winkel Noord")
    owner = browser("anna")
    page = text(post(owner, "/c/winkel-noord/invites", {"expires_in_days": "3", "max_uses": ""},
                     follow_redirects=True))
    assert INVITE_LINK.search(page) and 'data-copy="invite-link"' in page
    assert not INVITE_LINK.search(text(owner.get("/c/winkel-noord/invites")))


def test_invite_link_on_the_page_comes_from_the_site_url_whatever_the_host_header(make_app):
    from tests.factories import Api

    app = make_app(SITE_URL="https://leerplein.example.org")
    api = Api(app)
    api.community(api.user("anna"), "Winkel Noord")
    client = app.test_client()
    client.environ_base["HTTP_HOST"] = "evil.example"
    post(client, "/login", {"login": "anna", "password": PASSWORD})
    page = text(post(client, "/c/winkel-noord/invites", {"expires_in_days": "3"}, follow_redirects=True))
    assert INVITE_LINK.search(page).group(1).startswith("https://leerplein.example.org/invite/")
    assert "evil.example" not in page


def test_invite_form_explains_bad_values(browser, api):
    anna = api.user("anna")
    api.community(anna, "Winkel Noord")
    response = post(browser("anna"), "/c/winkel-noord/invites", {"expires_in_days": "0", "max_uses": "twee"})
    assert response.status_code == 422
    assert 'id="f-expires_in_days-error"' in text(response) and 'id="f-max_uses-error"' in text(response)


def test_used_up_invite_link_shows_a_friendly_no_longer_valid_page(browser, api):
    anna, bob = api.user("anna"), api.user("bob")
    api.user("carol")
    api.community(anna, "Geheim overleg", visibility="private", join_policy="invite")
    token = api.post("/communities/geheim-overleg/invites", anna, json={"max_uses": 1}).get_json()["token"]
    assert api.post("/communities/geheim-overleg/join", bob, json={"invite": token}).status_code == 200
    response = browser("carol").get(f"/invite/{token}")
    assert response.status_code == 404
    assert "This invite link is no longer valid" in text(response)


def test_home_lists_page_with_more_and_back_to_the_start(browser, api):
    owner, reader = api.user("eigenaar"), api.user("lezer")
    for n in range(23):
        api.community(owner, f"Winkel {n:02d}")
    api.member(api.community(owner, "Aaa eigen"), reader, owner)
    client = browser(reader)
    first = text(client.get("/"))
    assert "Aaa eigen" in first and first.count('community-card">') == 21
    more = re.search(r'<a class="pager__link pager__next" href="([^"]+)" rel="next">More →</a>', first)
    assert more and "Back to the start" not in first
    second = text(client.get(more.group(1).replace("&amp;", "&")))
    assert "Winkel 22" in second and "Winkel 00" not in second
    assert "Back to the start" in second
