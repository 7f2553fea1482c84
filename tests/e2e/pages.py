"""Helpers for driving the HTML pages through the test client as a browser would."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE)


def csrf_token(client) -> str:
    return CSRF_META.search(client.get("/").get_data(as_text=True)).group(1)


def post(client, url: str, data: dict | None = None, **kwargs):
    """A form POST with the session's CSRF token, as the page's form would send it."""
    return client.post(url, data={"csrf_token": csrf_token(client), **(data or {})}, **kwargs)


def text(response) -> str:
    return response.get_data(as_text=True)


MASKED_TOKEN = re.compile(r"m\.[A-Za-z0-9_-]{40,}")


def without_tokens(page: str) -> str:
    """The page with its CSRF tokens blanked: they are masked afresh in every response."""
    return MASKED_TOKEN.sub("TOKEN", page)


CHROMIUM = Path("/usr/bin/chromium")
#: ``pytestmark`` of every module that drives Debian's Chromium.
BROWSER_TESTS = [
    pytest.mark.browser,
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium"),
]
