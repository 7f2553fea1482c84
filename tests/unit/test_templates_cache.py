"""Servers load compiled templates from the instance folder instead of compiling them."""

from __future__ import annotations

from pathlib import Path

from community.web.templates import warm

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_warming_compiles_every_template_into_the_cache(app):
    count = warm(app)
    cache = Path(app.config["INSTANCE"]) / "cache" / "templates"
    assert count == len(list(TEMPLATES.rglob("*.html"))) > 0
    assert len(list(cache.iterdir())) == count


def test_a_server_renders_from_the_cache_without_compiling(app, monkeypatch):
    warm(app)
    env = app.jinja_env
    monkeypatch.setattr(env, "compile", lambda *a, **kw: (_ for _ in ()).throw(AssertionError("compiled")))
    env.cache.clear()  # as in a fresh process: only the bytecode on disk
    assert app.test_client().get("/login").status_code == 200
