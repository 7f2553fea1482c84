"""Q&A: a community's question list over 1,000 questions, a question with 100 answers, a vote.

Server time through Flask's test client on SQLite (see _harness.py), with the
SQL statements per request. People, the community and expertise go through
the services; the 1,000 questions and their answers are bulk-inserted rows
shaped as the services write them (rendered once per distinct body).

Run: ``.venv/bin/python benchmarks/qa.py`` (or ``make bench``).
Targets (issue 12): both pages p50 <= 10 ms, p95 <= 20 ms; a vote p95 <= 10 ms.
"""

from __future__ import annotations

import itertools
import random
import re
from datetime import timedelta

from _corpus import PARAGRAPHS, PASSWORD, TAGS
from _harness import db, make_app, measure, print_table
from sqlalchemy import insert, select

from community.markup import render_markdown
from community.timeutil import utcnow

QUESTIONS = 1000
PEOPLE = 40
BIG = 100  # answers on the measured question page


def populate(app) -> dict:
    from community.accounts.service import issue_token, register
    from community.communities.memberships import join_community
    from community.communities.service import create_community, find_community
    from community.qa import service
    from community.qa.models import Answer, Question, QuestionTag, Vote

    rng = random.Random(12)
    bodies = [(text, render_markdown(text)) for text in (p.format(user="lid01") for p in PARAGRAPHS)]
    with app.test_request_context():
        names = [f"lid{i:02d}" for i in range(PEOPLE)]
        users = [register({"username": n, "email": f"{n}@example.org", "password": PASSWORD}) for n in names]
        create_community(users[0], {"name": "Winkelvloer", "kind": "practice", "visibility": "public",
                                    "join_policy": "open"})
        community = find_community("winkelvloer")
        for user in users[1:]:
            join_community(user, community)
        for user in users[1:12]:
            service.set_expertise(user, rng.sample(TAGS, 3))
        ids = [u.id for u in users]
        start = utcnow() - timedelta(days=200)
        question_rows = []
        for n in range(QUESTIONS):
            text, html = rng.choice(bodies)
            at = start + timedelta(hours=4 * n)
            question_rows.append({"community_id": community.id, "author_id": rng.choice(ids),
                                  "title": f"Vraag {n}: hoe werkt de {rng.choice(TAGS)} bij ons?", "body": text,
                                  "body_html": html, "score": rng.randint(-2, 12), "answer_count": 0,
                                  "created_at": at, "last_activity_at": at, "escalation_round": 0})
        db.session.execute(insert(Question), question_rows)
        qids = list(db.session.scalars(select(Question.id).order_by(Question.id)))
        db.session.execute(insert(QuestionTag), [{"question_id": q, "tag": t, "position": i}
                                                 for q in qids for i, t in enumerate(rng.sample(TAGS, 2))])
        big = qids[-1]
        answer_rows, counts = [], {}
        for q in qids:
            count = BIG if q == big else rng.choice((0, 0, 1, 2, 3))
            counts[q] = count
            for k in range(count):
                text, html = rng.choice(bodies)
                answer_rows.append({"question_id": q, "author_id": rng.choice(ids), "body": text, "body_html": html,
                                    "score": rng.randint(-1, 8), "created_at": start + timedelta(minutes=k)})
        db.session.execute(insert(Answer), answer_rows)
        for q, count in counts.items():
            if count:
                db.session.query(Question).filter_by(id=q).update({"answer_count": count})
        big_answers = list(db.session.scalars(select(Answer.id).where(Answer.question_id == big)))
        reader = users[-1]
        db.session.execute(insert(Vote), [{"user_id": reader.id, "kind": "answer", "target_id": a, "value": 1,
                                           "created_at": utcnow()} for a in big_answers[::3]])
        accepted = big_answers[BIG // 2]
        db.session.query(Question).filter_by(id=big).update({"accepted_answer_id": accepted})
        db.session.commit()
        target = db.session.scalar(select(Answer.id).where(Answer.question_id == big,
                                                           Answer.author_id != reader.id))
        return {"slug": community.slug, "big": big, "token": issue_token(reader), "vote_on": target,
                "reader": reader.username}


def sign_in(client, username: str) -> None:
    page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    response = client.post("/login", data={"login": username, "password": PASSWORD, "csrf_token": csrf})
    assert response.status_code == 302, response.status_code


def main() -> None:
    app = make_app()
    world = populate(app)
    client = app.test_client()
    auth = {"Authorization": f"Bearer {world['token']}"}
    browser = app.test_client()
    sign_in(browser, world["reader"])
    slug, big = world["slug"], world["big"]
    values = itertools.cycle((1, -1, 0))
    rows = [
        measure(f"GET /communities/{{slug}}/questions (newest, of {QUESTIONS})", app,
                lambda: client.get(f"/api/v1/communities/{slug}/questions", headers=auth)),
        measure("GET …/questions?sort=votes&status=unanswered", app,
                lambda: client.get(f"/api/v1/communities/{slug}/questions?sort=votes&status=unanswered",
                                   headers=auth)),
        measure("GET …/questions?tag=kassa&sort=active", app,
                lambda: client.get(f"/api/v1/communities/{slug}/questions?tag=kassa&sort=active", headers=auth)),
        measure(f"GET /questions/{{id}} ({BIG} answers)", app,
                lambda: client.get(f"/api/v1/questions/{big}", headers=auth)),
        measure(f"HTML /c/{{slug}}/questions (the tab, of {QUESTIONS})", app,
                lambda: browser.get(f"/c/{slug}/questions")),
        measure(f"HTML /questions/{{id}} ({BIG} answers)", app,
                lambda: browser.get(f"/questions/{big}")),
        measure("GET …/questions/similar?title=kassa werkt", app,
                lambda: client.get(f"/api/v1/communities/{slug}/questions/similar?title=kassa werkt", headers=auth)),
        measure("GET /tags?community=… (with top experts)", app,
                lambda: client.get(f"/api/v1/tags?community={slug}", headers=auth)),
        measure("POST /answers/{id}/vote (1, -1, 0 in turn)", app,
                lambda: client.post(f"/api/v1/answers/{world['vote_on']}/vote", headers=auth,
                                    json={"value": next(values)})),
    ]
    print_table(rows, "Q&A, server time, SQLite, one process (targets: pages p50 <= 10 ms, p95 <= 20 ms; "
                      "vote p95 <= 10 ms)")


if __name__ == "__main__":
    main()
