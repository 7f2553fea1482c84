"""Live chat on a real server process, driven by a real Socket.IO client (python-socketio) over websockets.

Each test builds its own community on one module-wide server; people are
registered per test with unique names. What is checked is what a user or
an attacker would see: acks, broadcasts, what arrives and what does not.
"""

from __future__ import annotations

import itertools
import threading
import time

import pytest
import requests
import socketio

from tests.conftest import start_server, stop_server
from tests.factories import PASSWORD, http_user

pytestmark = pytest.mark.e2e
_names = itertools.count()


@pytest.fixture(scope="module")
def server(live_server):
    return live_server


class Person:
    """A registered user with a token, and any sockets they open (closed by the ``people`` fixture)."""

    def __init__(self, base: str, prefix: str):
        self.base = base
        self.username = f"{prefix}{next(_names)}"
        self.auth = http_user(base, self.username)
        self.token = self.auth["Authorization"].split()[1]
        self.sockets: list[Socket] = []

    def api(self, method: str, path: str, **kwargs):
        return requests.request(method, f"{self.base}/api/v1{path}", headers=self.auth, timeout=10, **kwargs)

    def socket(self) -> Socket:
        sock = Socket(self.base, {"token": self.token})
        self.sockets.append(sock)
        return sock


class Socket:
    """A connected client that records every server event it receives."""

    EVENTS = ("message", "message_deleted", "typing", "presence", "notification", "thread_post", "answer", "left")

    def __init__(self, base: str, auth: dict | None = None, headers: dict | None = None):
        self.client = socketio.Client(reconnection=False)
        self.received: dict[str, list] = {name: [] for name in self.EVENTS}
        self._arrived = threading.Condition()
        for name in self.EVENTS:
            self.client.on(name, lambda data, name=name: self._record(name, data))
        self.client.connect(base, auth=auth, headers=headers or {}, transports=["websocket"], wait_timeout=10)

    def _record(self, name, data):
        with self._arrived:
            self.received[name].append(data)
            self._arrived.notify_all()

    def call(self, event: str, data) -> dict:
        return self.client.call(event, data, timeout=10)

    def wait_for(self, name: str, predicate=lambda data: True, timeout: float = 15.0):
        deadline = time.monotonic() + timeout
        with self._arrived:
            while True:
                for data in self.received[name]:
                    if predicate(data):
                        return data
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no {name} event matching within {timeout} s: {self.received[name]}")
                self._arrived.wait(left)

    def close(self):
        if self.client.connected:
            self.client.disconnect()


@pytest.fixture
def people(server):
    made: list[Person] = []

    def make(prefix: str = "p") -> Person:
        person = Person(server, prefix)
        made.append(person)
        return person

    yield make
    for person in made:
        for sock in person.sockets:
            sock.close()


def _community(owner: Person, *members: Person, visibility: str = "public") -> str:
    response = owner.api("POST", "/communities", json={
        "name": f"Winkel {next(_names)}", "kind": "practice", "visibility": visibility, "join_policy": "open"})
    assert response.status_code == 201, response.text
    slug = response.json()["slug"]
    for member in members:
        if visibility == "private":
            invite = owner.api("POST", f"/communities/{slug}/invites", json={}).json()["token"]
            assert member.api("POST", f"/communities/{slug}/join", json={"invite": invite}).status_code == 200
        else:
            assert member.api("POST", f"/communities/{slug}/join").status_code == 200
    return slug


def _send(sock: Socket, slug: str, body: str, client_id: str | None = None) -> dict:
    data = {"community": slug, "body": body}
    if client_id:
        data["client_id"] = client_id
    return sock.call("message", data)


# -- connecting ---------------------------------------------------------------------------------


def test_a_connection_without_credentials_or_with_a_bad_token_is_refused(server):
    for auth in (None, {"token": "not-a-token"}, {"token": 12}):
        with pytest.raises(socketio.exceptions.ConnectionError):
            Socket(server, auth)


