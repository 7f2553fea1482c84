"""The order of results, as a table: which of two documents comes first for a query, and why.

BM25F weights titles 3 to 1 over bodies; an item's own boost (accepted
answers, scores) and recency (up to 25 %, halving every 180 days) multiply it.
"""

from __future__ import annotations

import pytest

from community.search import analysis
from community.search.engine import RECENCY_HALF_LIFE, Document, Engine, Filters, Word, now_minutes

NOW = now_minutes()
OLD = NOW - 4 * RECENCY_HALF_LIFE

# (why, first document, second document); each (title, body, boost, created)
CASES = [
    ("a title match beats a body match", ("Heftruck", "De motor.", 1.0, OLD), ("Motor", "De heftruck.", 1.0, OLD)),
    ("recent beats old, all else equal", ("Vraag", "heftruck kapot", 1.0, NOW), ("Vraag", "heftruck kapot", 1.0, OLD)),
    ("a boosted item (accepted answer) beats a plain one", ("Vraag", "heftruck kapot", 1.5, OLD),
     ("Vraag", "heftruck kapot", 1.0, OLD)),
    ("a title match still beats a recent body match", ("Heftruck", "De motor.", 1.0, OLD),
     ("Motor", "De heftruck.", 1.0, NOW)),
    ("more of the words beats fewer", ("Vraag", "heftruck heftruck heftruck kapot", 1.0, OLD),
     ("Vraag", "heftruck en nog veel meer andere woorden hier", 1.0, OLD)),
]


def _doc(uid, title, body, boost, created):
    return Document(uid=uid, type="post", community_id=1, author="a", tags=[], created_minutes=created,
                    title=analysis.index_terms(title), body=analysis.index_terms(body), boost=boost)


@pytest.mark.parametrize(("why", "first", "second"), CASES, ids=[c[0] for c in CASES])
def test_ranking(tmp_path, why, first, second):
    engine = Engine(tmp_path / "search")
    name, index = engine.new_index()
    index.close()
    engine.swap_in(name)
    engine.write([_doc("post:2", *second), _doc("post:1", *first)], [])
    keys = analysis.word_keys("heftruck")
    hits = engine.search([Word(keys.keys, keys.parts)], Filters(types=("post",)), offset=0, limit=10)
    assert [uid for uid, _score in hits.items] == ["post:1", "post:2"], why
    engine.close()


def test_similar_items_share_words_by_form_and_the_most_shared_come_first(api, app):
    from community.search.query import similar

    anna = api.user("anna")
    community = api.community(anna, "Magazijn")
    other = api.community(anna, "Elders")

    def start(c, title):
        return api.post(f"/communities/{c['slug']}/threads", anna, json={"title": title, "body": "tekst"}).get_json()

    both = start(community, "Heftruckcertificaat verlopen, wat nu?")
    one = start(community, "Certificaten voor de kassa")
    start(community, "Roosters voor december")
    start(other, "Heftruckcertificaat verlopen")
    with app.test_request_context():
        from community.accounts.models import User
        from community.extensions import db
        user = db.session.scalar(db.select(User).where(User.username == "anna"))
        found = similar(user, "Mijn certificaat is verlopen", community_id=community["id"], types=("thread",))
    assert [entry.id for entry, _score in found] == [both["id"], one["id"]]
