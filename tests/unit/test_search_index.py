"""The index is a cache of the database: noticed when missing, stale or corrupt, rebuilt with nothing lost."""

from __future__ import annotations

import multiprocessing
import random
import shutil

import pytest

from community.search import analysis, indexer
from community.search.engine import Document, Engine


@pytest.fixture
def world(api):
    anna = api.user("anna")
    community = api.community(anna, "Magazijn")
    thread = api.post(f"/communities/{community['slug']}/threads", anna,
                      json={"title": "Heftruck", "body": "De heftruck staat in het magazijn."}).get_json()
    reply = api.post(f"/threads/{thread['id']}/posts", anna, json={"body": "De scanner hapert."}).get_json()
    return {"anna": anna, "thread": thread, "reply": reply}


def total(api, user, q):
    response = api.get("/search", user, query_string={"q": q})
    assert response.status_code == 200, response.get_json()
    return response.get_json()["total"]


def as_a_new_process(app):
    """Forget what this process knew about the index, as a freshly started server would."""
    app.extensions.pop("search_state", None)
    engine = app.extensions.pop("search_engine", None)
    if engine is not None:
        engine.close()


def test_a_missing_index_is_rebuilt_from_the_database(app, api, world):
    shutil.rmtree(indexer.index_folder(app))
    as_a_new_process(app)
    assert total(api, world["anna"], "scanner") == 1
    assert total(api, world["anna"], "heftruck") == 1


def test_a_stale_index_is_noticed_by_its_count_and_rebuilt(app, api, world):
    with app.app_context():
        indexer.engine(app).write([], [f"post:{world['reply']['id']}"])
        as_a_new_process(app)
        assert indexer.diagnose(app) == "stale"
    assert total(api, world["anna"], "scanner") == 1


@pytest.mark.parametrize("trial", range(10))
def test_a_corrupted_segment_is_detected_every_time_and_rebuilt_with_nothing_lost(app, api, world, trial):
    folder = indexer.index_folder(app)
    current = folder / (folder / "CURRENT").read_text()
    segments = sorted(current.glob("*.seg"))
    rng = random.Random(trial)
    victim = rng.choice(segments)
    data = bytearray(victim.read_bytes())
    spot = rng.randrange(len(data))
    data[spot] ^= 0x5A
    victim.write_bytes(bytes(data))
    as_a_new_process(app)
    with app.app_context():
        assert indexer.diagnose(app) == "corrupt"
    assert total(api, world["anna"], "scanner") == 1 and total(api, world["anna"], "heftruck") == 1


def test_search_answers_503_and_health_says_rebuilding_while_another_process_rebuilds(app, api, world):
    folder = indexer.index_folder(app)
    (folder / "CURRENT").unlink()
    as_a_new_process(app)
    engine = Engine(folder)
    with engine.rebuild_lock():
        (folder / "rebuilding").write_text("missing")
        response = api.get("/search", world["anna"], query_string={"q": "scanner"})
        assert response.status_code == 503
        assert response.get_json()["error"]["code"] == "search_unavailable"
        assert response.headers["Retry-After"]
        health = app.test_client().get("/healthz")
        assert health.status_code == 503 and health.get_json()["search"] == "rebuilding"
    (folder / "rebuilding").unlink()
    assert total(api, world["anna"], "scanner") == 1
    assert app.test_client().get("/healthz").get_json()["search"] == "ok"


def test_writes_during_a_rebuild_are_kept_by_the_journal(app, api, world):
    """A reply written while a rebuild runs is in the rebuilt index (replayed before the swap)."""
    original = indexer.registry.types()["post"].batches

    def batches_with_a_write_in_between(size):
        written = False
        for ids in original(size):
            yield ids
            if not written:  # once: the new reply comes after the last id read, as a racing write would
                written = True
                response = api.post(f"/threads/{world['thread']['id']}/posts", world["anna"],
                                    json={"body": "Tijdens de herbouw: printer"})
                assert response.status_code == 201

    indexer.registry.types()["post"].batches = batches_with_a_write_in_between
    try:
        with app.app_context():
            indexer.rebuild(app)
    finally:
        indexer.registry.types()["post"].batches = original
    as_a_new_process(app)
    assert total(api, world["anna"], "printer") == 1
    with app.app_context():
        assert indexer.diagnose(app) == "ok"


def test_a_rebuild_only_reads_so_replies_are_stored_while_it_runs(app, api, world):
    """A rebuild in its own thread (a server's, or the CLI's process) must not hold the database's
    write lock: a reply posted meanwhile is stored at once, and is in the rebuilt index."""
    import threading

    original = indexer.registry.types()["post"].batches
    between_batches, go_on = threading.Event(), threading.Event()

    def slow_batches(size):
        for ids in original(size):
            yield ids
            between_batches.set()
            go_on.wait(30)

    indexer.registry.types()["post"].batches = slow_batches
    try:
        rebuilding = indexer.rebuild_in_background(app, "requested")
        assert between_batches.wait(30)
        response = api.post(f"/threads/{world['thread']['id']}/posts", world["anna"],
                            json={"body": "Tijdens de herbouw: printer"})
        go_on.set()
        rebuilding.join(30)
    finally:
        go_on.set()
        indexer.registry.types()["post"].batches = original
    assert response.status_code == 201, response.get_json()
    as_a_new_process(app)
    assert total(api, world["anna"], "printer") == 1


def test_the_rebuild_command_reports_progress_and_the_check_command_agrees(app, world):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["search", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "Indexed 2 items." in result.output
    check = runner.invoke(args=["search", "check"])
    assert check.exit_code == 0 and check.output.strip().splitlines()[-1] == "ok"


def _write_many(folder: str, start: int, count: int) -> None:
    engine = Engine(folder)
    for n in range(start, start + count):
        engine.write([Document(uid=f"post:{n}", type="post", community_id=1, author="a", tags=[],
                               created_minutes=0, title=[], body=analysis.index_terms(f"kassa {n}"))], [])


def test_two_processes_writing_at_once_lose_no_update(tmp_path):
    engine = Engine(tmp_path / "search")
    name, index = engine.new_index()
    index.close()
    engine.swap_in(name)
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_write_many, args=(str(tmp_path / "search"), start, 25))
               for start in (0, 1000)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    assert engine.stored_uids() == {f"post:{n}" for n in [*range(25), *range(1000, 1025)]}
    assert engine.verify() == 50


def test_a_large_missing_index_is_rebuilt_in_the_background(app, api, world):
    import threading

    app.config["SEARCH_SYNC_REBUILD_MAX"] = 0
    shutil.rmtree(indexer.index_folder(app))
    as_a_new_process(app)
    with app.app_context():
        assert indexer.check(app) == "rebuilding"
    for thread in threading.enumerate():
        if thread.name == "search-rebuild":
            thread.join(30)
    assert total(api, world["anna"], "scanner") == 1
