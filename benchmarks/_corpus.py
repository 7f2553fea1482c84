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
