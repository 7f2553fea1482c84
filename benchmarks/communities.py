"""Community page and ``GET /api/v1/communities`` with 1,000 communities.

Run: ``.venv/bin/python benchmarks/communities.py`` (or ``make bench``).
"""

from __future__ import annotations

import random

from _harness import db, make_app, measure, print_table

from community.accounts.models import User
from community.communities.models import Community, Membership

COMMUNITIES = 1000
USERS = 200


def populate(app) -> None:
    rng = random.Random(7)
    with app.app_context():
        users = [User(username=f"lid{i}", username_key=f"lid{i}", email=f"lid{i}@example.org",
                      password_hash="x", display_name=f"Lid {i}") for i in range(USERS)]
        db.session.add_all(users)
        db.session.flush()
        for n in range(COMMUNITIES):
            kind = "cohort" if n % 3 == 0 else "practice"
            community = Community(slug=f"winkel-{n}", name=f"Winkel {n:04d} regio {n % 12}",
                                  description="Vragen en tips over de winkelvloer. " * 3, kind=kind,
                                  visibility="private" if n % 5 == 0 else "public", join_policy="open")
            if kind == "cohort":
                from datetime import date
                community.starts_on, community.ends_on = date(2026, 1, 5), date(2026, 1, 9)
            db.session.add(community)
            db.session.flush()
            for user in rng.sample(users, 8):
                db.session.add(Membership(community_id=community.id, user_id=user.id,
                                          role="owner" if user is users[0] else "member"))
        db.session.commit()


def main() -> None:
    app = make_app()
    populate(app)
    client = app.test_client()
    with app.app_context():
        user = db.session.query(User).filter_by(username="lid1").one()
        user.password_hash = __import__("werkzeug.security").security.generate_password_hash(
            "benchmark-password", method="pbkdf2:sha256:1000")
        db.session.commit()
    token = client.post("/api/v1/tokens", json={"login": "lid1", "password": "benchmark-password"}).get_json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    page_client = app.test_client()
    page_client.post("/login", data={"login": "lid1", "password": "benchmark-password"})
    rows = [
        measure("GET /api/v1/communities (first page, 20)", app,
                lambda: client.get("/api/v1/communities", headers=auth)),
        measure("GET /api/v1/communities?limit=100", app,
                lambda: client.get("/api/v1/communities?limit=100", headers=auth)),
        measure("GET /api/v1/communities?q=regio 7", app,
                lambda: client.get("/api/v1/communities?q=regio%207", headers=auth)),
        measure("GET /api/v1/communities/winkel-501", app,
                lambda: client.get("/api/v1/communities/winkel-501", headers=auth)),
        measure("GET /c/winkel-501 (community page, HTML)", app, lambda: page_client.get("/c/winkel-501")),
        measure("GET / (home page, HTML)", app, lambda: page_client.get("/")),
    ]
    print_table(rows, f"{COMMUNITIES} communities, {USERS} users, 8 members each; server time via test client")


if __name__ == "__main__":
    main()
