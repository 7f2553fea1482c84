"""The materialized-path tree: one ordered query gives depth-first order."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from community.discussions.models import SEGMENT, path_ids, path_segment


def test_segments_have_one_width_and_sort_like_numbers():
    ids = [0, 1, 9, 10, 35, 36, 1295, 1296, 99_999, 36**SEGMENT - 1] + random.sample(range(36**SEGMENT), 200)
    segments = [path_segment(i) for i in ids]
    assert {len(s) for s in segments} == {SEGMENT}
    assert sorted(segments) == [path_segment(i) for i in sorted(ids)]
    assert path_segment(1295) == "00000zz"


def test_path_reads_back_as_ids():
    assert path_ids(path_segment(7) + path_segment(1000) + path_segment(42)) == [7, 1000, 42]


@pytest.mark.parametrize("bad", [-1, 36**SEGMENT])
def test_ids_outside_a_segment_are_refused(bad):
    with pytest.raises(ValueError):
        path_segment(bad)


def test_page_folds_each_run_of_deep_replies_into_one_branch():
    from types import SimpleNamespace

    from community.discussions.page import FOLD_DEPTH, Branch, page_items

    depths = [0, 1, 2, 3, 4, 5, 4, 1, 2, 3, 4, 3]
    items = page_items([SimpleNamespace(depth=d) for d in depths])
    shape = [[row.depth for row in i.posts] if isinstance(i, Branch) else i.depth for i in items]
    assert FOLD_DEPTH == 3
    assert shape == [0, 1, 2, 3, [4, 5, 4], 1, 2, 3, [4], 3]


def _depth_first(rows):
    """Expected order: depth first from the root, siblings by id (creation order)."""
    children = {}
    for post_id, parent_id in rows:
        children.setdefault(parent_id, []).append(post_id)
    order, stack = [], sorted(children[None], reverse=True)
    while stack:
        post_id = stack.pop()
        order.append(post_id)
        stack.extend(sorted(children.get(post_id, []), reverse=True))
    return order


def test_random_tree_comes_back_depth_first_in_one_query(app, api):
    from community.accounts.service import find_user
    from community.discussions import reading, service
    from community.extensions import db

    api.user("anna")
    community = api.community("anna")
    rng = random.Random(3)
    with app.test_request_context():
        from community.communities.service import find_community

        anna = find_user("anna")
        thread = service.start_thread(anna, find_community(community["slug"]), "Boom", "Wortel")
        thread_id = thread.id
        post_ids = [reading.thread_posts(thread_id)[0].id]
        for i in range(150):
            parent = rng.choice(post_ids)
            post_ids.append(service.post_reply(anna, thread_id, f"tak {i}", parent).id)

        statements = []
        def listener(_conn, _cursor, statement, *_args):
            if statement.split(None, 1)[0] not in ("BEGIN", "COMMIT", "ROLLBACK"):  # transactions are not queries
                statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            posts = reading.thread_posts(thread_id)
            assert len(statements) == 1
            reading.attach_authors(posts)  # every author, however many posts: one more query
            assert len(statements) == 2
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        assert [p.author.username for p in posts] == ["anna"] * 151
        assert [p.id for p in posts] == _depth_first([(p.id, p.parent_id) for p in posts])
        by_id = {p.id: p for p in posts}
        for post in posts:
            assert post.depth == len(path_ids(post.path)) - 1
            assert path_ids(post.path)[-1] == post.id
            if post.parent_id:
                assert post.depth == by_id[post.parent_id].depth + 1
                assert post.path.startswith(by_id[post.parent_id].path)


# --- the page's booleans agree with the services' checks ---------------------------------------------

PEOPLE = ("owner", "mod", "member", "muted", "banned", "outsider", "author")


@pytest.mark.parametrize("locked", [False, True])
@pytest.mark.parametrize("archived", [False, True])
def test_page_abilities_agree_with_the_rules(app, api, locked, archived):
    from community.accounts.service import find_user
    from community.discussions import rules
    from community.errors import DomainError

    for name in PEOPLE:
        api.user(name)
    community = api.community("owner")
    slug = community["slug"]
    api.member(community, "mod", "owner", role="moderator")
    for name in ("member", "muted", "banned", "author"):
        api.member(community, name, "owner")
    thread = api.post(f"/communities/{slug}/threads", "author", json={"title": "Regels", "body": "x"}).get_json()
    own = api.post(f"/threads/{thread['id']}/posts", "author", json={"body": "eigen"}).get_json()["id"]
    gone = api.post(f"/threads/{thread['id']}/posts", "author", json={"body": "weg"}).get_json()["id"]
    api.delete(f"/posts/{gone}", "author")
    until = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    api.patch(f"/communities/{slug}/members/muted", "owner", json={"muted_until": until})
    api.patch(f"/communities/{slug}/members/banned", "owner", json={"state": "banned"})
    if locked:
        api.patch(f"/threads/{thread['id']}", "mod", json={"locked": True})
    if archived:
        api.patch(f"/communities/{slug}", "owner", json={"archived": True})

    def allowed(check, *args, **kwargs):
        try:
            check(*args, **kwargs)
        except DomainError:
            return False
        return True

    with app.test_request_context():
        for name in PEOPLE:
            user = find_user(name)
            ctx = rules.thread_context(user, thread["id"], writing=True) if name != "banned" else None
            if ctx is None:
                continue  # banned members get no page at all
            can = rules.abilities(user, ctx)
            assert can.reply == allowed(rules.require_reply, user, ctx), name
            assert can.change_thread(ctx.thread) == allowed(
                rules.require_change_thread, user, ctx, content=True, flags=False), name
            for post_id in (thread["posts"][0]["id"], own, gone):
                post, _ = rules.post_context(user, post_id)
                assert can.edit(post) == allowed(rules.require_edit_post, user, ctx, post), (name, post_id)
                assert can.react(post) == allowed(rules.require_react, user, ctx, post), (name, post_id)
                if not post.deleted:
                    assert can.delete(post) == allowed(rules.require_delete_post, user, ctx, post), (name, post_id)
