"""Search: rebuild throughput, query latency by kind, and a reply's way into the index.

Run: ``.venv/bin/python benchmarks/search.py``. Two corpora:

- ``SEARCH_BENCH_CORPUS=discussions`` (the default): ``benchmarks/_corpus.py``'s
  discussion corpus, one community, ``SEARCH_BENCH_THREADS`` threads × 51 posts
  (200: 10,200 documents; 1000: 51,000). Few distinct paragraphs, so a word
  such as ``heftruck`` matches a quarter of all documents and every one of
  them scores alike: the worst case for ranking.
- ``SEARCH_BENCH_CORPUS=realistic``: ``SEARCH_BENCH_DOCUMENTS`` (default
  100,000) threads, replies, questions, answers and notes over 200 private
  communities, Dutch and English drawn from real word lists with Zipf's law;
  the reader is a member of 10, so the community filter leaves about one
  document in twenty. SQLite FTS5 over the same titles, bodies and tags
  (``unicode61``, diacritics removed) is measured beside it as a yardstick:
  it has no word forms, compounds or permission re-checks, so it is a floor
  for speed, not a rival in quality.

Times are server time through the test client with highlighting and the
database re-check of every hit, as ``GET /api/v1/search`` does it.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import time

from _corpus import load_discussions, load_realistic
from _harness import make_app, measure, print_table

CORPUS = os.environ.get("SEARCH_BENCH_CORPUS", "discussions")
THREADS = int(os.environ.get("SEARCH_BENCH_THREADS", "200"))
DOCUMENTS = int(os.environ.get("SEARCH_BENCH_DOCUMENTS", "100000"))

QUERIES = [
    ("one word, in nearly every document: heftruck", "heftruck"),
    ("one word, rarer: zwaartepunt", "zwaartepunt"),
    ("one word by its forms: werken (werken, collega's werken)", "werken"),
    ("compound part: certificaat (heftruckcertificaat)", "certificaat"),
    ("two words: controller reset", "controller reset"),
    ('phrase of function words: "van de"', '"van de"'),
    ('phrase: "de vorken zo laag"', '"de vorken zo laag"'),
    ("filtered: tag:veiligheid zwaartepunt", "tag:veiligheid zwaartepunt"),
    ("filtered by type: type:thread heffen", "type:thread heffen"),
    ("misspelled, with a suggestion: zwaartpunt", "zwaartpunt"),
]

# The same queries in FTS5's syntax, in titles and bodies (no word forms: ``werken`` is just werken).
FTS_QUERIES = {
    "heftruck": ("{title body} : heftruck", None), "zwaartepunt": ("{title body} : zwaartepunt", None),
    "werken": ("{title body} : werken", None), "certificaat": ("{title body} : certificaat", None),
    "controller reset": ("{title body} : (controller reset)", None),
    '"van de"': ('{title body} : "van de"', None), '"de vorken zo laag"': ('{title body} : "de vorken zo laag"', None),
    "tag:veiligheid zwaartepunt": ("tags : veiligheid AND {title body} : zwaartepunt", None),
    "type:thread heffen": ("{title body} : heffen", "thread"), "zwaartpunt": ("{title body} : zwaartpunt", None),
}


def _percentiles(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def fts5_yardstick(app, readable: list[int], runs: int = 100) -> None:
    """SQLite FTS5 over the same entries as the index: a count and a page of 20 with snippets, as search does."""
    from community.search import registry

    fts = sqlite3.connect(":memory:")
    fts.execute("CREATE VIRTUAL TABLE docs USING fts5(title, body, tags, type UNINDEXED, community UNINDEXED, "
                "tokenize='unicode61 remove_diacritics 2')")
    started = time.perf_counter()
    with app.app_context():
        from community.extensions import db
        for search_type in registry.types().values():
            for ids in search_type.batches(500):
                fts.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?)",
                                [(e.indexed_title, e.body, " ".join(e.tags), e.type, e.community_id)
                                 for e in search_type.load(ids).values()])
                db.session.expunge_all()
    fts.commit()
    count = fts.execute("SELECT count(*) FROM docs").fetchone()[0]
    print(f"\nFTS5 yardstick: {count} documents loaded and indexed in {time.perf_counter() - started:.1f} s "
          "(loading from the database included)")
    marks = ",".join("?" * len(readable))
    rows = []
    for label, q in QUERIES:
        match, kind = FTS_QUERIES[q]
        where = f"docs MATCH ? AND community IN ({marks})" + (" AND type = ?" if kind else "")
        params = [match, *readable, *([kind] if kind else [])]
        times = []
        for n in range(runs + 5):
            start = time.perf_counter()
            total = fts.execute(f"SELECT count(*) FROM docs WHERE {where}", params).fetchone()[0]
            fts.execute(f"SELECT rowid, snippet(docs, 1, '<mark>', '</mark>', '…', 30) FROM docs WHERE {where} "
                        "ORDER BY bm25(docs, 3.0, 1.0, 0.0) LIMIT 20", params).fetchall()
            if n >= 5:
                times.append((time.perf_counter() - start) * 1000)
        median, p95 = _percentiles(times)
        rows.append({"what": label, "median_ms": median, "p95_ms": p95, "queries": total, "runs": runs})
    print_table(rows, "FTS5, same queries, same communities (the last column: how many match)")


def main() -> None:
    app = make_app()
    if CORPUS == "realistic":
        corpus = load_realistic(app, documents=DOCUMENTS)
    else:
        corpus = load_discussions(app, threads=THREADS, posts_per_thread=51)
    from community.search import analysis, indexer

    analysis.warm_up()
    with app.app_context():
        started = time.perf_counter()
        count = indexer.rebuild(app, "benchmark")
        took = time.perf_counter() - started
    print(f"rebuild: {count} documents in {took:.1f} s, {count / took:.0f} documents/s")

    client = app.test_client()
    headers = {"Authorization": f"Bearer {corpus['token']}"}
    rows = []
    for label, q in QUERIES:
        rows.append(measure(label, app, lambda q=q: client.get("/api/v1/search", query_string={"q": q},
                                                               headers=headers), runs=100, warmup=5))
        found = client.get("/api/v1/search", query_string={"q": q}, headers=headers).get_json()
        rows[-1]["what"] += f" ({found['total']})"
    print_table(rows, f"GET /api/v1/search, {count} documents ({CORPUS}), 20 hits a page; (n): how many match")

    thread_id = corpus["threads"][0]
    waits, posts = [], []
    for n in range(60):
        word = f"uniek{n}woord"
        start = time.perf_counter()
        response = client.post(f"/api/v1/threads/{thread_id}/posts", json={"body": f"Nieuw: {word}"},
                               headers=headers)
        posted = time.perf_counter()
        assert response.status_code == 201, response.get_json()
        found = client.get("/api/v1/search", query_string={"q": word}, headers=headers).get_json()
        assert found["total"] == 1, found
        waits.append((time.perf_counter() - start) * 1000)
        posts.append((posted - start) * 1000)
    post_median, post_p95 = _percentiles(posts)
    wait_median, wait_p95 = _percentiles(waits)
    print(f"\nreply POST (index write included): median {post_median:.1f} ms, p95 {post_p95:.1f} ms")
    print(f"reply POST then found by search: median {wait_median:.1f} ms, p95 {wait_p95:.1f} ms")

    if CORPUS == "realistic":
        from sqlalchemy import select

        from community.communities.models import Community
        from community.extensions import db

        with app.app_context():
            readable = list(db.session.scalars(select(Community.id).where(Community.slug.in_(corpus["communities"]))))
        fts5_yardstick(app, readable)


if __name__ == "__main__":
    main()
