"""The Whoosh backend: the only module that imports ``whoosh``.

The rest of search speaks in our own terms: ``Document`` (already analysed
text goes in as ``analysis.index_terms``), ``Match`` trees (``Word``,
``Phrase``, ``AllOf``), ``Filters``, and ``(uid, score)`` hits. A second
backend (PostgreSQL full text, for deployments on several machines) takes
the same terms and queries.

On disk (``COMMUNITY_SEARCH_INDEX``, default ``INSTANCE/search``)::

    CURRENT        the name of the live index folder (replaced atomically)
    index-<id>/    a Whoosh index
    write.lock     held (flock) by whoever writes: live updates and the swap
    rebuild.lock   held by the one process rebuilding
    rebuilding     present while a rebuild runs: its reason
    journal        uids written while a rebuild runs, replayed before the swap

Writes take ``write.lock`` (waiting up to ``WRITE_TIMEOUT``) and commit one
small segment (``merge=False``) unless the index has many, so any number of
processes can write without losing an update: the second waits for the
first. Each process keeps one searcher and refreshes it only when the index
changed (opening one costs 44 ms at 50,000 documents, refreshing one a
fraction of that).
"""

from __future__ import annotations

import fcntl
import json
import math
import os
import secrets
import shutil
import threading
import time
import zlib
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.analysis import Analyzer, Token
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema

WRITE_TIMEOUT = 30.0
MERGE_AFTER_SEGMENTS = 12  # more small segments than this: the next commit merges them
CANARY_UID = "canary:0"
CANARY_TERM = "=leerplein canary"
TITLE_WEIGHT = 3.0
RECENCY = 0.25         # a document written today scores up to 25% more than an old one
RECENCY_HALF_LIFE = 180 * 24 * 60  # minutes
RANK_WINDOW = 100


CHECKSUMS = "CHECKSUMS.json"


def _crc(path: Path) -> int:
    crc = 0
    with open(path, "rb") as data:
        while chunk := data.read(1 << 20):
            crc = zlib.crc32(chunk, crc)
    return crc


def _index_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in (".seg", ".toc"))


def record_checksums(folder: Path) -> None:
    """Note a checksum of every segment and table of contents (call after each commit, lock held).

    Whoosh never rewrites a segment file, so only new files are read: a
    one-document commit hashes one small segment. A corrupted segment went
    unnoticed 9 times in 10 by Whoosh itself; against these sums, every time.
    """
    try:
        known = json.loads((folder / CHECKSUMS).read_text())
    except (FileNotFoundError, ValueError):
        known = {}
    sums = {p.name: known.get(p.name) if p.name in known else _crc(p) for p in _index_files(folder)}
    draft = folder / f".{CHECKSUMS}.{os.getpid()}"
    draft.write_text(json.dumps(sums))
    os.replace(draft, folder / CHECKSUMS)


def checksums_hold(folder: Path) -> bool:
    try:
        known = json.loads((folder / CHECKSUMS).read_text())
    except (FileNotFoundError, ValueError):
        return False
    present = {p.name: p for p in _index_files(folder)}
    return set(present) == set(known) and all(_crc(present[name]) == crc for name, crc in known.items())


class SearchUnavailable(Exception):
    """The index cannot answer now (missing, being rebuilt, unreadable)."""


@dataclass
class Document:
    """One searchable thing, analysed: ``title``/``body`` are ``(term, position)`` lists."""

    uid: str
    type: str
    community_id: int
    author: str
    tags: list[str]
    created_minutes: int
    title: list[tuple[str, int]]
    body: list[tuple[str, int]]
    boost: float = 1.0


@dataclass(frozen=True)
class Word:
    """A query word: any of ``keys``, or all of ``parts`` (a compound's), in title or body."""

    keys: tuple[str, ...]
    parts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Phrase:
    """Exact terms at consecutive positions (from ``analysis.phrase_terms``)."""

    terms: tuple[str, ...]


@dataclass(frozen=True)
class Filters:
    types: tuple[str, ...]
    communities: tuple[int, ...] | None = None  # None: every community (site admins)
    tags: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()


@dataclass
class Hits:
    items: list[tuple[str, float]] = field(default_factory=list)
    total: int = 0


class _Terms(str):
    """Analysed terms in the shape Whoosh accepts for a text field (a ``str``; lists it would re-tokenize)."""

    terms: list

    def __new__(cls, terms: list[tuple[str, int]]):
        made = super().__new__(cls, "")
        made.terms = terms
        return made


