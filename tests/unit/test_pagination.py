"""Cursors page forward and back without skipping or repeating an item."""

import pytest
from sqlalchemy import select

from community.accounts.models import User
from community.extensions import db
from community.pagination import paginate


@pytest.fixture
def users(app):
    with app.app_context():
        db.session.add_all(User(username=f"u{n:02d}", username_key=f"u{n:02d}", email=f"u{n}@x.nl",
                                password_hash="x") for n in range(45))
        db.session.commit()
        yield
        db.session.rollback()


def _page(cursor, descending):
    page = paginate(select(User), (User.id,), lambda u: (u.id,), limit=20, cursor=cursor, descending=descending)
    return [u.id for u in page.items], page.next, page.prev


@pytest.mark.parametrize("descending", [False, True])
def test_forward_then_back_visits_the_same_pages(app, users, descending):
    with app.app_context():
        first, next1, prev1 = _page(None, descending)
        second, next2, prev2 = _page(next1, descending)
        third, next3, prev3 = _page(next2, descending)
        assert (len(first), len(second), len(third)) == (20, 20, 5)
        assert prev1 is None and next3 is None
        assert sorted(first + second + third) == list(range(1, 46))
        back_second, _, back_prev = _page(prev3, descending)
        assert back_second == second
        back_first, forward_again, none = _page(back_prev, descending)
        assert back_first == first and none is None
        assert _page(forward_again, descending)[0] == second
