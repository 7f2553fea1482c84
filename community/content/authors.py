"""The user JSON of a response's authors, built once per author."""

from __future__ import annotations


class Authors:
    """User JSON per author, built once per response however many items they wrote.

    Call it with a ``User`` (or None for a removed account, which gives None).
    ``viewer``: whose eyes the expertise counts are for (None: the caller).
    """

    def __init__(self, viewer=None):
        self._seen: dict[int, dict] = {}
        self._viewer = viewer

    def __call__(self, user) -> dict | None:
        if user is None:
            return None
        if user.id not in self._seen:
            from ..accounts.api import user_json  # the accounts door owns the user object's shape

            self._seen[user.id] = user_json(user, viewer=self._viewer)
        return self._seen[user.id]
