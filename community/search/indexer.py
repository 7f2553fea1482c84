"""Keeping the index a true copy of the database.

- **After every commit**: each registered event names the items it may have
  changed; they are loaded again and written (or removed, when ``load`` no
  longer returns them) before the request's response goes out, so whatever
  was written is findable, and whatever was deleted gone, once the write's
  response has returned.
- **At start** (``check``, first use in a process): a missing index, a
  document count that differs from the database's, an unreadable segment or
  a missing canary means a rebuild. A small database is rebuilt at once; a
  large one in the background, while search answers 503
  ``search_unavailable``. One process rebuilds (``rebuild.lock``); the others
  see it and wait.
- **Rebuild** (``rebuild``, also ``flask --app wsgi search rebuild``) writes
  a new index beside the live one, replays what was written meanwhile (the
  journal), and swaps it in under the write lock: nothing written during a
  rebuild is lost, and searching never sees a half-built index.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from flask import Flask, current_app

from .. import events
from ..database import end_reads, reading
from ..extensions import db
from . import analysis, registry
from .engine import Document, Engine, SearchUnavailable

log = logging.getLogger(__name__)
BATCH = 100  # under gevent a batch runs without yielding: ~0.1 s
UNAVAILABLE_REASONS = ("missing", "corrupt", "stale")


def index_folder(app: Flask) -> Path:
    return Path(app.config.get("SEARCH_INDEX") or Path(app.config["INSTANCE"]) / "search")


def engine(app: Flask | None = None) -> Engine:
    app = app or current_app._get_current_object()
    found = app.extensions.get("search_engine")
    if found is None:
        found = app.extensions["search_engine"] = Engine(index_folder(app))
    return found


def document(entry: registry.Entry) -> Document:
    created = int(entry.created_at.timestamp() // 60) if entry.created_at else 0
    author = entry.author.username.lower() if entry.author is not None else ""
    return Document(uid=entry.uid, type=entry.type, community_id=entry.community_id, author=author,
                    tags=list(entry.tags), created_minutes=created,
                    title=analysis.index_terms(entry.indexed_title), body=analysis.index_terms(entry.body),
                    boost=entry.boost)


def load_entries(uids: list[str]) -> dict[str, registry.Entry]:
    """The current entries for ``uids`` (those that exist and may be shown), by uid."""
    by_type: dict[str, list[int]] = defaultdict(list)
    for uid in uids:
        parsed = registry.split_uid(uid)
        if parsed and registry.get(parsed[0]):
            by_type[parsed[0]].append(parsed[1])
    found = {}
    for name, ids in by_type.items():
        for entry in registry.get(name).load(sorted(set(ids))).values():
            found[entry.uid] = entry
    return found


def _changes(uids: list[str], *, pause: bool = False) -> tuple[list[Document], list[str]]:
    """``pause``: let other greenlets run after each document's analysis (see ``_Batcher``)."""
    uids = list(dict.fromkeys(uids))
    entries = load_entries(uids)
    updates = []
    for uid in uids:
        if uid in entries:
            updates.append(document(entries[uid]))
            if pause:
                time.sleep(0)  # gevent-patched in servers: a yield, not a wait
    return updates, [u for u in uids if u not in entries]


def reindex(uids: list[str], *, pause: bool = False) -> None:
    """Write the current state of these items to the live index (raises ``SearchUnavailable``).

    ``pause``: a background batch, which yields to the connections between documents.
    """
    if not uids:
        return
    app = current_app._get_current_object()
    check(app)
    with reading():  # a read that ends before the index write: no database lock waits on Whoosh
        updates, deletes = _changes(uids, pause=pause)
    end_reads()
    try:
        engine(app).write(updates, deletes)
    except SearchUnavailable:
        if engine(app).rebuild_running():
            # The rebuild has not swapped its index in yet: the journal brings these items along.
            engine(app).folder.mkdir(parents=True, exist_ok=True)
            with open(engine(app).folder / "journal", "a") as journal:
                journal.write("".join(f"{uid}\n" for uid in uids))
            return
        raise