def test_a_handshake_from_another_site_is_refused(server, people):
    anna = people("anna")
    with pytest.raises(socketio.exceptions.ConnectionError):
        Socket(server, {"token": anna.token}, headers={"Origin": "http://evil.example"})
    own = Socket(server, {"token": anna.token})  # the client names the server's own origin
    assert own.client.connected
    own.close()


def _browser(base: str, username: str) -> tuple[requests.Session, str]:
    """A signed-in browser session and its Cookie header."""
    browser = requests.Session()
    page = browser.get(f"{base}/login", timeout=10).text
    csrf = page.split('name="csrf-token" content="')[1].split('"')[0]
    browser.post(f"{base}/login", data={"login": username, "password": PASSWORD, "csrf_token": csrf}, timeout=10)
    browser.headers["X-CSRFToken"] = csrf
    return browser, "; ".join(f"{c.name}={c.value}" for c in browser.cookies)


def test_the_browser_session_cookie_signs_a_socket_in(server, people):
    anna = people("anna")
    slug = _community(anna)
    _session, cookie = _browser(server, anna.username)
    sock = Socket(server, headers={"Cookie": cookie})
    try:
        assert sock.call("join", {"community": slug})["ok"] is True
        assert _send(sock, slug, "Via de cookie")["ok"] is True
    finally:
        sock.close()


def test_a_revoked_token_stops_working_at_the_next_event(server, people):
    anna = people("anna")
    slug = _community(anna)
    sock = anna.socket()
    assert sock.call("join", {"community": slug})["ok"]
    assert anna.api("DELETE", "/tokens/current").status_code == 204
    assert _send(sock, slug, "Nog hier?")["error"] == "unauthenticated"


