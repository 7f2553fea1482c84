"""Search: rebuild throughput, query latency by kind, and a reply's way into the index.

Run: ``.venv/bin/python benchmarks/search.py`` (``SEARCH_BENCH_THREADS=1000`` for 51,000
documents; the default is 200 threads × 51 posts, 10,200 documents).

The corpus is ``benchmarks/_corpus.py``'s discussion corpus (mixed Dutch and
English Markdown, one community): few distinct paragraphs, so a common word
such as ``heftruck`` matches nearly every document, the worst case for
scoring. Times are server time through the test client with highlighting
and the database re-check of every hit, as ``GET /api/v1/search`` does it.
"""

from __future__ import annotations

import os
import statistics
import time

from _corpus import load_discussions
from _harness import make_app, measure, print_table

THREADS = int(os.environ.get("SEARCH_BENCH_THREADS", "200"))

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


def main() -> None:
    app = make_app()
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
    print_table(rows, f"GET /api/v1/search, {count} documents, 20 hits a page")

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
    waits.sort()
    posts.sort()
    print(f"\nreply POST (index write included): median {statistics.median(posts):.1f} ms, "
          f"p95 {posts[int(len(posts) * 0.95) - 1]:.1f} ms")
    print(f"reply POST then found by search: median {statistics.median(waits):.1f} ms, "
          f"p95 {waits[int(len(waits) * 0.95) - 1]:.1f} ms")


if __name__ == "__main__":
    main()
