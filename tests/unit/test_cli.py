"""The CLI commands: create-admin and seed-demo."""

import pytest

from community.accounts.models import User
from community.chat.models import ChatMessage
from community.communities.models import Community, Membership
from community.discussions.models import Post
from community.extensions import db
from community.notifications.models import Notification


def test_create_admin_makes_a_site_admin(app):
    result = app.test_cli_runner().invoke(args=["create-admin", "beheer", "beheer@example.org",
                                                "--password", "lang-genoeg-wachtwoord"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.query(User).filter_by(username="beheer").one().is_admin


def test_create_admin_prompts_for_the_password(app):
    result = app.test_cli_runner().invoke(args=["create-admin", "beheer", "beheer@example.org"],
                                          input="lang-genoeg-wachtwoord\nlang-genoeg-wachtwoord\n")
    assert result.exit_code == 0, result.output


def test_create_admin_refuses_a_bad_password(app):
    result = app.test_cli_runner().invoke(args=["create-admin", "beheer", "beheer@example.org",
                                                "--password", "kort"])
    assert result.exit_code != 0 and "password" in result.output


def test_seed_demo_fills_a_dutch_demo_once(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    with app.app_context():
        kinds = {c.kind for c in db.session.query(Community)}
        pending = db.session.query(Membership).filter_by(state="pending").count()
        nested = db.session.query(Post).filter(Post.depth == 2).count()
        mentioned = db.session.query(Notification).filter_by(kind="mention").count()
        chatted = db.session.query(ChatMessage).count()
    assert kinds == {"practice", "cohort"} and pending == 1
    assert nested == 2 and mentioned == 2 and chatted == 6  # a mention in a thread and one in the chat
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code != 0 and "only once" in second.output


def _seeded(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output


def test_seed_demo_names_each_cohort_after_the_month_it_starts(app):
    """The dates are counted from today, so the names are too: "Heftrucktraining december 2026"."""
    from babel.dates import format_date

    _seeded(app)
    with app.app_context():
        cohorts = db.session.query(Community).filter_by(kind="cohort").all()
        named = {c.name: format_date(c.starts_on, "MMMM yyyy", locale="nl") for c in cohorts}
    assert len(named) == 2
    assert all(month in name for name, month in named.items()), named


def test_seed_demo_names_agree_with_dates_on_any_day(app, monkeypatch):
    """On 2 March 2027 the running training started in February, the earlier one in December."""
    import datetime

    import community.demo

    monkeypatch.setattr(community.demo, "today", lambda: datetime.date(2027, 3, 2))
    _seeded(app)
    with app.app_context():
        names = sorted(c.name for c in db.session.query(Community).filter_by(kind="cohort"))
    assert names == ["Heftrucktraining december 2026", "Heftrucktraining februari 2027"]


def test_seed_demo_speaks_the_glossary(app):
    """Names, bios, descriptions, titles and posts of the demo use the glossary's words (tests/glossary_nl.py)."""
    from community.discussions.models import Thread
    from tests.glossary_nl import forbidden_words

    _seeded(app)
    with app.app_context():
        texts = [t for u in db.session.query(User) for t in (u.display_name, u.bio)]
        texts += [t for c in db.session.query(Community) for t in (c.name, c.description)]
        texts += [t.title for t in db.session.query(Thread)] + [p.body for p in db.session.query(Post)]
    found = {text: forbidden_words(text) for text in texts if text and forbidden_words(text)}
    assert not found, found



@pytest.fixture
def fresh_app(tmp_path):
    """An app on an instance folder where nothing has run yet: no database file, no tables."""
    from community import create_app
    from tests.conftest import TEST_SETTINGS

    application = create_app({"INSTANCE": str(tmp_path), **TEST_SETTINGS,
                              "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'community.db'}"})
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def test_seed_demo_creates_the_database_on_a_fresh_instance(fresh_app):
    """The README's first command after install: no server has run, so there are no tables yet."""
    result = fresh_app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    with fresh_app.app_context():
        assert db.session.query(User).filter_by(username="marieke").count() == 1


def test_create_admin_creates_the_database_on_a_fresh_instance(fresh_app):
    result = fresh_app.test_cli_runner().invoke(args=["create-admin", "beheer", "beheer@example.org",
                                                      "--password", "lang-genoeg-wachtwoord"])
    assert result.exit_code == 0, result.output
    with fresh_app.app_context():
        assert db.session.query(User).filter_by(username="beheer").one().is_admin