def test_sockets_that_only_listen_are_shut_out_when_their_token_or_session_ends(tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir()
    process, base = start_server(instance, {"COMMUNITY_SCHEDULER_INTERVAL": "0.5"})
    try:
        anna = Person(base, "anna")
        slug = _community(anna)
        browser, cookie = _browser(base, anna.username)
        by_token, by_cookie = anna.socket(), Socket(base, headers={"Cookie": cookie})
        for sock in (by_token, by_cookie):
            assert sock.call("join", {"community": slug})["ok"]
        assert anna.api("DELETE", "/tokens/current").status_code == 204
        assert browser.post(f"{base}/logout", timeout=10).status_code in (200, 302)
        deadline = time.monotonic() + 10
        while (by_token.client.connected or by_cookie.client.connected) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not by_token.client.connected and not by_cookie.client.connected
    finally:
        stop_server(process)


# -- the room: history, messages, presence, typing ------------------------------------------------


def test_messages_are_stored_then_broadcast_to_the_room_sender_included(people):
    anna, bram = people("anna"), people("bram")
    slug = _community(anna, bram)
    a, b = anna.socket(), bram.socket()
    joined = b.call("join", {"community": slug})
    assert joined == {"ok": True, "history": [], "online": [bram.username]}
    assert a.call("join", {"community": slug})["online"] == sorted([anna.username, bram.username])
    b.wait_for("presence", lambda p: anna.username in p["online"])

    ack = _send(a, slug, "Wie heeft de **sleutel** van het magazijn?", "c-1")
    assert ack["ok"] is True
    message = ack["message"]
    assert message["body_html"] == "<p>Wie heeft de <strong>sleutel</strong> van het magazijn?</p>"
    assert message["author"]["username"] == anna.username and message["client_id"] == "c-1"
    assert b.wait_for("message", lambda m: m["id"] == message["id"])["body"] == message["body"]
    assert a.wait_for("message", lambda m: m["id"] == message["id"])

    later = bram.socket().call("join", {"community": slug})
    assert [m["id"] for m in later["history"]] == [message["id"]]


def test_the_same_client_id_stores_once_and_is_not_broadcast_again(people):
    anna, bram = people("anna"), people("bram")
    slug = _community(anna, bram)
    a, b = anna.socket(), bram.socket()
    a.call("join", {"community": slug})
    b.call("join", {"community": slug})
    first = _send(a, slug, "Eén keer", "dubbel")["message"]
    again = _send(a, slug, "Eén keer", "dubbel")["message"]
    assert again["id"] == first["id"]
    b.wait_for("message", lambda m: m["id"] == first["id"])
    time.sleep(0.3)
    assert [m["id"] for m in b.received["message"]] == [first["id"]]
    items = bram.api("GET", f"/communities/{slug}/messages").json()["items"]
    assert [m["id"] for m in items] == [first["id"]]


def test_catch_up_returns_everything_missed_in_order(people):
    anna, bram = people("anna"), people("bram")
    slug = _community(anna, bram)
    a = anna.socket()
    a.call("join", {"community": slug})
    seen = _send(a, slug, "Voor de lift")["message"]["id"]
    missed = [_send(a, slug, f"Gemist {n}")["message"]["id"] for n in range(60)]
    b = bram.socket()
    assert b.call("join", {"community": slug})["ok"]
    caught = b.call("catch_up", {"community": slug, "after": seen})
    assert caught["ok"] and [m["id"] for m in caught["messages"]] == missed
    assert missed == sorted(missed)


def test_broadcasts_from_concurrent_senders_reach_every_socket_once_in_id_order(people):
    """The room's broadcasts leave from one greenlet that pauses within long runs: none overtakes another."""
    senders = [people("zender") for _ in range(3)]
    reader = people("lezer")
    slug = _community(senders[0], *senders[1:], reader)
    sockets = [person.socket() for person in [*senders, reader]]
    for sock in sockets:
        assert sock.call("join", {"community": slug})["ok"]
    sent: list[int] = []

    def burst(sock: Socket, n: int) -> None:
        for k in range(20):
            ack = _send(sock, slug, f"Golf {n}.{k}")
            assert ack["ok"], ack
            sent.append(ack["message"]["id"])

    threads = [threading.Thread(target=burst, args=(sockets[n], n)) for n in range(len(senders))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for sock in sockets:
        sock.wait_for("message", lambda m: m["id"] == max(sent))
        assert [m["id"] for m in sock.received["message"]] == sorted(sent)


def test_typing_reaches_the_others_only_and_leaving_updates_presence(people):
    anna, bram = people("anna"), people("bram")
    slug = _community(anna, bram)
    a, b = anna.socket(), bram.socket()
    a.call("join", {"community": slug})
    b.call("join", {"community": slug})
    a.client.emit("typing", {"community": slug})
    assert b.wait_for("typing") == {"community": slug, "username": anna.username}
    time.sleep(0.3)
    assert a.received["typing"] == []
    assert a.call("leave", {"community": slug}) == {"ok": True}
    b.wait_for("presence", lambda p: p["online"] == [bram.username])
    a.close()


def test_a_closed_connection_drops_out_of_presence(people):
    anna, bram = people("anna"), people("bram")
    slug = _community(anna, bram)
    a, b = anna.socket(), bram.socket()
    a.call("join", {"community": slug})
    b.call("join", {"community": slug})
    a.close()
    b.wait_for("presence", lambda p: p["online"] == [bram.username])


# -- who may do what ------------------------------------------------------------------------------


def test_outsiders_of_a_private_community_can_neither_join_nor_send(people):
    anna, eve = people("anna"), people("eve")
    slug = _community(anna, visibility="private")
    e = eve.socket()
    assert e.call("join", {"community": slug})["error"] == "not_found"
    assert e.call("join", {"community": "bestaat-niet"})["error"] == "not_found"
    assert _send(e, slug, "Binnen?")["error"] == "not_member"
    assert e.call("catch_up", {"community": slug, "after": 0})["error"] == "not_found"
    assert eve.api("GET", f"/communities/{slug}/messages").status_code == 404


def test_a_reader_of_a_public_community_may_listen_but_only_members_send(people):
    anna, visitor = people("anna"), people("gast")
    slug = _community(anna)
    v = visitor.socket()
    assert v.call("join", {"community": slug})["ok"] is True
    assert _send(v, slug, "Mag ik?")["error"] == "not_member"


def test_a_muted_member_reads_but_cannot_send(people):
    anna, bram = people("anna"), people("bram")
    slug = _community(anna, bram)
    b = bram.socket()
    b.call("join", {"community": slug})
    assert anna.api("PATCH", f"/communities/{slug}/members/{bram.username}",
                    json={"muted_until": "2999-01-01T00:00:00Z"}).status_code == 200
    assert _send(b, slug, "Hallo?")["error"] == "muted"
    anna_socket = anna.socket()
    anna_socket.call("join", {"community": slug})
    sent = _send(anna_socket, slug, "Jij mag lezen")["message"]
    assert b.wait_for("message", lambda m: m["id"] == sent["id"])


def test_a_banned_member_is_taken_out_of_the_room_at_once(people):
    anna, bram, cor = people("anna"), people("bram"), people("cor")
    slug = _community(anna, bram, cor)
    b, c = bram.socket(), cor.socket()
    b.call("join", {"community": slug})
    c.call("join", {"community": slug})
    b.client.emit("watch", {"thread": 0})  # nonsense is refused, the socket stays usable
    assert anna.api("PATCH", f"/communities/{slug}/members/{bram.username}",
                    json={"state": "banned"}).status_code == 200
    assert b.wait_for("left") == {"community": slug, "reason": "no_access"}
    c.wait_for("presence", lambda p: bram.username not in p["online"])
    sent = _send(c, slug, "Na de ban")["message"]
    c.wait_for("message", lambda m: m["id"] == sent["id"])
    time.sleep(0.3)
    assert all(m["id"] != sent["id"] for m in b.received["message"])
    assert b.call("join", {"community": slug})["error"] == "banned"
    assert _send(b, slug, "Terug")["error"] == "banned"


def test_a_community_turned_private_drops_everyone_who_is_not_a_member(people):
    anna, bram, visitor = people("anna"), people("bram"), people("gast")
    slug = _community(anna, bram)
    b, v = bram.socket(), visitor.socket()
    b.call("join", {"community": slug})
    v.call("join", {"community": slug})
    assert anna.api("PATCH", f"/communities/{slug}", json={"visibility": "private"}).status_code == 200
    assert v.wait_for("left")["community"] == slug
    a = anna.socket()
    a.call("join", {"community": slug})
    sent = _send(a, slug, "Nu besloten")["message"]
    b.wait_for("message", lambda m: m["id"] == sent["id"])
    time.sleep(0.3)
    assert all(m["id"] != sent["id"] for m in v.received["message"])
    assert b.received["left"] == []


def test_hostile_events_get_an_error_ack_and_the_socket_keeps_working(people):
    anna = people("anna")
    slug = _community(anna)
    a = anna.socket()
    for data in ("tekst", 7, None, [slug], {"community": 7}, {"community": {"$ne": 1}}):
        ack = a.call("join", data)
        assert ack["ok"] is False and ack["error"] in ("invalid", "not_found"), (data, ack)
    assert _send(a, slug, "")["error"] == "invalid"
    too_long = _send(a, slug, "x" * 2001)
    assert too_long["error"] == "invalid" and "body" in too_long["fields"]
    assert _send(a, slug, "\u200b\u200b")["error"] == "invalid"
    assert a.call("message", {"community": slug, "body": "ok", "client_id": "x" * 101})["error"] == "invalid"
    for after in ("1", -1, 2**63, 1.5, True):
        assert a.call("catch_up", {"community": slug, "after": after})["error"] == "invalid", after
    assert _send(a, slug, "<script>alert(1)</script> [x](javascript:alert(1))")["message"]["body_html"].count(
        "<script") == 0
    assert a.call("join", {"community": slug})["ok"] is True


# -- deleting, HTTP, live notifications and page updates ----------------------------------------


def test_a_moderator_deletes_a_message_and_the_room_hears_of_it(people):
    anna, bram = people("anna"), people("bram")
    slug = _community(anna, bram)
    b = bram.socket()
    b.call("join", {"community": slug})
    sent = _send(b, slug, "Dit hoort hier niet")["message"]
    other = people("cor")
    assert other.api("DELETE", f"/messages/{sent['id']}").status_code == 403  # a reader of a public community
    assert anna.api("DELETE", f"/messages/{sent['id']}").status_code == 204
    assert b.wait_for("message_deleted") == {"id": sent["id"], "community": slug}
    assert bram.api("GET", f"/communities/{slug}/messages").json()["items"] == []
    assert b.call("catch_up", {"community": slug, "after": 0})["messages"] == []
    assert anna.api("DELETE", f"/messages/{sent['id']}").status_code == 404


def test_http_send_with_an_idempotency_key_is_broadcast_once(people):
    anna, bram = people("anna"), people("bram")
    slug = _community(anna, bram)
    b = bram.socket()
    b.call("join", {"community": slug})
    key = {"Idempotency-Key": "draft-7"}
    first = requests.post(f"{anna.base}/api/v1/communities/{slug}/messages", timeout=10,
                          headers={**anna.auth, **key}, json={"body": "Vanuit de trein"})
    again = requests.post(f"{anna.base}/api/v1/communities/{slug}/messages", timeout=10,
                          headers={**anna.auth, **key}, json={"body": "Vanuit de trein"})
    assert first.status_code == 201 and again.json()["id"] == first.json()["id"]
    b.wait_for("message", lambda m: m["id"] == first.json()["id"])
    time.sleep(0.3)
    assert len(b.received["message"]) == 1


def test_notifications_arrive_live_in_every_open_tab(people):
    anna, bram = people("anna"), people("bram")
    slug = _community(anna, bram)
    tabs = [bram.socket(), bram.socket()]
    thread = anna.api("POST", f"/communities/{slug}/threads", json={"title": "Kassa", "body": "Vraagje"}).json()
    reply = bram.api("POST", f"/threads/{thread['id']}/posts", json={"body": "Hier ben ik"}).json()
    assert reply["id"]
    a = anna.socket()
    a.call("join", {"community": slug})
    _send(a, slug, f"Dank je @{bram.username}!")
    for tab in tabs:
        note = tab.wait_for("notification", lambda n: n["kind"] == "mention")
        assert note["url"].startswith(f"/c/{slug}/chat") and note["actor"]["username"] == anna.username


def test_watchers_of_a_thread_and_a_question_hear_of_new_replies_and_answers(people):
    anna, bram, eve = people("anna"), people("bram"), people("eve")
    slug = _community(anna, bram, visibility="private")
    thread = anna.api("POST", f"/communities/{slug}/threads", json={"title": "Rooster", "body": "Wie ruilt?"}).json()
    question = anna.api("POST", f"/communities/{slug}/questions",
                        json={"title": "Hoe reset ik de kassa?", "body": "Hij hangt.", "tags": ["kassa"]}).json()
    w = bram.socket()
    assert w.call("watch", {"thread": thread["id"]}) == {"ok": True}
    assert w.call("watch", {"question": question["id"]}) == {"ok": True}
    e = eve.socket()
    assert e.call("watch", {"thread": thread["id"]})["error"] == "not_found"
    reply = anna.api("POST", f"/threads/{thread['id']}/posts", json={"body": "Ik!"}).json()
    answer = anna.api("POST", f"/questions/{question['id']}/answers", json={"body": "Knop ingedrukt houden."}).json()
    assert w.wait_for("thread_post") == {"thread_id": thread["id"], "id": reply["id"]}
    assert w.wait_for("answer") == {"question_id": question["id"], "id": answer["id"]}
    time.sleep(0.3)
    assert e.received["thread_post"] == [] and e.received["answer"] == []


def test_sends_and_floods_of_events_are_rate_limited_with_an_ack_not_a_disconnect(tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir()
    process, base = start_server(instance, {"COMMUNITY_RATELIMIT": "on", "COMMUNITY_CHAT_RATE_COUNT": "3",
                                              "COMMUNITY_CHAT_RATE_SECONDS": "30"})
    try:
        anna = Person(base, "anna")
        slug = _community(anna)
        a = anna.socket()
        assert [_send(a, slug, f"Snel {n}")["ok"] for n in range(3)] == [True, True, True]
        limited = _send(a, slug, "Te snel")
        assert limited["ok"] is False and limited["error"] == "rate_limited" and limited["retry_after"] >= 1
        assert a.client.connected and a.call("join", {"community": slug})["ok"]
        assert _send(a, slug, "Snel 0", None)["error"] == "rate_limited"
        flood = [a.call("catch_up", {"community": slug, "after": 0}) for _ in range(80)]  # any event, in a loop
        assert flood[0]["ok"] and any(ack.get("error") == "rate_limited" for ack in flood)
        time.sleep(1.5)
        assert a.client.connected and a.call("join", {"community": slug})["ok"]
        a.close()
    finally:
        stop_server(process)


def test_a_resend_after_a_server_restart_is_stored_once(tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir()
    process, base = start_server(instance)
    try:
        anna = Person(base, "anna")
        slug = _community(anna)
        a = anna.socket()
        first = _send(a, slug, "Voor de herstart", "blijft-een")["message"]
        a.close()
    finally:
        stop_server(process)
    process, base = start_server(instance)
    try:
        a = Socket(base, {"token": anna.token})
        again = _send(a, slug, "Voor de herstart", "blijft-een")
        assert again["ok"] and again["message"]["id"] == first["id"]
        caught = a.call("catch_up", {"community": slug, "after": 0})["messages"]
        assert [m["id"] for m in caught] == [first["id"]]
        a.close()
    finally:
        stop_server(process)


def test_a_message_is_found_by_search_shortly_after_and_gone_once_deleted(people):
    anna = people("anna")
    slug = _community(anna)
    a = anna.socket()
    sent = _send(a, slug, "De pallettruck van gang zeven lekt olie")["message"]
    deadline, found = time.monotonic() + 15, 0  # indexed in the next batch (SEARCH_BATCH_SECONDS, 2 s)
    while time.monotonic() < deadline and not found:
        found = anna.api("GET", "/search", params={"q": "pallettruck", "type": "chat"}).json()["total"]
    assert found == 1
    assert anna.api("DELETE", f"/messages/{sent['id']}").status_code == 204
    assert anna.api("GET", "/search", params={"q": "pallettruck", "type": "chat"}).json()["total"] == 0



def test_pushes_never_carry_expertise_counted_in_a_community_the_reader_cannot_read(server, people):
    """The author's accepted answers in a private community stay there: not in a broadcast, not in a live
    notification, although the push is built while the author (signed in, who may read it) acts."""
    expert, asker, reader = people("exp"), people("ask"), people("lez")
    private = _community(expert, asker, visibility="private")
    question = asker.api("POST", f"/communities/{private}/questions", json={
        "title": "Hoe reset ik de kassalade?", "body": "Hij zit vast.", "tags": ["kassageheim"]}).json()
    answer = expert.api("POST", f"/questions/{question['id']}/answers", json={"body": "Sleutel omdraaien."}).json()
    assert asker.api("POST", f"/questions/{question['id']}/accept", json={"answer_id": answer["id"]}).status_code == 200
    mine = expert.api("GET", "/users/me").json()["expertise"]
    assert any(e["tag"] == "kassageheim" for e in mine)  # the expert sees their own, as they may

    public = _community(expert, reader)
    listening = reader.socket()
    assert listening.call("join", {"community": public})["ok"]
    _session, cookie = _browser(server, expert.username)
    sock = Socket(server, headers={"Cookie": cookie})
    expert.sockets.append(sock)
    assert sock.call("join", {"community": public})["ok"]
    ack = _send(sock, public, f"Hoi @{reader.username}")
    assert ack["ok"]
    heard = listening.wait_for("message", lambda m: m["id"] == ack["message"]["id"])
    notified = listening.wait_for("notification", lambda n: n["kind"] == "mention")
    for author in (heard["author"], notified["actor"], ack["message"]["author"]):
        assert author["username"] == expert.username
        assert all(e["tag"] != "kassageheim" for e in author["expertise"]), author