class _PreAnalyzed(Analyzer):
    """Takes ``(term, position)`` pairs made by ``analysis`` and hands them to Whoosh as tokens."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode)
        for term, pos in getattr(value, "terms", ()):
            token.text = term
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar = token.endchar = 0
            yield token

    def __eq__(self, other):
        return isinstance(other, _PreAnalyzed)


def schema() -> Schema:
    text = TEXT(analyzer=_PreAnalyzed(), phrase=True, stored=False)
    return Schema(
        uid=ID(unique=True, stored=True),
        type=ID(),
        community=ID(),
        author=ID(),
        tags=KEYWORD(lowercase=True, scorable=False),
        created=NUMERIC(int, bits=32, sortable=True),
        boost=NUMERIC(int, bits=32, sortable=True),  # thousandths
        title=text,
        body=TEXT(analyzer=_PreAnalyzed(), phrase=True, stored=False),
    )


def rank_factor(boost_thousandths: int, created_minutes: int, now: int) -> float:
    """The item's own boost times up to ``1 + RECENCY`` for recent items (halving every half life)."""
    age = max(0, now - (created_minutes or 0))
    return (boost_thousandths or 1000) / 1000 * (1 + RECENCY * math.pow(0.5, age / RECENCY_HALF_LIFE))


