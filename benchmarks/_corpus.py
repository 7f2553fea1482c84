"""A realistic discussion corpus, loaded fast: people and a community through the
services, then threads and posts written straight into the tables.

1,000 threads × 51 posts through ``post_reply`` would take minutes (each
reply is its own durable commit); here each distinct body is rendered once
by the real renderer and the rows go in with bulk inserts in one
transaction, shaped exactly as the services write them (materialized paths,
depths, counters, follows, reactions). Works on SQLite and PostgreSQL.
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import insert, select, text

PASSWORD = "benchmark-password"

PARAGRAPHS = [
    "Ik heb vorige week de **heftruckcertificaat** training gedaan. Wat mij opviel: de "
    "instructeur legde veel nadruk op het *zwaartepunt* van de last.",
    "Good point. In our warehouse we check the load chart before every lift, see "
    "https://example.org/load-charts for the one we use.",
    "Volgens mij moet je bij het heffen altijd:\n\n1. de vorken zo laag mogelijk houden\n"
    "2. de mast iets naar achteren kantelen\n3. rustig optrekken",
    "Kan iemand (@{user}) even meekijken naar dit script?\n\n```python\n"
    "def gewicht(pallet):\n    return sum(doos.kg for doos in pallet)\n```",
    "> De regels zijn er niet voor niets.\n\nEens, maar de praktijk is weerbarstiger. "
    "Collega's werken vaak onder tijdsdruk.",
    "Thanks! That worked. The trick was to `reset` the controller first.",
    "| Klasse | Max kg |\n|---|---|\n| A | 1500 |\n| B | 2500 |",
    "Ik sluit me aan bij @{user}: veiligheid gaat voor snelheid, *altijd*.",
]
TAGS = ["veiligheid", "heftruck", "kassa", "magazijn", "rooster", "examen", "vers", "klantenservice"]


def body(rng: random.Random, users: list[str]) -> str:
    parts = rng.sample(PARAGRAPHS, rng.randint(1, 3))
    return "\n\n".join(p.format(user=rng.choice(users)) for p in parts)


def load_discussions(app, *, threads: int = 1000, posts_per_thread: int = 51, people: int = 40,
                     seed: int = 51) -> dict:
    """Fill an empty, migrated database; return ids, usernames and a token for a reader."""
    from community.accounts.service import issue_token, register
    from community.communities.memberships import join_community
    from community.communities.service import create_community
    from community.discussions.models import Post, Reaction, Thread, ThreadFollow, ThreadTag, path_segment
    from community.extensions import db
    from community.markup import render_with_mentions
    from community.timeutil import utcnow

    rng = random.Random(seed)
    with app.test_request_context(method="POST"):
        names = [f"lid{i:03d}" for i in range(people)]
        users = [register({"username": n, "email": f"{n}@example.org", "password": PASSWORD}) for n in names]
        community = create_community(users[0], {"name": "Heftruck Praktijk", "kind": "practice",
                                                "visibility": "public", "join_policy": "open"})
        for user in users[1:]:
            join_community(user, community)
        user_ids = [u.id for u in users]
        rendered: dict[str, str] = {}
        next_post = (db.session.scalar(select(Post.id).order_by(Post.id.desc()).limit(1)) or 0) + 1
        next_thread = (db.session.scalar(select(Thread.id).order_by(Thread.id.desc()).limit(1)) or 0) + 1
        start = utcnow() - timedelta(days=60)
        thread_rows, post_rows, tag_rows, follow_rows, reaction_rows = [], [], [], [], []
        for t in range(threads):
            thread_id = next_thread + t
            created = start + timedelta(minutes=t)
            author = rng.choice(user_ids)
            thread_rows.append({"id": thread_id, "community_id": community.id, "author_id": author,
                                "title": f"Veilig heffen, vraag {t + 1}", "pinned": False, "locked": False,
                                "reply_count": posts_per_thread - 1, "created_at": created,
                                "last_activity_at": created + timedelta(minutes=posts_per_thread)})
            tag_rows += [{"thread_id": thread_id, "tag": tag, "position": i}
                         for i, tag in enumerate(rng.sample(TAGS, 2))]
            follow_rows.append({"thread_id": thread_id, "user_id": author, "created_at": created})
            placed: list[tuple[int, str, int]] = []  # (id, path, depth)
            for n in range(posts_per_thread):
                post_id = next_post
                next_post += 1
                if n == 0:
                    parent_id, path, depth = None, path_segment(post_id), 0
                else:
                    parent = rng.choice(placed[-8:]) if rng.random() < 0.7 else placed[0]
                    if parent[2] >= 50:
                        parent = placed[0]
                    parent_id, path, depth = parent[0], parent[1] + path_segment(post_id), parent[2] + 1
                placed.append((post_id, path, depth))
                text_ = body(rng, names)
                if text_ not in rendered:
                    rendered[text_] = render_with_mentions(text_)[0]
                post_rows.append({"id": post_id, "thread_id": thread_id, "parent_id": parent_id,
                                  "author_id": author if n == 0 else rng.choice(user_ids), "path": path,
                                  "depth": depth, "body": text_, "body_html": rendered[text_],
                                  "created_at": created + timedelta(minutes=n), "edited_at": None,
                                  "edited_by_id": None, "deleted_at": None})
                for reactor in rng.sample(user_ids, rng.choice((0, 0, 0, 1, 2, 4))):
                    reaction_rows.append({"post_id": post_id, "user_id": reactor,
                                          "emoji": rng.choice(("👍", "❤️", "🎉", "🤔")), "created_at": created})
        for model, rows in ((Thread, thread_rows), (ThreadTag, tag_rows), (ThreadFollow, follow_rows),
                            (Post, post_rows), (Reaction, reaction_rows)):
            for i in range(0, len(rows), 5000):
                db.session.execute(insert(model.__table__), rows[i:i + 5000])
        if db.engine.dialect.name == "postgresql":  # explicit ids: move the sequences past them
            for table in ("threads", "posts"):
                db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                        f"(SELECT max(id) FROM {table}))"))
        db.session.commit()
        reader = users[-1]
        return {"community": community.slug, "threads": [r["id"] for r in thread_rows],
                "reader": reader.username, "token": issue_token(reader), "posts": len(post_rows)}


# -- a realistic mixed corpus: many communities, a real vocabulary ----------------------------------

COMMUNITIES = 200
READER_COMMUNITIES = 10


def _vocabulary(rng: random.Random) -> tuple[list[str], list[str]]:
    """Dutch words from OpenTaal's list (the one search splits compounds with), English from simplemma's."""
    from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

    from community.search import compounds

    dutch = sorted(w for w in compounds.load()[0] if 3 <= len(w) <= 14)
    english = sorted({w for w in DefaultDictionaryFactory().get_dictionary("en")
                      if w.isalpha() and w.islower() and 3 <= len(w) <= 12})
    return rng.sample(dutch, 24_000), rng.sample(english, 12_000)


def _zipf_sampler(rng: random.Random, words: list[str]):
    """Draw words with Zipf's law (rank r about 1/r as often), as in real text."""
    weights = [1 / (rank + 1) for rank in range(len(words))]
    cumulative, total = [], 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)

    def draw(k: int) -> list[str]:
        return rng.choices(words, cum_weights=cumulative, k=k)
    return draw