def _reindex_or_mark_stale(uids: list[str], what, *, pause: bool = False) -> None:
    try:
        reindex(uids, pause=pause)
    except Exception:
        # The write is committed; a failed index update is repaired by the next check or rebuild.
        log.exception("search index not updated for %r", what)
        mark_stale(current_app._get_current_object())


def _on_event(domain_event) -> None:
    _reindex_or_mark_stale(registry.uids_for(domain_event, batched=False), domain_event)
    later = registry.uids_for(domain_event, batched=True)
    if later:
        _batcher(current_app._get_current_object()).add(later)


class _Batcher:
    """Items of a ``batched`` event (a chat message: many a second, each pushed live already) go
    into the index together, every ``SEARCH_BATCH_SECONDS``, in one write.

    One index commit costs tens of milliseconds, far more than storing and
    broadcasting a chat message; written one by one, they held up every
    connection of the process (measured: 100 clients at 10 messages a
    second, median delivery 2.4 s). Every 2 s rather than 0.5 s: at 20
    messages a second to 500 clients, delivery p95 fell from 38 to 23 ms and
    the sender's ack p95 from 26 to 13 ms (benchmarks/chat.py). The batch's
    analysis (about 0.5 ms a message) yields after each message, so a send
    that arrives meanwhile is answered before the rest of the batch. A message is
    then findable within about that interval after its ack. If the process
    stops first, the start-up check finds the count short and rebuilds.
    """

    def __init__(self, app: Flask):
        self.app = app
        self.pending: list[str] = []
        self.lock = threading.Lock()
        self.running = False

    def add(self, uids: list[str]) -> None:
        # ``running``, not ``Thread.is_alive()``: under gevent that check yields to other greenlets,
        # and the chat sender's ack then waited behind the room's broadcast.
        with self.lock:
            self.pending.extend(uids)
            if not self.running:
                self.running = True
                threading.Thread(target=self._run, name="search-batches", daemon=True).start()

    def _run(self) -> None:
        try:
            while True:
                time.sleep(self.app.config["SEARCH_BATCH_SECONDS"])  # gevent-patched in servers
                with self.lock:
                    uids, self.pending = self.pending, []
                if uids:
                    self.flush(uids)
        finally:
            self.running = False

    def flush(self, uids: list[str]) -> None:
        with self.app.app_context():
            try:
                _reindex_or_mark_stale(uids, f"{len(uids)} batched items", pause=True)
            finally:
                db.session.remove()


def _batcher(app: Flask) -> _Batcher:
    found = app.extensions.get("search_batcher")
    if found is None:
        found = app.extensions["search_batcher"] = _Batcher(app)
    return found


def _listen(event_type: type) -> None:
    events.listen(event_type)(_on_event)


registry.on_new_event_type(_listen)


# -- the state of the index ---------------------------------------------------------------------

def expected_count() -> int:
    return sum(search_type.count() for search_type in registry.types().values())


def diagnose(app: Flask) -> str:
    """``ok``, or why the index needs a rebuild: ``missing``, ``corrupt`` or ``stale``."""
    found = engine(app)
    if not found.exists():
        return "missing"
    try:
        indexed = found.verify()
    except SearchUnavailable:
        return "corrupt"
    return "ok" if indexed == expected_count() else "stale"


def mark_stale(app: Flask) -> None:
    app.extensions["search_state"] = "stale"


