"""The insight page and ``GET /communities/{slug}/stats``: server time, SQL queries and their plans.

Builds a fresh SQLite instance (the real migrations) with a community of
2,000 members, 10,000 posts in 500 threads (5 % deleted), 1,000 questions
with 2,500 answers, 200 resources and 2,000 chat messages spread over the
last 16 weeks, beside a second community of 3,000 posts so that the
queries must pick their community's rows out of others. Then times the page
(session cookie) and the API (Bearer token) through Flask's test client,
first counted afresh on every request (``INSIGHT_CACHE_SECONDS=0``), then
with ``INSIGHT_CACHE_SECONDS=30`` (``insight/cache.py``: kept 30 s or until a write), and
prints every SQL statement of one request with SQLite's ``EXPLAIN QUERY
PLAN``, marking any full scan of a content table.

    .venv/bin/python benchmarks/insight.py [--runs 50]

Absolute times on shared machines vary up to 2x between runs (FIELD-NOTES):
compare rows of one run. Target: p95 <= 50 ms for both.
"""

from __future__ import annotations

import argparse
import logging
import random
import re
import shutil
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._corpus import PASSWORD
from benchmarks._harness import make_app, measure, print_table

MEMBERS, THREADS, POSTS, QUESTIONS, ANSWERS, RESOURCES, MESSAGES = 2000, 500, 10_000, 1000, 2500, 200, 2000
TAGS = ["kassa", "magazijn", "heftruck", "veiligheid", "rooster", "klantcontact", "hygiene", "bestellen"]
CONTENT_TABLES = ("posts", "questions", "answers", "resources", "chat_messages", "memberships", "threads")


def _bulk(model, rows) -> None:
    from sqlalchemy import insert

    from community.extensions import db

    for i in range(0, len(rows), 2000):
        db.session.execute(insert(model), rows[i:i + 2000])


def _fill(rng, community_id: int, user_ids: list[int], *, threads: int, posts: int, questions: int,
          answers: int, resources: int, messages: int, ids: dict) -> None:
    """Content of one community written straight into the tables, shaped as the services write it."""
    from community.chat.models import ChatMessage
    from community.discussions.models import Post, Thread, path_segment
    from community.qa.models import Answer, Question, QuestionTag
    from community.resources.models import Resource
    from community.timeutil import utcnow

    now = utcnow()

    def when(days: int = 112):
        return now - timedelta(minutes=rng.randrange(days * 24 * 60))

    thread_rows, post_rows = [], []
    per_thread = posts // threads
    for _ in range(threads):
        ids["thread"] += 1
        created = when()
        thread_rows.append({"id": ids["thread"], "community_id": community_id, "author_id": rng.choice(user_ids),
                            "title": f"Overleg {ids['thread']}", "pinned": False, "locked": False,
                            "reply_count": per_thread - 1, "created_at": created, "last_activity_at": created})
        root = None
        for n in range(per_thread):
            ids["post"] += 1
            seg = path_segment(ids["post"])
            path = seg if n == 0 else root[1] + seg
            post_rows.append({"id": ids["post"], "thread_id": ids["thread"], "parent_id": None if n == 0 else root[0],
                              "author_id": thread_rows[-1]["author_id"] if n == 0 else rng.choice(user_ids),
                              "path": path, "depth": 0 if n == 0 else 1, "body": "Tekst", "body_html": "<p>Tekst</p>",
                              "created_at": created + timedelta(minutes=n * 7), "edited_at": None,
                              "edited_by_id": None, "deleted_at": now if n and rng.random() < 0.05 else None})
            root = root or (ids["post"], path)
    question_rows, tag_rows, answer_rows = [], [], []
    for _ in range(questions):
        ids["question"] += 1
        asked = when()
        question_rows.append({"id": ids["question"], "community_id": community_id, "author_id": rng.choice(user_ids),
                              "title": f"Vraag {ids['question']} over de winkel", "body": "Hoe?",
                              "body_html": "<p>Hoe?</p>", "score": 0, "answer_count": 0, "created_at": asked,
                              "last_activity_at": asked})
        tag_rows += [{"question_id": ids["question"], "tag": t, "position": i}
                     for i, t in enumerate(rng.sample(TAGS, 2))]
    answered = rng.sample(question_rows, int(questions * 0.7))
    for a in range(answers):
        question = answered[a % len(answered)]
        ids["answer"] += 1
        question["answer_count"] += 1
        answer_rows.append({"id": ids["answer"], "question_id": question["id"], "author_id": rng.choice(user_ids),
                            "body": "Zo.", "body_html": "<p>Zo.</p>", "score": 0,
                            "created_at": question["created_at"] + timedelta(minutes=rng.randrange(5, 3000))})
    resource_rows = [{"community_id": community_id, "author_id": rng.choice(user_ids), "kind": "link",
                      "title": f"Link {r}", "description": "", "description_html": "", "url": "https://example.org",
                      "created_at": when()} for r in range(resources)]
    message_rows = [{"community_id": community_id, "author_id": rng.choice(user_ids), "body": "Hoi",
                     "body_html": "<p>Hoi</p>", "client_id": None, "created_at": when(14), "deleted_at": None}
                    for _ in range(messages)]
    for model, rows in ((Thread, thread_rows), (Post, post_rows), (Question, question_rows),
                        (QuestionTag, tag_rows), (Answer, answer_rows), (Resource, resource_rows),
                        (ChatMessage, message_rows)):
        _bulk(model, rows)


