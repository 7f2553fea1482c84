"""Builders for the world a test needs, through the public API."""

from __future__ import annotations

import itertools

_numbers = itertools.count(1)
PASSWORD = "correct-horse-battery"


class Api:
    """A thin JSON client over Flask's test client, one Bearer token per user."""

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()
        self.tokens: dict[str, str] = {}

    def call(self, method: str, path: str, user: str | None = None, json=None, **kwargs):
        headers = kwargs.pop("headers", {})
        if user is not None:
            headers["Authorization"] = f"Bearer {self.tokens[user]}"
        return self.client.open("/api/v1" + path, method=method, json=json, headers=headers, **kwargs)

    def get(self, path, user=None, **kw):
        return self.call("GET", path, user, **kw)

    def post(self, path, user=None, json=None, **kw):
        return self.call("POST", path, user, json=json, **kw)

    def patch(self, path, user=None, json=None, **kw):
        return self.call("PATCH", path, user, json=json, **kw)

    def delete(self, path, user=None, **kw):
        return self.call("DELETE", path, user, **kw)

    def user(self, username: str | None = None, *, admin: bool = False, **fields) -> str:
        """Register a user (admin through the CLI's service) and keep a token; returns the username."""
        username = username or f"user{next(_numbers)}"
        body = {"username": username, "email": f"{username}@example.org", "password": PASSWORD, **fields}
        if admin:
            with self.app.app_context():
                from community.accounts.service import create_admin
                create_admin(username, body["email"], PASSWORD)
        else:
            response = self.post("/users", json=body)
            assert response.status_code == 201, response.get_json()
        response = self.post("/tokens", json={"login": username, "password": PASSWORD})
        assert response.status_code == 201, response.get_json()
        self.tokens[username] = response.get_json()["token"]
        return username

    def community(self, owner: str, name: str | None = None, **fields) -> dict:
        body = {"name": name or f"Community {next(_numbers)}", "kind": "practice",
                "visibility": "public", "join_policy": "open", **fields}
        if body["kind"] == "cohort":
            body.setdefault("starts_on", "2026-01-05")
            body.setdefault("ends_on", "2026-01-09")
        response = self.post("/communities", owner, json=body)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def team(self, name: str, members: tuple[str, ...], *, owner: str = "owner", moderator: str = "mod",
             outsiders: tuple[str, ...] = ("outsider",), **fields) -> dict:
        """A community (public unless ``fields`` say otherwise) with its owner, a moderator and ``members``;
        ``outsiders`` registered, not in it."""
        for username in (owner, moderator, *members, *outsiders):
            self.user(username)
        community = self.community(owner, name, **fields)
        self.member(community, moderator, owner, role="moderator")
        for username in members:
            self.member(community, username, owner)
        return community

    def member(self, community: dict, username: str, owner: str, *, role: str = "member",
               state: str = "active") -> None:
        """Put ``username`` into ``community`` with a role and state, as its ``owner`` would."""
        slug = community["slug"]
        invite = self.post(f"/communities/{slug}/invites", owner, json={}).get_json()["token"]
        assert self.post(f"/communities/{slug}/join", username, json={"invite": invite}).status_code == 200
        changes = {}
        if role != "member":
            changes["role"] = role
        if state == "banned":
            changes["state"] = "banned"
        if changes:
            response = self.patch(f"/communities/{slug}/members/{username}", owner, json=changes)
            assert response.status_code == 200, response.get_json()
        if state == "pending":
            raise ValueError("use join on an approval community for pending members")


def http_user(base: str, username: str) -> dict:
    """Register ``username`` on a real server at ``base``; return its Authorization header."""
    import requests

    response = requests.post(f"{base}/api/v1/users", timeout=10, json={
        "username": username, "email": f"{username}@example.org", "password": PASSWORD})
    assert response.status_code == 201, response.text
    token = requests.post(f"{base}/api/v1/tokens", json={"login": username, "password": PASSWORD},
                          timeout=10).json()["token"]
    return {"Authorization": f"Bearer {token}"}