FUNCTION_NL = "de het een van en in op te is dat die voor met aan er niet zijn ook als bij om of door naar".split()
FUNCTION_EN = "the of to and a in is it that for on with as be at by this are or from not was but".split()
PAIRS_NL = [p.split() for p in ("van de", "in de", "op de", "van het", "in het", "met de", "voor de", "aan de")]
PAIRS_EN = [p.split() for p in ("of the", "in the", "to the", "on the", "for the", "and the")]


def realistic_texts(rng: random.Random):
    """A function making one text of n sentences: Dutch or English, function words between Zipf-drawn words.

    About one text in forty also holds one of the discussion paragraphs
    above, so the benchmark's queries (``heftruck``, ``"van de"``, ``"de
    vorken zo laag"``) find a few hundred documents among 100,000, as a
    word of a real forum would.
    """
    dutch, english = _vocabulary(rng)
    draw_nl, draw_en = _zipf_sampler(rng, dutch), _zipf_sampler(rng, english)

    def sentence(draw, function_words, pairs) -> str:
        words = []
        for word in draw(rng.randint(5, 14)):
            chance = rng.random()
            if chance < 0.12:
                words += rng.choice(pairs)  # "van de", "in the": the pairs a phrase search meets most
            elif chance < 0.45:
                words.append(rng.choice(function_words))
            words.append(word)
        return " ".join(words).capitalize() + "."

    def text(sentences: int, users: list[str]) -> str:
        dutch_text = rng.random() < 0.6
        draw, function_words, pairs = ((draw_nl, FUNCTION_NL, PAIRS_NL) if dutch_text
                                       else (draw_en, FUNCTION_EN, PAIRS_EN))
        parts = [" ".join(sentence(draw, function_words, pairs) for _ in range(rng.randint(1, 3)))
                 for _ in range(sentences)]
        if rng.random() < 0.025:
            parts.insert(rng.randint(0, len(parts)), rng.choice(PARAGRAPHS).format(user=rng.choice(users)))
        return "\n\n".join(parts)

    def title() -> str:
        draw = draw_nl if rng.random() < 0.6 else draw_en
        return " ".join(draw(rng.randint(3, 7))).capitalize()
    return text, title