def now_minutes() -> int:
    return int(time.time() // 60)


class Engine:
    """One index folder, shared by every process of an instance; one searcher per process."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._lock = threading.RLock()
        self._index = None
        self._index_name: str | None = None
        self._searcher = None
        self.all_types: set[str] = set()  # every registered type: no type filter needed

    # -- where the live index is ------------------------------------------------------------

    def _current_name(self) -> str | None:
        try:
            return (self.folder / "CURRENT").read_text().strip() or None
        except FileNotFoundError:
            return None

    def exists(self) -> bool:
        name = self._current_name()
        return name is not None and whoosh_index.exists_in(str(self.folder / name))

    def _open(self):
        """The live index, reopened when another process swapped in a rebuilt one."""
        name = self._current_name()
        if name is None or not whoosh_index.exists_in(str(self.folder / name)):
            raise SearchUnavailable("no index")
        if name != self._index_name:
            self._close_searcher()
            try:
                self._index = whoosh_index.open_dir(str(self.folder / name))
            except Exception as error:  # any unreadable file: the index is unusable, not the request
                raise SearchUnavailable(f"index unreadable: {error!r}") from error
            self._index_name = name
        return self._index

    def _close_searcher(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    def close(self) -> None:
        with self._lock:
            self._close_searcher()
            self._index = self._index_name = None

    @contextmanager
    def _searching(self):
        with self._lock:
            index = self._open()
            try:
                if self._searcher is None:
                    self._searcher = index.searcher()
                elif not self._searcher.up_to_date():
                    self._searcher = self._searcher.refresh()
            except Exception as error:
                self._close_searcher()
                raise SearchUnavailable(f"index unreadable: {error!r}") from error
            yield self._searcher

    # -- locks -----------------------------------------------------------------------------

    @contextmanager
    def _flock(self, name: str, *, timeout: float = WRITE_TIMEOUT, blocking: bool = True):
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / name, "a+") as handle:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if not blocking or time.monotonic() > deadline:
                        raise TimeoutError(f"{name} is held") from None
                    time.sleep(0.002)
            try:
                yield handle
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def write_lock(self):
        return self._flock("write.lock")

    def rebuild_lock(self):
        """Held by the one process rebuilding; raises TimeoutError at once if another holds it."""
        return self._flock("rebuild.lock", blocking=False)

    def rebuild_running(self) -> bool:
        try:
            with self._flock("rebuild.lock", blocking=False):
                return False
        except TimeoutError:
            return True

    # -- writing ---------------------------------------------------------------------------

    @staticmethod
    def _fields(doc: Document) -> dict:
        return {"uid": doc.uid, "type": doc.type, "community": str(doc.community_id), "author": doc.author,
                "tags": " ".join(doc.tags), "created": doc.created_minutes, "boost": round(doc.boost * 1000),
                "title": _Terms(doc.title), "body": _Terms(doc.body)}

    def _apply(self, index, updates: Iterable[Document], deletes: Iterable[str]) -> None:
        writer = index.writer()
        try:
            for uid in deletes:
                writer.delete_by_term("uid", uid)
            for doc in updates:
                writer.update_document(**self._fields(doc))
            many = len(index._segments()) > MERGE_AFTER_SEGMENTS
            writer.commit(merge=many)
        except BaseException:
            writer.cancel()
            raise
        record_checksums(Path(index.storage.folder))

    def write(self, updates: list[Document], deletes: list[str]) -> None:
        """Add or replace ``updates`` and remove ``deletes`` (uids), durably, before returning."""
        if not updates and not deletes:
            return
        with self.write_lock():
            name = self._current_name()
            if name is None or not whoosh_index.exists_in(str(self.folder / name)):
                raise SearchUnavailable("no index")
            with self._lock:
                index = self._open()
                self._apply(index, updates, deletes)
            if (self.folder / "rebuilding").exists():
                with open(self.folder / "journal", "a") as journal:
                    journal.write("".join(f"{uid}\n" for uid in [*(d.uid for d in updates), *deletes]))

    # -- rebuilding ------------------------------------------------------------------------

    def new_index(self) -> tuple[str, object]:
        """A fresh, empty index folder with the canary in it, not yet live."""
        name = f"index-{secrets.token_hex(4)}"
        path = self.folder / name
        path.mkdir(parents=True)
        index = whoosh_index.create_in(str(path), schema())
        writer = index.writer()
        writer.add_document(uid=CANARY_UID, type="canary", community="0", author="", tags="", created=0,
                            boost=1000, title=_Terms([]), body=_Terms([(CANARY_TERM, 0)]))
        writer.commit()
        record_checksums(path)
        return name, index

    @staticmethod
    def bulk_writer(index, limitmb: int = 128):
        return index.writer(limitmb=limitmb)

    @staticmethod
    def sealed(index) -> None:
        """Record the checksums of a bulk-built index (before it goes live)."""
        record_checksums(Path(index.storage.folder))

    def add_bulk(self, writer, docs: Iterable[Document]) -> None:
        for doc in docs:
            writer.add_document(**self._fields(doc))

    def apply_to(self, index, updates: list[Document], deletes: list[str]) -> None:
        self._apply(index, updates, deletes)

    def journal(self) -> list[str]:
        try:
            return (self.folder / "journal").read_text().split()
        except FileNotFoundError:
            return []

    def begin_rebuild(self, reason: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "journal").write_text("")
        (self.folder / "rebuilding").write_text(reason)

    def rebuild_reason(self) -> str | None:
        try:
            return (self.folder / "rebuilding").read_text().strip() or "rebuilding"
        except FileNotFoundError:
            return None

    def swap_in(self, name: str) -> None:
        """Make ``name`` the live index (call with ``write_lock`` held) and remove the old ones."""
        draft = self.folder / f".CURRENT.{os.getpid()}"
        draft.write_text(name)
        os.replace(draft, self.folder / "CURRENT")
        for leftover in ("rebuilding", "journal"):
            (self.folder / leftover).unlink(missing_ok=True)
        for old in self.folder.glob("index-*"):
            if old.name != name:
                shutil.rmtree(old, ignore_errors=True)

    def abandon(self, name: str) -> None:
        shutil.rmtree(self.folder / name, ignore_errors=True)
        (self.folder / "rebuilding").unlink(missing_ok=True)

    # -- checking --------------------------------------------------------------------------

    def verify(self) -> int:
        """Check every file's checksum, read every stored document, look up the canary.

        Returns the number of documents without the canary; raises
        ``SearchUnavailable`` when a file changed, the index cannot be read or
        the canary is gone.
        """
        name = self._current_name()
        if name is None or not checksums_hold(self.folder / name):
            raise SearchUnavailable("a file of the index is not as it was written")
        with self._searching() as searcher:
            try:
                reader = searcher.reader()
                uids = sum(1 for _ in reader.all_stored_fields())
                canary = list(searcher.search(wq.Term("body", CANARY_TERM), limit=1))
                if not canary or canary[0]["uid"] != CANARY_UID:
                    raise SearchUnavailable("the canary is missing")
                return uids - 1
            except SearchUnavailable:
                raise
            except Exception as error:
                raise SearchUnavailable(f"index unreadable: {error!r}") from error

    def stored_uids(self) -> set[str]:
        with self._searching() as searcher:
            return {fields["uid"] for fields in searcher.reader().all_stored_fields()} - {CANARY_UID}

    def doc_count(self) -> int:
        with self._searching() as searcher:
            return searcher.doc_count() - 1

    # -- searching -------------------------------------------------------------------------

    @staticmethod
    def _word(word: Word):
        alternatives = []
        for fieldname, weight in (("title", TITLE_WEIGHT), ("body", 1.0)):
            alternatives += [wq.Term(fieldname, key, boost=weight) for key in word.keys]
            if word.parts:
                alternatives.append(wq.And([wq.Term(fieldname, p, boost=weight) for p in word.parts]))
        return wq.Or(alternatives)

    @staticmethod
    def _phrase(phrase: Phrase):
        def in_field(fieldname, weight):
            if len(phrase.terms) == 1:
                return wq.Term(fieldname, phrase.terms[0], boost=weight)
            return wq.Phrase(fieldname, list(phrase.terms), boost=weight)
        return wq.Or([in_field("title", TITLE_WEIGHT), in_field("body", 1.0)])

    def _query(self, matches: list, any_of: bool = False):
        parts = [self._phrase(m) if isinstance(m, Phrase) else self._word(m) for m in matches]
        if not parts:
            return wq.Every()
        return wq.Or(parts) if any_of else wq.And(parts)

    @staticmethod
    def _filter(filters: Filters, all_types: bool):
        """The filter as part of the query, scoring nothing.

        Inside the query the engine only tests the documents the words
        already matched (skipping along the filter's postings); as Whoosh's
        ``filter=`` it would first collect every document of every readable
        community, each query (measured: half the time of a one-word query
        at 10,000 documents).
        """
        parts = [] if all_types else [wq.Or([wq.Term("type", t) for t in filters.types])]
        if filters.communities is not None:
            parts.append(wq.Or([wq.Term("community", str(c)) for c in filters.communities]))
        parts += [wq.Term("tags", tag) for tag in filters.tags]
        if filters.authors:
            parts.append(wq.Or([wq.Term("author", a) for a in filters.authors]))
        return [wq.ConstantScoreQuery(part, 0.0) for part in parts]

    def search(self, matches: list, filters: Filters, *, offset: int, limit: int, any_of: bool = False) -> Hits:
        """Hits ``offset`` to ``offset + limit`` by score, and how many match in all.

        ``any_of``: a document needs only one of the matches (most of them
        rank first), for "similar" lists rather than searches.

        BM25F picks the best ``RANK_WINDOW`` (Whoosh skips blocks that cannot
        reach them, so a common word does not score every document), then each
        is multiplied by its ``rank_factor`` and the window re-sorted. Scoring
        every match with the factor inside cost 2 to 4 times as much at
        10,000 documents. Pages past the window are ranked by BM25F alone.
        """
        if not filters.types or filters.communities == ():
            return Hits()
        window = max(RANK_WINDOW, offset + limit)
        with self._searching() as searcher:
            try:
                all_types = bool(matches) and set(filters.types) >= self.all_types  # the canary has no words
                query = wq.And([self._query(matches, any_of), *self._filter(filters, all_types)])
                results = searcher.search(query, limit=window, terms=False)
                total = len(results)  # exact: the filter is applied inside the search
                reader = searcher.reader()
                boosts, created = reader.column_reader("boost"), reader.column_reader("created")
                now = now_minutes()
                ranked = sorted(((hit.score or 0.0) * rank_factor(boosts[hit.docnum], created[hit.docnum], now),
                                 hit.docnum) for hit in results)
                ranked.reverse()
                items = [(reader.stored_fields(docnum)["uid"], score)
                         for score, docnum in ranked[offset:offset + limit]]
            except Exception as error:
                raise SearchUnavailable(f"index unreadable: {error!r}") from error
        return Hits(items, total)

    def known_terms(self, fieldname: str, text: str, maxdist: int = 2) -> list[tuple[str, int]]:
        """Index terms within ``maxdist`` edits of ``text``, with their document frequency."""
        with self._searching() as searcher:
            reader = searcher.reader()
            prefix = 1 if len(text) > 3 else 0
            found = []
            for term in reader.terms_within(fieldname, text, maxdist, prefix=prefix):
                found.append((term, reader.doc_frequency(fieldname, term)))
            return found

    def frequency(self, fieldname: str, term: str) -> int:
        with self._searching() as searcher:
            return searcher.reader().doc_frequency(fieldname, term)
