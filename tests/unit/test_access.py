"""The permission rules as a table: visibility × membership × action → outcome.

``ok`` means allowed; anything else is the error code the caller gets.
The per-object decision and the SQL list filters are checked against each other.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from community.access import Action, decide, decide_member_change, readable_filter, visible_filter
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


# Who may change whose membership: actor × target × change → outcome. The community
# has a founding owner ("owner" as a target); "self" is the actor's own membership.
MEMBER_CHANGES = """
moderator        self              unmute          forbidden
muted-moderator  self              unmute          forbidden
moderator        self              ban             forbidden
owner            self              role:member     forbidden
owner            self              ban             forbidden
admin-owner      self              role:member     forbidden
admin-owner      self              mute            forbidden
member           self              unmute          forbidden
member           member            mute            forbidden
moderator        member            mute            ok
moderator        member            ban             ok
moderator        member            role:moderator  forbidden
moderator        pending           approve         ok
moderator        moderator         mute            forbidden
moderator        owner             ban             forbidden
moderator        banned-moderator  approve         forbidden
muted-moderator  member            mute            ok
owner            moderator         ban             ok
owner            member            role:moderator  ok
owner            owner             role:member     ok
owner            banned-moderator  approve         ok
admin            owner             mute            ok
admin            moderator         role:member     ok
admin            owner             role:member     conflict
admin            owner             ban             conflict
"""

ACTORS = {  # role, state, muted, site admin
    "member": ("member", "active", False, False),
    "moderator": ("moderator", "active", False, False),
    "muted-moderator": ("moderator", "active", True, False),
    "owner": ("owner", "active", False, False),
    "admin": (None, None, False, True),
    "admin-owner": ("owner", "active", False, True),
}
TARGETS = {"member": ("member", "active"), "pending": ("member", "pending"),
           "moderator": ("moderator", "active"), "banned-moderator": ("moderator", "banned")}
CHANGES = {"mute": {}, "unmute": {}, "ban": {"state": "banned"}, "approve": {"state": "active"},
           "role:member": {"role": "member"}, "role:moderator": {"role": "moderator"}}


def _member_change_world(actor_kind: str, target_kind: str):
    """Actor, community and target membership, flushed so that owner counts are real."""
    role, state, muted, admin = ACTORS[actor_kind]
    founder = User(username="founder", username_key="founder", email="f@x.nl", password_hash="x")
    actor = User(username="actor", username_key="actor", email="a@x.nl", password_hash="x", is_admin=admin)
    other = User(username="other", username_key="other", email="o@x.nl", password_hash="x")
    community = Community(slug="c", name="C", kind="practice", visibility="public", join_policy="open")
    db.session.add_all([founder, actor, other, community])
    db.session.flush()
    founding = Membership(community_id=community.id, user_id=founder.id, role="owner", state="active")
    db.session.add(founding)
    own = None
    if role:
        own = Membership(community_id=community.id, user_id=actor.id, role=role, state=state,
                         muted_until=utcnow() + timedelta(hours=1) if muted else None)
        db.session.add(own)
    target = {"self": own, "owner": founding}.get(target_kind)
    if target is None:
        target_role, target_state = TARGETS[target_kind]
        target = Membership(community_id=community.id, user_id=other.id, role=target_role, state=target_state)
        db.session.add(target)
    db.session.flush()
    return actor, community, target


@pytest.mark.parametrize(("actor", "target", "change", "expected"),
                         [pytest.param(*line.split(), id="-".join(line.split()[:3]))
                          for line in MEMBER_CHANGES.strip().splitlines()])
def test_member_change_table(app, actor, target, change, expected):
    with app.app_context():
        try:
            actor_user, community, membership = _member_change_world(actor, target)
            decision = decide_member_change(actor_user, community, membership, **CHANGES[change])
            assert ("ok" if decision.allowed else decision.code) == expected
        finally:
            db.session.rollback()


# Hidden content (a moderator hid it): who still sees it, among those who may read the community.
HIDDEN = """
public   nobody     hidden
public   pending    hidden
public   member     hidden
public   muted      hidden
public   moderator  shown
public   owner      shown
private  member     hidden
private  moderator  shown
private  owner      shown
"""


@pytest.mark.parametrize(("visibility", "who", "expected"),
                         [line.split() for line in HIDDEN.strip().splitlines()])
def test_hidden_content_is_shown_to_moderators_only_and_the_filter_agrees(app, visibility, who, expected):
    from types import SimpleNamespace

    from sqlalchemy import column as sql_column
    from sqlalchemy import true

    from community.access import shown, shown_filter

    with app.app_context():
        user, community, membership = _world(visibility, who, False)
        assert decide(user, community, A.READ, membership).allowed
        hidden_item, visible_item = SimpleNamespace(hidden_at=utcnow()), SimpleNamespace(hidden_at=None)
        assert ("shown" if shown(hidden_item, user, community, membership) else "hidden") == expected
        assert shown(visible_item, user, community, membership)
        condition = shown_filter(sql_column("hidden_at"), user, community, membership)
        assert (condition is true() or str(condition) == "true") == (expected == "shown")


def test_site_admins_see_hidden_content(app):
    from types import SimpleNamespace

    from community.access import shown

    with app.app_context():
        user, community, membership = _world("private", "nobody", False)
        user.is_admin = True
        assert shown(SimpleNamespace(hidden_at=utcnow()), user, community, membership)
