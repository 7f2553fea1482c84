"""The permission rules as a table: visibility × membership × action → outcome.

``ok`` means allowed; anything else is the error code the caller gets.
The per-object decision and the SQL list filters are checked against each other.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from community.access import Action, decide, readable_filter, visible_filter
from community.accounts.models import User
from community.communities.models import Community, Membership
from community.extensions import db
from community.timeutil import utcnow

A = Action
COLUMNS = (A.VIEW, A.READ, A.WRITE, A.MODERATE, A.MANAGE_ROLES, "join", "join+invite")

# An open community that is not archived.
TABLE = """
public   nobody     ok        ok        forbidden forbidden forbidden ok        ok
public   pending    ok        ok        forbidden forbidden forbidden ok        ok
public   member     ok        ok        ok        forbidden forbidden ok        ok
public   muted      ok        ok        muted     forbidden forbidden ok        ok
public   moderator  ok        ok        ok        ok        forbidden ok        ok
public   owner      ok        ok        ok        ok        ok        ok        ok
public   banned     ok        banned    banned    banned    banned    banned    banned
private  nobody     not_found not_found not_found not_found not_found not_found ok
private  pending    ok        forbidden forbidden forbidden forbidden ok        ok
private  member     ok        ok        ok        forbidden forbidden ok        ok
private  muted      ok        ok        muted     forbidden forbidden ok        ok
private  moderator  ok        ok        ok        ok        forbidden ok        ok
private  owner      ok        ok        ok        ok        ok        ok        ok
private  banned     not_found not_found not_found not_found not_found not_found banned
"""

# The same community archived: read-only for everyone but its moderators, closed to newcomers.
ARCHIVED = """
public   nobody     ok        ok        forbidden forbidden forbidden forbidden forbidden
public   member     ok        ok        forbidden forbidden forbidden ok        ok
public   moderator  ok        ok        ok        ok        forbidden ok        ok
private  member     ok        ok        forbidden forbidden forbidden ok        ok
private  owner      ok        ok        ok        ok        ok        ok        ok
"""

MEMBERSHIPS = {
    "nobody": None,
    "pending": ("member", "pending", False),
    "member": ("member", "active", False),
    "muted": ("member", "active", True),
    "moderator": ("moderator", "active", False),
    "owner": ("owner", "active", False),
    "banned": ("member", "banned", False),
}


def _rows(table: str, archived: bool):
    for line in table.strip().splitlines():
        visibility, who, *outcomes = line.split()
        for column, expected in zip(COLUMNS, outcomes, strict=True):
            yield pytest.param(visibility, who, archived, column, expected,
                               id=f"{'archived-' if archived else ''}{visibility}-{who}-{column}")


def _world(visibility: str, who: str, archived: bool, join_policy: str = "open"):
    user = User(id=1, username="u", username_key="u", email="u@x.nl", password_hash="x", is_admin=False)
    community = Community(id=1, slug="c", name="C", kind="practice", visibility=visibility,
                          join_policy=join_policy, archived_at=utcnow() if archived else None)
    spec = MEMBERSHIPS[who]
    membership = None
    if spec:
        role, state, muted = spec
        membership = Membership(community_id=1, user_id=1, role=role, state=state,
                                muted_until=utcnow() + timedelta(hours=1) if muted else None)
    return user, community, membership


def _outcome(user, community, membership, column) -> str:
    if column in ("join", "join+invite"):
        decision = decide(user, community, A.JOIN, membership, invite_valid=column == "join+invite")
    else:
        decision = decide(user, community, column, membership)
    return "ok" if decision.allowed else decision.code


@pytest.mark.parametrize(("visibility", "who", "archived", "column", "expected"),
                         [*_rows(TABLE, False), *_rows(ARCHIVED, True)])
def test_access_table(app, visibility, who, archived, column, expected):
    with app.app_context():
        assert _outcome(*_world(visibility, who, archived), column) == expected


@pytest.mark.parametrize("who", ["nobody", "pending"])
def test_invite_policy_needs_an_invite_to_join(app, who):
    with app.app_context():
        user, community, membership = _world("public", who, False, join_policy="invite")
        expected = "ok" if who == "pending" else "forbidden"  # a pending request stays a no-op
        assert _outcome(user, community, membership, "join") == expected
        assert _outcome(user, community, membership, "join+invite") == "ok"


def test_expired_mute_allows_writing_again(app):
    with app.app_context():
        user, community, membership = _world("public", "member", False)
        membership.muted_until = utcnow() - timedelta(minutes=1)
        assert decide(user, community, A.WRITE, membership).allowed


@pytest.mark.parametrize("action", [a for a in Action])
def test_anonymous_may_do_nothing(app, action):
    with app.app_context():
        _, community, _ = _world("public", "nobody", False)
        assert decide(None, community, action, None).code == "unauthenticated"


@pytest.mark.parametrize("action", [a for a in Action])
def test_site_admin_may_do_everything(app, action):
    with app.app_context():
        user, community, _ = _world("private", "banned", True)
        user.is_admin = True
        assert decide(user, community, action, None).allowed


def test_list_filters_agree_with_per_object_decisions(app):
    """Discourse's rule: what a list or search shows must be what the object check allows."""
    with app.app_context():
        viewer = User(username="viewer", username_key="viewer", email="v@x.nl", password_hash="x")
        owner = User(username="owner", username_key="owner", email="o@x.nl", password_hash="x")
        db.session.add_all([viewer, owner])
        db.session.flush()
        for n, (visibility, who, archived) in enumerate(
                (v, w, a) for v in ("public", "private") for w in MEMBERSHIPS for a in (False, True)):
            community = Community(slug=f"c{n}", name=f"C{n}", kind="practice", visibility=visibility,
                                  join_policy="open", archived_at=utcnow() if archived else None)
            db.session.add(community)
            db.session.flush()
            if MEMBERSHIPS[who]:
                role, state, muted = MEMBERSHIPS[who]
                db.session.add(Membership(community_id=community.id, user_id=viewer.id, role=role, state=state,
                                          muted_until=utcnow() + timedelta(hours=1) if muted else None))
        db.session.flush()
        communities = db.session.query(Community).all()
        for action, sql_filter in ((A.VIEW, visible_filter), (A.READ, readable_filter)):
            by_rule = {c.slug for c in communities if decide(viewer, c, action).allowed}
            by_sql = {c.slug for c in db.session.query(Community).filter(sql_filter(viewer))}
            assert by_sql == by_rule, action
        db.session.rollback()