def build(app) -> dict:
    from werkzeug.security import generate_password_hash

    from community import events
    from community.accounts.models import User
    from community.accounts.service import issue_token, register
    from community.communities.models import Membership
    from community.communities.service import create_community
    from community.extensions import db
    from community.qa.models import Expertise
    from community.timeutil import utcnow

    rng = random.Random(15)
    with app.test_request_context(method="POST"):
        trainer = register({"username": "trainer", "email": "trainer@example.org", "password": PASSWORD})
        other = register({"username": "elders", "email": "elders@example.org", "password": PASSWORD})
        community = create_community(trainer, {"name": "Winkelvloer", "kind": "practice", "visibility": "public",
                                               "join_policy": "open"})
        noise = create_community(other, {"name": "Elders", "kind": "practice", "visibility": "public",
                                         "join_policy": "open"})
        password = generate_password_hash(PASSWORD, "pbkdf2:sha256:1000")
        now = utcnow()
        first = trainer.id + 10
        _bulk(User, [{"id": first + i, "username": f"lid{i:04d}", "username_key": f"lid{i:04d}",
                      "email": f"lid{i:04d}@example.org", "password_hash": password, "display_name": "",
                      "bio": "", "is_admin": False, "created_at": now} for i in range(MEMBERS - 1)])
        members = [first + i for i in range(MEMBERS - 1)]
        _bulk(Membership, [{"community_id": community.id, "user_id": uid, "role": "member", "state": "active",
                            "joined_at": now - timedelta(days=rng.randrange(200))} for uid in members])
        _bulk(Membership, [{"community_id": noise.id, "user_id": uid, "role": "member", "state": "active",
                            "joined_at": now} for uid in members[:300]])
        _bulk(Expertise, [{"user_id": uid, "tag": rng.choice(TAGS), "declared": True, "recognized": False,
                           "created_at": now} for uid in rng.sample(members, 60)])
        ids = {"thread": 0, "post": 0, "question": 0, "answer": 0}
        writers = rng.sample(members, 1200)  # the other 800 are silent
        _fill(rng, community.id, writers + [trainer.id], threads=THREADS, posts=POSTS, questions=QUESTIONS,
              answers=ANSWERS, resources=RESOURCES, messages=MESSAGES, ids=ids)
        _fill(rng, noise.id, members[:300], threads=150, posts=3000, questions=300, answers=600, resources=50,
              messages=500, ids=ids)
        events.commit(db.session)
        return {"slug": community.slug, "token": issue_token(trainer)}


def sign_in(client) -> None:
    response = client.post("/login", data={"login": "trainer", "password": PASSWORD})
    assert response.status_code == 302, response.status_code


def statements_of(app, fetch) -> list[tuple[str, object]]:
    from sqlalchemy import event

    from community.extensions import db

    with app.app_context():
        engine = db.engine
    seen: list[tuple[str, object]] = []

    def keep(_conn, _cursor, statement, parameters, *_args):
        if statement.split(None, 1)[0].upper() not in ("BEGIN", "COMMIT", "ROLLBACK"):
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        response = fetch()
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    assert response.status_code == 200, response.status_code
    return seen


def explain(app, statements) -> list[str]:
    """Each statement's plan; the full scans of content tables, which there must be none of."""
    from community.extensions import db

    scans = []
    with app.app_context():
        raw = db.engine.raw_connection()
        try:
            for statement, parameters in statements:
                plan = raw.cursor().execute("EXPLAIN QUERY PLAN " + statement, parameters).fetchall()
                details = [row[-1] for row in plan]
                print("\n" + " ".join(statement.split())[:160] + " …")
                for detail in details:
                    bad = re.match(r"SCAN (\w+)(?! USING)", detail)
                    flag = "   <-- full scan" if bad and bad.group(1) in CONTENT_TABLES else ""
                    print(f"    {detail}{flag}")
                    if flag:
                        scans.append(detail)
        finally:
            raw.close()
    return scans


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50, help="timed requests per row (at least 30)")
    parser.add_argument("--quiet", action="store_true", help="leave out the query plans")
    args = parser.parse_args(argv)

    app = make_app()  # CSRF off: the sign-in form is posted without its token
    logging.disable(logging.WARNING)
    print("building data …", file=sys.stderr, flush=True)
    world = build(app)
    page_client = app.test_client()
    sign_in(page_client)
    api_client = app.test_client()
    headers = {"Authorization": f"Bearer {world['token']}"}
    page = lambda: page_client.get(f"/c/{world['slug']}/insight")  # noqa: E731
    api = lambda: api_client.get(f"/api/v1/communities/{world['slug']}/stats", headers=headers)  # noqa: E731

    statements = statements_of(app, api)
    scans = [] if args.quiet else explain(app, statements)
    runs = max(args.runs, 30)
    rows = []
    for cache, note in ((0, ", counted afresh"), (30, ", cached")):
        app.config["INSIGHT_CACHE_SECONDS"] = cache
        for label, fetch in (("HTML /c/{slug}/insight", page), ("API /api/v1/communities/{slug}/stats", api)):
            rows.append(measure(label + note, app, fetch, runs=runs, warmup=5))
    size = len(page().get_data()) / 1024
    print_table(rows, f"{MEMBERS:,} members, {POSTS:,} posts, {QUESTIONS:,} questions, {ANSWERS:,} answers, "
                      f"{RESOURCES} resources, {MESSAGES:,} chat messages; {runs} runs a row; page {size:.0f} KiB")
    print("Target: p95 <= 50 ms. 'counted afresh': INSIGHT_CACHE_SECONDS=0, every figure counted on every")
    print("request (the default); 'cached': INSIGHT_CACHE_SECONDS=30, kept in the process until a write there.")
    if not args.quiet:
        print("full scans of content tables:", scans or "none")
    with app.app_context():
        from community.extensions import db
        db.engine.dispose()
    shutil.rmtree(app.instance_path, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
