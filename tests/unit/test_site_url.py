"""Absolute URLs come from ``COMMUNITY_SITE_URL`` only, never from the request's Host header."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# What reads the Host header (or builds from it): ``_external=True`` asks Flask for
# the request's host; ``request.host``, ``url_root``, ``host_url``, ``base_url`` and
# ``request.url`` carry it.
HOST_READS = re.compile(r"_external\s*=\s*True|\brequest\.(host|url_root|host_url|base_url|url)\b")


def test_no_code_or_template_builds_a_url_from_the_request_host():
    offenders = []
    for path in [*ROOT.glob("community/**/*.py"), *ROOT.glob("templates/**/*.html")]:
        if path == ROOT / "community" / "urls.py":
            continue  # the one helper, which uses the setting
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if HOST_READS.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


def test_site_url_builds_from_the_setting_inside_and_outside_a_request(make_app):
    from community.urls import site_url

    app = make_app(SITE_URL="https://leren.example.org/leerplein/")
    with app.test_request_context("/", headers={"Host": "evil.example"}):
        assert site_url("communities.invite", token="abc") == "https://leren.example.org/leerplein/invite/abc"
    with app.app_context():
        assert site_url("web.index") == "https://leren.example.org/leerplein/"


@pytest.mark.parametrize("bad", ["leerplein.example.org", "ftp://leerplein.example.org", "https://"])
def test_a_site_url_without_scheme_or_host_is_refused_at_start(make_app, bad):
    with pytest.raises(ValueError, match="COMMUNITY_SITE_URL"):
        make_app(SITE_URL=bad)
