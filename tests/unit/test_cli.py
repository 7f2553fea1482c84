"""The CLI commands: create-admin and seed-demo."""

from community.accounts.models import User
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
    assert kinds == {"practice", "cohort"} and pending == 1
    assert nested == 2 and mentioned == 1
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code != 0 and "only once" in second.output
