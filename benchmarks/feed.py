"""The personal feed (``GET /users/me/feed`` and the home page): server time for a member of 10 communities.

Builds a fresh SQLite instance (the real migrations) with 12 public
communities, the reader a member of 10, and 50,000 items in them
(30,000 discussions, 15,000 questions, 5,000 resources, tagged), spread
over the last year; the reader follows two tags and is an expert in one.
Then times the API (Bearer token) and the home page (session cookie)
through Flask's test client.

    .venv/bin/python benchmarks/feed.py [--runs 50]

Target: p95 <= 20 ms for the API.
"""

from __future__ import annotations

import argparse
import logging
import random
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._corpus import PASSWORD
from benchmarks._harness import make_app, measure, print_table

COMMUNITIES, MINE, THREADS, QUESTIONS, RESOURCES = 12, 10, 30_000, 15_000, 5_000
TAGS = ["kassa", "magazijn", "heftruck", "veiligheid", "rooster", "klantcontact", "hygiene", "bestellen"]


def _bulk(model, rows) -> None:
    from sqlalchemy import insert

    from community.extensions import db

    for i in range(0, len(rows), 5000):
        db.session.execute(insert(model), rows[i:i + 5000])


def build(app) -> str:
    from community import events
    from community.accounts.service import issue_token, register
    from community.communities.models import Membership
    from community.communities.service import create_community
    from community.discussions.models import Thread, ThreadTag
    from community.extensions import db
    from community.feed.models import TagFollow
    from community.qa.models import Expertise, Question, QuestionTag
    from community.resources.models import Resource, ResourceTag
    from community.timeutil import utcnow

    rng = random.Random(16)
    with app.test_request_context(method="POST"):
        owner = register({"username": "eigenaar", "email": "eigenaar@example.org", "password": PASSWORD})
        reader = register({"username": "lezer", "email": "lezer@example.org", "password": PASSWORD})
        ids = [create_community(owner, {"name": f"Winkel {n}", "kind": "practice", "visibility": "public",
                                        "join_policy": "open"}).id for n in range(COMMUNITIES)]
        now = utcnow()
        _bulk(Membership, [{"community_id": cid, "user_id": reader.id, "role": "member", "state": "active",
                            "joined_at": now} for cid in ids[:MINE]])
        _bulk(TagFollow, [{"user_id": reader.id, "tag": t, "created_at": now} for t in ("heftruck", "rooster")])
        _bulk(Expertise, [{"user_id": reader.id, "tag": "kassa", "declared": True, "recognized": False,
                           "created_at": now}])

        def when():
            return now - timedelta(minutes=rng.randrange(365 * 24 * 60))

        threads, thread_tags = [], []
        for i in range(1, THREADS + 1):
            created = when()
            threads.append({"id": i, "community_id": rng.choice(ids), "author_id": owner.id, "title": f"Overleg {i}",
                            "pinned": False, "locked": False, "reply_count": rng.randrange(8), "created_at": created,
                            "last_activity_at": created})
            thread_tags.append({"thread_id": i, "tag": rng.choice(TAGS), "position": 0})
        questions, question_tags = [], []
        for i in range(1, QUESTIONS + 1):
            created = when()
            questions.append({"id": i, "community_id": rng.choice(ids), "author_id": owner.id,
                              "title": f"Vraag {i}", "body": "Hoe?", "body_html": "<p>Hoe?</p>",
                              "score": rng.randrange(4), "answer_count": rng.choice((0, 0, 1, 2)),
                              "created_at": created, "last_activity_at": created})
            question_tags.append({"question_id": i, "tag": rng.choice(TAGS), "position": 0})
        resources, resource_tags = [], []
        for i in range(1, RESOURCES + 1):
            resources.append({"id": i, "community_id": rng.choice(ids), "author_id": owner.id, "kind": "note",
                              "title": f"Materiaal {i}", "description": "x", "description_html": "<p>x</p>",
                              "created_at": when()})
            resource_tags.append({"resource_id": i, "tag": rng.choice(TAGS), "position": 0})
        for model, rows in ((Thread, threads), (ThreadTag, thread_tags), (Question, questions),
                            (QuestionTag, question_tags), (Resource, resources), (ResourceTag, resource_tags)):
            _bulk(model, rows)
        events.commit(db.session)
        return issue_token(reader)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50, help="timed requests per row (at least 30)")
    args = parser.parse_args(argv)
    app = make_app()
    logging.disable(logging.WARNING)
    print("building data …", file=sys.stderr, flush=True)
    token = build(app)
    api_client, page_client = app.test_client(), app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    assert page_client.post("/login", data={"login": "lezer", "password": PASSWORD}).status_code == 302
    runs = max(args.runs, 30)
    rows = [measure("API /api/v1/users/me/feed", app, lambda: api_client.get("/api/v1/users/me/feed",
                                                                            headers=headers), runs=runs, warmup=5),
            measure("HTML / (home page with 'For you')", app, lambda: page_client.get("/"), runs=runs, warmup=5)]
    print_table(rows, f"a member of {MINE} of {COMMUNITIES} communities; {THREADS + QUESTIONS + RESOURCES:,} items; "
                      f"{runs} runs a row")
    print("Target: p95 <= 20 ms for the API.")


if __name__ == "__main__":
    main(sys.argv[1:])