def _html(text_: str) -> str:
    """Body HTML for generated text: escaped paragraphs (rendering 100,000 distinct bodies would take minutes)."""
    from markupsafe import escape

    return "".join(f"<p>{escape(p)}</p>" for p in text_.split("\n\n"))


def load_realistic(app, *, documents: int = 100_000, people: int = 400, seed: int = 100) -> dict:
    """Fill an empty database with ``documents`` searchable items over ``COMMUNITIES`` private communities.

    Per community: threads with replies (60 %), questions with answers
    (30 %) and notes (10 %), Dutch and English. The reader returned is a
    member of ``READER_COMMUNITIES`` of them, so a search's community
    filter leaves about one document in twenty.
    """
    from community.accounts.service import issue_token, register
    from community.communities.models import Membership
    from community.communities.service import create_community
    from community.discussions.models import Post, Thread, ThreadTag, path_segment
    from community.extensions import db
    from community.qa.models import Answer, Question, QuestionTag
    from community.resources.models import Resource, ResourceTag
    from community.timeutil import utcnow

    rng = random.Random(seed)
    text, title = realistic_texts(rng)
    with app.test_request_context(method="POST"):
        names = [f"lid{i:03d}" for i in range(people)]
        users = [register({"username": n, "email": f"{n}@example.org", "password": PASSWORD}) for n in names]
        communities = [create_community(users[0], {"name": f"Gemeenschap {c + 1}", "kind": "practice",
                                                   "visibility": "private", "join_policy": "approval"})
                       for c in range(COMMUNITIES)]
        reader = users[-1]
        db.session.execute(insert(Membership.__table__), [
            {"community_id": c.id, "user_id": reader.id, "role": "member", "state": "active", "joined_at": utcnow()}
            for c in communities[:READER_COMMUNITIES]])
        user_ids = [u.id for u in users]
        ids = {"thread": 0, "post": 0, "question": 0, "answer": 0, "resource": 0}
        rows = {name: [] for name in ("thread", "thread_tag", "post", "question", "question_tag", "answer",
                                      "resource", "resource_tag")}
        start = utcnow() - timedelta(days=720)
        per_community = documents // COMMUNITIES
        made = 0
        for community in communities:
            budget = per_community
            while budget > 0:
                created = start + timedelta(minutes=rng.randrange(720 * 24 * 60))
                tags = rng.sample(TAGS, 2)
                kind = rng.random()
                if kind < 0.6:  # a thread: its first post and some replies
                    ids["thread"] += 1
                    thread_id = ids["thread"]
                    replies = min(budget - 1, rng.randint(2, 14))
                    rows["thread"].append({"id": thread_id, "community_id": community.id,
                                           "author_id": rng.choice(user_ids), "title": title(),
                                           "pinned": False, "locked": False,
                                           "reply_count": replies, "created_at": created,
                                           "last_activity_at": created + timedelta(minutes=replies)})
                    rows["thread_tag"] += [{"thread_id": thread_id, "tag": t, "position": i}
                                           for i, t in enumerate(tags)]
                    root = None
                    for n in range(replies + 1):
                        ids["post"] += 1
                        post_id = ids["post"]
                        path = path_segment(post_id) if root is None else root[1] + path_segment(post_id)
                        body = text(rng.randint(1, 3), names)
                        rows["post"].append({"id": post_id, "thread_id": thread_id,
                                             "parent_id": None if root is None else root[0],
                                             "author_id": rng.choice(user_ids), "path": path,
                                             "depth": 0 if root is None else 1, "body": body, "body_html": _html(body),
                                             "created_at": created + timedelta(minutes=n), "edited_at": None,
                                             "edited_by_id": None, "deleted_at": None})
                        root = root or (post_id, path)
                    used = replies + 1  # the thread (with its first post) and each reply
                elif kind < 0.9:  # a question and its answers
                    ids["question"] += 1
                    question_id = ids["question"]
                    answers = min(budget - 1, rng.randint(0, 4))
                    body = text(rng.randint(1, 2), names)
                    rows["question"].append({"id": question_id, "community_id": community.id,
                                             "author_id": rng.choice(user_ids), "title": title(), "body": body,
                                             "body_html": _html(body), "score": rng.randint(-1, 12),
                                             "answer_count": answers, "created_at": created,
                                             "last_activity_at": created})
                    rows["question_tag"] += [{"question_id": question_id, "tag": t, "position": i}
                                             for i, t in enumerate(tags)]
                    for _ in range(answers):
                        ids["answer"] += 1
                        body = text(rng.randint(1, 3), names)
                        rows["answer"].append({"id": ids["answer"], "question_id": question_id,
                                               "author_id": rng.choice(user_ids), "body": body,
                                               "body_html": _html(body), "score": rng.randint(-1, 8),
                                               "created_at": created + timedelta(hours=1)})
                    used = answers + 1
                else:  # a note
                    ids["resource"] += 1
                    body = text(rng.randint(1, 4), names)
                    rows["resource"].append({"id": ids["resource"], "community_id": community.id,
                                             "author_id": rng.choice(user_ids), "kind": "note", "title": title(),
                                             "description": body, "description_html": _html(body),
                                             "created_at": created})
                    rows["resource_tag"] += [{"resource_id": ids["resource"], "tag": t, "position": i}
                                             for i, t in enumerate(tags)]
                    used = 1
                budget -= used
                made += used
        models = {"thread": Thread, "thread_tag": ThreadTag, "post": Post, "question": Question,
                  "question_tag": QuestionTag, "answer": Answer, "resource": Resource, "resource_tag": ResourceTag}
        for name in ("thread", "thread_tag", "post", "question", "question_tag", "answer", "resource", "resource_tag"):
            table_rows = rows[name]
            for i in range(0, len(table_rows), 5000):
                db.session.execute(insert(models[name].__table__), table_rows[i:i + 5000])
        db.session.commit()
        return {"communities": [c.slug for c in communities[:READER_COMMUNITIES]], "reader": reader.username,
                "token": issue_token(reader), "documents": made,
                "threads": [r["id"] for r in rows["thread"] if r["community_id"] == communities[0].id]}