def check(app: Flask, *, background: bool | None = None) -> str:
    """Check the index once per process (and after a failed write); rebuild it if needed."""
    state = app.extensions.get("search_state")
    if state == "ok":
        return state
    with app.extensions.setdefault("search_check_lock", threading.Lock()):
        state = app.extensions.get("search_state")
        if state == "ok":
            return state
        if engine(app).rebuild_running():
            return "rebuilding"
        reason = diagnose(app)
        if reason == "ok":
            app.extensions["search_state"] = "ok"
            return "ok"
        count = expected_count()
        (log.warning if count else log.info)("search index %s: rebuilding %d items", reason, count)
        if background is None:
            background = count > app.config["SEARCH_SYNC_REBUILD_MAX"]
        if not background:
            try:
                rebuild(app, reason)
            except TimeoutError:  # another process started first (several servers starting at once)
                return "rebuilding"
            app.extensions["search_state"] = "ok"
            return "ok"
        rebuild_in_background(app, reason)
        return "rebuilding"


def status(app: Flask) -> str:
    """``ok``, ``rebuilding`` (search answers 503 meanwhile) or ``failing``: for ``/healthz``."""
    found = engine(app)
    reason = found.rebuild_reason()
    if reason is not None and found.rebuild_running():
        return "rebuilding" if reason in UNAVAILABLE_REASONS or not found.exists() else "ok"
    try:
        state = check(app)
    except Exception:
        log.exception("search index check failed")
        return "failing"
    return "ok" if state == "ok" else state


def available(app: Flask) -> bool:
    return status(app) == "ok"


# -- rebuilding ----------------------------------------------------------------------------------

def rebuild(app: Flask, reason: str = "requested", progress: Callable[[int, int], None] | None = None) -> int:
    """Build a new index from the database and swap it in; return how many items it holds.

    It only reads the database (``reading()``): outside a request every
    transaction would otherwise take SQLite's write lock, and a reply posted
    during a rebuild of 100,000 documents waited for it, then failed with
    503. What is written meanwhile reaches the new index through the journal.
    Raises ``TimeoutError`` when another process is rebuilding already.
    """
    with reading():
        try:
            done = _rebuild(app, reason, progress)
        except BaseException:
            db.session.rollback()
            raise
        end_reads()
    return done


def _rebuild(app: Flask, reason: str, progress: Callable[[int, int], None] | None) -> int:
    found = engine(app)
    total = expected_count()
    done = 0
    kept = set(db.session.identity_map.values())  # a request's own objects (a rebuild inside its listener)
    with found.rebuild_lock():
        found.begin_rebuild(reason)
        name, index = found.new_index()
        try:
            writer = found.rebuilder(index, total, app.config["SEARCH_REBUILD_PROCESSES"])
            try:
                for search_type in registry.types().values():
                    for ids in search_type.batches(BATCH):
                        entries = search_type.load(ids)
                        writer.add([document(e) for e in entries.values()])
                        done += len(ids)
                        _forget_loaded(kept)  # keep memory flat over a large database
                        if progress:
                            progress(done, total)
                        time.sleep(0)  # under gevent (patched), other greenlets run between batches
                writer.commit()
            except BaseException:
                writer.cancel()
                raise
            with found.write_lock():
                replay = found.journal()
                if replay:
                    found.apply_to(index, *_changes(replay))
                found.sealed(index)
                index.close()
                found.swap_in(name)
        except BaseException:
            found.abandon(name)
            raise
    found.close()
    app.extensions["search_state"] = "ok"
    return done


def _forget_loaded(kept: set) -> None:
    """Let go of what a rebuild batch loaded, but not of the objects the caller had before it.

    ``expunge_all`` also detached a request's own objects when a failed write
    had the index rebuilt inside that request's listener: the reply was
    stored, and its response then failed (500) loading the detached post's author.
    """
    for obj in list(db.session.identity_map.values()):
        if obj not in kept:
            db.session.expunge(obj)


def rebuild_in_background(app: Flask, reason: str) -> threading.Thread:
    def run():
        with app.app_context():
            try:
                rebuild(app, reason)
            except TimeoutError:
                pass  # another process is rebuilding
            except Exception:
                log.exception("search rebuild failed")
            finally:
                db.session.remove()

    thread = threading.Thread(target=run, name="search-rebuild", daemon=True)
    thread.start()
    return thread
