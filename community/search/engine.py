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
small segment (``merge=False``), so any number of processes can write
without losing an update: the second waits for the first. When the index
has many small segments a background thread merges them once writes
pause, under the same lock (``merge_soon``). A gevent server writes through a child process of
its own (``_WriterProcess``), so that Whoosh never runs on its event
loop. Each process keeps one searcher and, when the index changed,
builds the next one around the readers of the segments that did not
(``_fresh_searcher``); a write finds the old versions of what it replaces
with that searcher too. A rebuild of many documents writes its segments
in shard processes side by side (``_Shards``). Decoded postings blocks and
phrase position masks are kept per segment file for the whole process
(``_KEPT``), so a write leaves the next search warm.
"""

from __future__ import annotations

import fcntl
import heapq
import io
import itertools
import json
import logging
import math
import os
import pickle
import secrets
import shutil
import struct
import subprocess
import sys
import threading
import time
import zlib
from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

from whoosh import formats as whoosh_formats
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh import scoring
from whoosh.analysis import Analyzer, Token
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.filedb import structfile
from whoosh.filedb.filestore import FileStorage
from whoosh.matching import IntersectionMatcher, LeafMatcher, ListMatcher, NullMatcher, UnionMatcher, WrappingMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.util import make_binary_tree
from whoosh.util.numeric import byte_to_length

log = logging.getLogger(__name__)

WRITE_TIMEOUT = 30.0
MERGE_AFTER_SEGMENTS = 12  # more small segments than this: merged in the background after the write
MERGE_WHEN_QUIET = 0.25  # seconds without a write before that merge starts (a burst of writes never waits for one)
MERGE_AT_ONCE_SEGMENTS = 3 * MERGE_AFTER_SEGMENTS  # this many: merged at once, quiet or not
CANARY_UID = "canary:0"
CANARY_TERM = "=leerplein canary"
TITLE_WEIGHT = 3.0
RECENCY = 0.25         # a document written today scores up to 25% more than an old one
RECENCY_HALF_LIFE = 180 * 24 * 60  # minutes
RANK_WINDOW = 100
BLOCK_BOUNDS_PER_SEGMENT = 200_000  # posting blocks whose exact best score is known, per segment
FILTER_SETS_PER_SEGMENT = 512  # cached filter terms (communities, types, tags) per segment
SHARD_FROM = 5_000  # documents: a smaller rebuild is done in one process
KEPT_POSTINGS = 4_000_000  # decoded postings kept in the process, all segments: about 10 bytes each, 40 MB
WORD_SET_COST = 4  # a kept set's document costs about four postings' memory (a hash slot and its spare)


CHECKSUMS = "CHECKSUMS.json"


class _View(io.RawIOBase):
    """A read-only file over a memoryview (of the segment's mmap), copying only what is read."""

    def __init__(self, view):
        super().__init__()
        self._view = view
        self._at = 0

    def readable(self):
        return True

    def seekable(self):
        return True

    def readinto(self, buffer):
        data = self._view[self._at:self._at + len(buffer)]
        buffer[:len(data)] = data
        self._at += len(data)
        return len(data)

    def seek(self, offset, whence=io.SEEK_SET):
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._at, io.SEEK_END: len(self._view)}[whence]
        self._at = max(0, base + offset)
        return self._at

    def tell(self):
        return self._at


def _buffer_file_init(self, buf, name=None, onclose=None):
    """Whoosh's ``BufferFile``, without ``BytesIO(buf)``: that copied each part of a segment per reader.

    Every write opens a reader of every segment (for its deletions) and so
    does the searcher after it; at 100,000 documents that copied hundreds
    of megabytes, 250 ms per reader, and as much memory.
    """
    self._buf = buf
    self._name = name
    self.file = io.BufferedReader(_View(buf)) if isinstance(buf, memoryview) else io.BytesIO(buf)
    self.onclose = onclose
    self.is_real = False
    self.is_closed = False


structfile.BufferFile.__init__ = _buffer_file_init


def _read_ids_kept(self):
    """Whoosh's ``W3LeafMatcher._read_ids``, keeping each block's ids and weights once decoded.

    Reading a block unpickles and decompresses all of it, positions too:
    a common word's hundred blocks cost more than its ranking, and a search
    read them twice (counting, then ranking). Kept by the segment file's
    name, not by the open file, because every write opens a new searcher
    with new file objects over the same unchanging segments; see ``_KEPT``.
    """
    found = _KEPT.get(self._postfile, self._dataoffset)
    if found is None:
        _read_ids(self)
        if self._byteids:
            return
        if self._weights is None:
            self._read_weights()
        found = _KEPT.put(self._postfile, self._dataoffset, (array("I", self._ids), self._weights))
    self._ids, self._weights = found


class _KeptBlocks:
    """Decoded postings blocks of every segment file, for the whole process, under one cap.

    A segment's files never change once written, and its random name is
    never reused, so a block is known by (file name, data offset): its ids
    and weights under the offset, its position masks (phrases) under
    ``("masks", offset)``. Once
    more than ``KEPT_POSTINGS`` postings are kept, the file used longest
    ago is dropped whole; a merged-away segment's blocks go that way too.
    A file without a name (none of ours) keeps its blocks on itself.
    """

    def __init__(self, cap: int):
        self.cap = cap
        self.files: dict[str, dict[int, tuple]] = {}
        self.sizes: dict[str, int] = {}
        self.used: dict[str, int] = {}
        self.postings = 0
        self._ticks = itertools.count()
        self._lock = threading.Lock()

    def _blocks(self, postfile) -> tuple[str | None, dict]:
        name = postfile if isinstance(postfile, str) else getattr(postfile, "_name", None)
        if name is None:
            return None, postfile.__dict__.setdefault("_kept_blocks", {})
        self.used[name] = next(self._ticks)
        return name, self.files.get(name, {})

    def get(self, postfile, offset):
        """``postfile``: a segment's file, or a name of one's own that is never reused."""
        return self._blocks(postfile)[1].get(offset)

    def put(self, postfile, offset, block, size: int | None = None):
        """Keep ``block`` (ids, values); ``size``: what it counts against the cap, its ids by default."""
        size = len(block[0]) if size is None else size
        name, blocks = self._blocks(postfile)
        if name is None:
            return blocks.setdefault(offset, block)
        with self._lock:
            blocks = self.files.setdefault(name, {})
            if offset not in blocks:
                blocks[offset] = block
                self.sizes[name] = self.sizes.get(name, 0) + size
                self.postings += size
            while self.postings > self.cap:
                others = [kept for kept in self.files if kept != name]
                oldest = min(others, key=lambda kept: self.used.get(kept, -1)) if others else name
                del self.files[oldest]
                self.postings -= self.sizes.pop(oldest)
                if oldest == name:  # one file bigger than the cap: start it again from this block
                    self.files[name] = blocks = {offset: block}
                    self.sizes[name] = size
                    self.postings += size
                    break
            if len(self.used) > 2 * len(self.files) + 64:  # names read but never kept, or dropped
                self.used = {kept: tick for kept, tick in self.used.items() if kept in self.files}
            return blocks[offset]


_KEPT = _KeptBlocks(KEPT_POSTINGS)


# Whoosh's own, kept once however often this module is loaded (the writer process loads it on its own)
_read_ids = W3LeafMatcher.__dict__.get("_read_ids_whoosh", W3LeafMatcher._read_ids)
W3LeafMatcher._read_ids_whoosh = _read_ids
W3LeafMatcher._read_ids = _read_ids_kept


def _crc(path: Path) -> int:
    crc = 0
    with open(path, "rb") as data:
        while chunk := data.read(1 << 20):
            crc = zlib.crc32(chunk, crc)
    return crc


def _index_files(folder: Path) -> list[Path]:
    """The segments and table of contents the index uses now.

    Files that its latest table of contents does not name are left out: what
    a commit interrupted (a process ended during a background merge) leaves
    behind is unused, and Whoosh deletes it at the next commit.
    """
    try:
        toc = whoosh_index.TOC.read(FileStorage(str(folder)), whoosh_index._DEF_INDEX_NAME)
    except Exception:  # no readable table of contents: checked as it is, and found wanting
        return sorted(p for p in folder.iterdir() if p.suffix in (".seg", ".toc"))
    names = {whoosh_index.TOC._filename(whoosh_index._DEF_INDEX_NAME, toc.generation)}
    names |= {segment.make_filename(".seg") for segment in toc.segments}
    return sorted(folder / name for name in names)


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
    try:
        present = {p.name: p for p in _index_files(folder)}
        return set(present) == set(known) and all(_crc(present[name]) == crc for name, crc in known.items())
    except OSError:  # a file the table of contents names is gone
        return False


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
    prefix: str = ""  # also any word starting so (a word still being typed)


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



class _Within(WrappingMatcher):
    """``child``, stepping only onto the documents of a sorted list, by skipping (leapfrog).

    Used at the top of a search and on each verified phrase: the list holds
    exactly what matches, so skips can land anywhere and be put right here
    (Whoosh's own filter and phrase matchers stay wherever a skip left them,
    on a deleted document or a non-phrase). ``bonus`` is what the filters
    add to every score (see ``_Ranked``). ``reach`` is kept for
    ``_skip_hopeless``.
    """

    def __init__(self, child, ids, bonus=None):
        super().__init__(child)
        self._ids = ids
        self._bonus = bonus
        self._at = 0
        self._done = False
        self.reach = (-1, 0.0)
        self._sync()

    def _sync(self):
        child, ids, moved = self.child, self._ids, False
        while child.is_active():
            here = child.id()
            self._at = at = bisect_left(ids, here, self._at)
            if at == len(ids):
                break
            if ids[at] == here:
                return moved
            moved = child.skip_to(ids[at]) or moved
        self._done = True
        return moved

    def copy(self):
        return self.__class__(self.child.copy(), self._ids, self._bonus)

    def _replacement(self, newchild):
        return self.__class__(newchild, self._ids, self._bonus)

    def replace(self, minquality=0):
        # Never with a minimum: Whoosh's boosting wrapper hands its child the minimum unscaled, so
        # the title's terms (weight 3) were dropped as hopeless (a thread titled with the word went
        # missing). Replacing with 0 still drops the finished branches.
        replaced = self.child.replace(0)
        return self if replaced is self.child else self._replacement(replaced)

    def is_active(self):
        return not self._done and self.child.is_active()

    def next(self):
        moved = self.child.next()
        return self._sync() or moved

    def skip_to(self, id):
        moved = self.child.skip_to(id)
        return self._sync() or moved

    def supports_block_quality(self):
        return False  # skipping is ``_skip_hopeless``'s, which bounds the whole tree soundly

    def all_ids(self):
        while self.is_active():
            yield self.id()
            self.next()

    def plus(self, value: float) -> float:
        return _plus_bonus(self._bonus, value)

    def max_quality(self):
        return self.plus(self.child.max_quality())

    def block_quality(self):
        return self.plus(self.child.block_quality())

    def score(self):
        return self.plus(self.child.score())


#: Matchers whose score is their child's times ``boost`` (Whoosh's ``WrappingMatcher.score``).
_SCALING = (WrappingMatcher, FilterMatcher)
#: Matchers whose score is ``a.score() + b.score()`` where both match (Whoosh's union and intersection).
_ADDING = (UnionMatcher, IntersectionMatcher)
_NO_END = sys.maxsize


def _reach(node) -> tuple[int, float] | None:
    """``(last, bound)``: no document from ``node``'s place up to ``last`` scores above ``bound``.

    Each postings list's current block bounds its documents up to the
    block's last id (``_BlockMaxBM25F``: the block's exact best), so up to
    the nearest block end the tree's bound is its lists' block bounds added
    up the way the tree adds scores; floating-point addition and scaling
    are monotonic, so the bound holds to the last bit. None: a node whose
    scoring this does not know (then nothing is skipped).
    """
    if not node.is_active():
        return _NO_END, 0.0
    kind = type(node)
    if kind in _ADDING:
        a, b = _reach(node.a), _reach(node.b)
        if a is None or b is None:
            return None
        return min(a[0], b[0]), a[1] + b[1]
    if kind in _SCALING:
        found = _reach(node.child)
        return None if found is None else (found[0], found[1] * node.boost)
    if kind is _Within:
        found = _reach(node.child)
        return None if found is None else (found[0], node.plus(found[1]))
    if isinstance(node, LeafMatcher) and hasattr(node, "block_max_id"):  # a postings list read in blocks
        return node.block_max_id(), node.block_quality()
    return None


def _bound_at(node, here: int) -> float:
    """The most ``node`` can score document ``here`` (every list in it is at ``here`` or past it)."""
    if not node.is_active():
        return 0.0
    kind = type(node)
    if kind in _ADDING:
        return _bound_at(node.a, here) + _bound_at(node.b, here)
    if kind in _SCALING:
        return _bound_at(node.child, here) * node.boost
    if kind is _Within:
        return node.plus(_bound_at(node.child, here)) if node.id() == here else 0.0
    return node.block_quality() if node.id() == here else 0.0  # a list (``_reach`` vouched for the kinds)


def _skip_hopeless(top, floor: float) -> bool:
    """Move ``top`` on to its next document that may score above ``floor``; False when none is left.

    Block-max skipping over the whole tree (every word, field, compound part
    and phrase), not one list at a time: runs of documents up to the nearest
    block end are skipped when the tree's bound there (``_reach``) cannot
    beat ``floor``, and single documents when the lists actually on them
    cannot (``_bound_at``), before anything is scored. A common word then
    scores little more than the documents of the best blocks.
    """
    if not isinstance(top, _Within):
        return top.is_active()
    while top.is_active():
        here = top.id()
        last, bound = top.reach
        if here > last:
            found = _reach(top.child)
            if found is None:
                return True
            last, bound = top.reach = found[0], top.plus(found[1])
        if bound <= floor:
            top.skip_to(last + 1)
            continue
        if top.plus(_bound_at(top.child, here)) > floor:
            return True
        top.next()
    return False


def _top_scored(searcher, query, limit: int) -> list[tuple[float, int]]:
    """The ``limit`` best ``(score, docnum)``, as Whoosh's ``TopCollector`` keeps them: higher scores,
    and among equal ones the earlier document.

    Whoosh's collector asks for a skip only after a better document
    replaced the worst one kept; when thousands of documents score alike
    none does, and every one was scored. Here every document after the
    first ``limit`` is first bounded (``_skip_hopeless``).
    """
    context = searcher.context()
    kept: list[tuple[float, int]] = []  # a heap of (score, -docnum): its head is the one to drop

    def keep(score: float, docnum: int) -> None:
        if len(kept) < limit:
            heapq.heappush(kept, (score, -docnum))
        elif score > kept[0][0]:
            heapq.heapreplace(kept, (score, -docnum))

    for sub, offset in searcher.leaf_searchers():
        matcher = query.matcher(sub, context)
        while matcher.is_active():
            if len(kept) >= limit and not _skip_hopeless(matcher, kept[0][0]):
                break
            run = _run(matcher)
            if run is None:
                keep(matcher.score(), offset + matcher.id())
                matcher.next()
                continue
            last, scores = run
            for docnum in sorted(scores):
                keep(scores[docnum], offset + docnum)
            matcher.skip_to(last + 1)
    return [(score, -negated) for score, negated in kept]


def _run(top) -> tuple[int, dict[int, float]] | None:
    """``(last, scores)``: every document from ``top``'s to the nearest block end, scored at once.

    Within a run each list stays inside the block it is in, so its ids and
    weights are at hand as arrays and a document costs a few dictionary
    steps instead of a walk of the whole matcher tree (ten times as much
    with a compound's six lists). None where ``_reach`` or ``_run_scores``
    does not know a kind in the tree: then one document at a time.
    """
    if not isinstance(top, _Within):
        return None
    found = _reach(top.child)
    if found is None:
        return None
    lo, hi = top.id(), found[0]
    start = bisect_left(top._ids, lo, top._at)
    wanted = set(top._ids[start:bisect_right(top._ids, hi, start)])  # what the search counted: only these
    scores = _run_scores(top, lo, hi, wanted)
    return None if scores is None else (hi, scores)


def _run_scores(node, lo: int, hi: int, wanted: set[int]) -> dict[int, float] | None:
    """The documents of ``lo``..``hi`` in ``wanted`` that ``node`` matches, with the very score its
    ``score()`` gives.

    ``hi`` is no further than any active list's block end, and every list is
    at ``lo`` or past it. Sums and products are taken in Whoosh's order
    (``a + b``, ``child * boost``), so the floats are the same to the bit.
    ``wanted`` (the top's counted documents) spares scoring a filtered-out
    document in every list of a filtered search.
    """
    if not node.is_active():
        return {}
    kind = type(node)
    if kind is UnionMatcher or kind is IntersectionMatcher:
        a, b = _run_scores(node.a, lo, hi, wanted), _run_scores(node.b, lo, hi, wanted)
        if a is None or b is None:
            return None
        if kind is IntersectionMatcher:
            return {docnum: score + b[docnum] for docnum, score in a.items() if docnum in b}
        both = dict(b)
        both.update((docnum, score + b[docnum] if docnum in b else score) for docnum, score in a.items())
        return both
    if kind in _SCALING:
        found = _run_scores(node.child, lo, hi, wanted)
        if found is None:
            return None
        if kind is FilterMatcher:
            ids, exclude = node._ids, node._exclude
            found = {docnum: score for docnum, score in found.items() if (docnum in ids) != exclude}
        boost = node.boost
        return {docnum: score * boost for docnum, score in found.items()}
    if kind is _Within:
        found = _run_scores(node.child, lo, hi, wanted)
        if found is None:
            return None
        ids, plus = node._ids, node.plus
        start = bisect_left(ids, lo, node._at)
        return {docnum: plus(found[docnum]) for docnum in ids[start:bisect_right(ids, hi, start)] if docnum in found}
    if kind is W3LeafMatcher and isinstance(node.scorer, scoring.WeightLengthScorer) and not node._byteids:
        node.id()  # the block's ids, read (or kept) once
        if node._weights is None:
            node._read_weights()
        ids, weights, score, length = node._ids, node._weights, node.scorer._score, node.scorer.dfl
        start = bisect_left(ids, lo, node._i)
        end = bisect_right(ids, hi, start)
        return {docnum: score(weight, length(docnum))
                for docnum, weight in zip(ids[start:end], weights[start:end], strict=True) if docnum in wanted}
    return None


def _plus_bonus(bonus, value: float) -> float:
    """``value`` plus the filters' constants, added in the order Whoosh's own tree adds them."""
    if bonus is None:
        return value
    if isinstance(bonus, float):
        return bonus
    if isinstance(bonus, tuple):
        return _plus_bonus(bonus[0], value) + _plus_bonus(bonus[1], value)
    return value  # the words' place


class _VerifiedPhrase(wq.Phrase):
    """A phrase whose matching documents were found already (``verified``: reader id → sorted docnums).

    Scores exactly as ``wq.Phrase`` (the sum of its terms' scores, times the
    boost) without checking positions again: the counting pass did that once.
    """

    def __init__(self, fieldname, words, boost, verified):
        super().__init__(fieldname, words, boost=boost)
        self.verified = verified

    def matcher(self, searcher, context=None):
        ids = self.verified.get(id(searcher.reader()))
        if not ids:
            return NullMatcher()
        terms = [wq.Term(self.fieldname, word).matcher(searcher, context) for word in self.words]
        matcher = make_binary_tree(IntersectionMatcher, terms)
        if self.boost != 1.0:
            matcher = WrappingMatcher(matcher, boost=self.boost)
        return _Within(matcher, ids)


class _Given(wq.WrappingQuery):
    """A query whose matcher is made already (to learn the shape of the tree Whoosh builds around it)."""

    def __init__(self, child, matcher):
        super().__init__(child)
        self.made = matcher

    def _rewrap(self, child):
        return self.__class__(child, self.made)

    def matcher(self, searcher, context=None):
        return self.made


class _Filter(wq.ConstantScoreQuery):
    """A filter in the ranking query: the counting pass applied it; here it adds its constant only.

    As ``ConstantScoreQuery(part, 0.0)`` did before: a ``ListMatcher``, whose
    weight of 0.0 reads as 1.0, so each filter adds 1.0 to every score. That
    constant is kept as it was (it weighs BM25F against ``rank_factor``).
    """

    def matcher(self, searcher, context=None):
        return ListMatcher([0], all_weights=self.score)


class _Ranked(wq.WrappingQuery):
    """The words, scored only in the documents found per segment (reader id → sorted docnums), plus the filters.

    The filters' postings are not walked again: the tree Whoosh would build
    for ``And([words, *filters])`` is built once per segment just to learn
    in which order it adds their constants, so every score is the same to
    the last bit, and block-quality skipping works on the words alone.
    """

    def __init__(self, child, filters, found):
        super().__init__(child)
        self.filters = filters
        self.found = found

    def _rewrap(self, child):
        return self.__class__(child, self.filters, self.found)

    def matcher(self, searcher, context=None):
        ids = self.found.get(id(searcher.reader()))
        if not ids:
            return NullMatcher()
        words = self.child.matcher(searcher, context)
        if not words.is_active():
            return NullMatcher()
        bonus = "words"
        if self.filters:
            tree = wq.And([_Given(self.child, words), *self.filters]).matcher(searcher, context)

            def shape(node):
                if node is words:
                    return "words"
                if isinstance(node, IntersectionMatcher):
                    return shape(node.a), shape(node.b)
                return float(node.score())
            bonus = shape(tree)
        return _Within(words, ids, bonus if self.filters else None)


def _gevent_patched() -> bool:
    try:
        from gevent import monkey
    except ImportError:
        return False
    return monkey.is_module_patched("threading")


#: ``python -I -c _CHILD_SCRIPT <work> <folder> <niceness>``: this module and ``bulk.py`` on their own
#: (whoosh and the standard library, no app) in a child process, running ``serve_writes`` (the
#: writer process) or ``build_shard`` (a rebuild's shard) on ``folder`` with stdin and stdout.
_CHILD_SCRIPT = """
import importlib.util, os, sys, types
# The index's pickled schema names this module as community.search.engine: stand in for its
# packages, which would import the whole app.
for package in ("community", "community.search"):
    sys.modules[package] = types.ModuleType(package)
for name, path in (("community.search.engine", sys.argv[4]), ("community.search.bulk", sys.argv[5])):
    spec = importlib.util.spec_from_file_location(name, path)
    module = sys.modules[name] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
replies = os.fdopen(os.dup(1), "wb")
os.dup2(2, 1)  # anything printed goes to the server's log, not into the replies
os.nice(int(sys.argv[3]))  # background work: on a busy core the server's connections go first
getattr(sys.modules["community.search.engine"], sys.argv[1])(sys.argv[2], sys.stdin.buffer, replies)
"""


def _child(work: str, folder, niceness: int) -> subprocess.Popen:
    """A child process running ``work`` (``serve_writes`` or ``build_shard``) on ``folder`` (``_CHILD_SCRIPT``)."""
    return subprocess.Popen([sys.executable, "-I", "-c", _CHILD_SCRIPT, work, str(folder), str(niceness),
                             __file__, str(Path(__file__).with_name("bulk.py"))],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)


#: How much lower the writer process's CPU priority is than the server's (see ``_WriterProcess``).
WRITER_NICENESS = 10
#: How long a write may take in the writer process (waiting for the lock included) before it counts as failed.
WRITER_TIMEOUT = 2 * WRITE_TIMEOUT + 30


def _send(stream, message) -> None:
    data = pickle.dumps(message)
    stream.write(struct.pack("!I", len(data)) + data)
    stream.flush()


def _receive(stream):
    head = stream.read(4)
    if len(head) < 4:
        raise EOFError("the other side closed")
    size = struct.unpack("!I", head)[0]
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("the other side closed mid-message")
    return pickle.loads(data)


def serve_writes(folder: str, requests, replies) -> None:
    """The writer process's loop: ``(updates, deletes)`` in, ``(status, detail)`` out, until stdin closes."""
    engine = Engine(Path(folder))
    while True:
        try:
            updates, deletes = _receive(requests)
        except EOFError:
            return
        try:
            engine.write_here(updates, deletes)
            reply = ("ok", "")
        except SearchUnavailable as error:
            reply = ("unavailable", str(error))
        except Exception as error:
            log.exception("search index: a write failed")
            reply = ("failed", repr(error))
        _send(replies, reply)


def build_shard(folder: str, requests, replies) -> None:
    """A shard process's work: every batch of documents that arrives, into one new segment at ``folder``."""
    index = whoosh_index.create_in(folder, schema())
    engine = Engine(Path(folder))
    writer = engine.bulk_writer(index)
    added = 0
    try:
        while True:
            try:
                docs = _receive(requests)
            except EOFError:
                break
            engine.add_bulk(writer, docs)
            added += len(docs)
        writer.commit()
        _send(replies, ("ok", added))
    except Exception as error:
        log.exception("search rebuild: a shard failed")
        writer.cancel()
        _send(replies, ("failed", repr(error)))


class _Shards:
    """A rebuild's documents built into segments side by side, one process each (``Engine.rebuilder``).

    Whoosh's writing is pure Python and four fifths of a rebuild (profiled
    at 10,000 documents: adding 39 s, writing the segment 32 s, our
    analysis 10 s), so one process used one core. Here this process loads
    and analyses, and hands batches round to the shards; each builds its
    segment with ``BulkWriter`` in a folder of its own, and ``commit``
    moves the segments into the new index and lists them in its table of
    contents. Segments are independent in Whoosh, so the index reads as if
    one writer had written them.
    """

    def __init__(self, index, processes: int):
        self.index = index
        self.folder = Path(index.storage.folder)
        self.turn = 0
        self.processes = []
        try:
            for number in range(processes):
                shard = self.folder / f"shard-{number}"
                shard.mkdir()
                self.processes.append((shard, _child("build_shard", shard, WRITER_NICENESS)))
        except BaseException:
            self.cancel()
            raise

    def add(self, docs: list[Document]) -> None:
        _shard, process = self.processes[self.turn % len(self.processes)]
        self.turn += 1
        _send(process.stdin, docs)

    def commit(self) -> None:
        from whoosh.index import TOC

        for _shard, process in self.processes:
            process.stdin.close()
        failures = []
        for _shard, process in self.processes:
            try:
                status, detail = _receive(process.stdout)
            except (EOFError, pickle.UnpicklingError) as error:
                status, detail = "failed", repr(error)
            process.wait()
            if status != "ok":
                failures.append(detail)
        if failures:
            self.cancel()
            raise RuntimeError(f"search rebuild: a shard failed: {failures}")
        # The new index is not live yet and only the rebuild writes to it: no lock to take.
        storage, name = self.index.storage, self.index.indexname
        toc = TOC.read(storage, name)
        segments = list(toc.segments)
        for shard, _process in self.processes:
            shard_storage = FileStorage(str(shard))
            for segment in TOC.read(shard_storage, name).segments:
                for filename in segment.list_files(shard_storage):
                    os.replace(shard / filename, self.folder / filename)
                segments.append(segment)
            shutil.rmtree(shard)
        TOC(toc.schema, segments, toc.generation + 1).write(storage, name)
        whoosh_index.clean_files(storage, name, toc.generation + 1, segments)

    def cancel(self) -> None:
        for shard, process in self.processes:
            if process.poll() is None:
                process.kill()
                process.wait()
            shutil.rmtree(shard, ignore_errors=True)


def _fresh_searcher(index, old, weighting):
    """A searcher of ``index``'s latest generation that keeps ``old``'s readers of unchanged segments.

    Opening a segment's reader reads its term table's header and its
    columns (about a millisecond each), and a write only adds a segment or
    deletes in one. Whoosh's ``refresh()`` reuses readers too, but by
    segment id alone, and a reader keeps the deletions it read first (an
    edited item matched its old words there); here a reader is kept only
    when its segment's deletions are the same, and ``old`` must not be used
    again (its other readers are closed).
    """
    from whoosh.reading import MultiReader, SegmentReader
    from whoosh.searching import Searcher

    toc = index._read_toc()
    kept = {}
    if old is not None:
        for reader, _offset in old.reader().leaf_readers():
            segment = reader.segment() if isinstance(reader, SegmentReader) else None
            kept[segment.segment_id() if segment is not None else id(reader)] = reader
    readers = []
    try:
        for segment in toc.segments:
            reader = kept.get(segment.segment_id())
            if reader is not None and _deleted(reader.segment()) == _deleted(segment):
                del kept[segment.segment_id()]
            else:
                reader = SegmentReader(index.storage, toc.schema, segment, generation=toc.generation)
            readers.append(reader)
    except BaseException:  # the caller drops ``old``: nothing of either is used again
        for reader in [*readers, *kept.values()]:
            reader.close()
        raise
    for reader in kept.values():
        reader.close()
    return Searcher(MultiReader(readers, generation=toc.generation), weighting=weighting, fromindex=index)


def _deleted(segment) -> frozenset:
    return frozenset(segment.deleted_docs()) if segment.has_deletions() else frozenset()


class _InProcess:
    """The one-process rebuild (a small database): the same three calls as ``_Shards``."""

    def __init__(self, engine: Engine, index):
        self.engine, self.writer = engine, engine.bulk_writer(index)

    def add(self, docs: list[Document]) -> None:
        self.engine.add_bulk(self.writer, docs)

    def commit(self) -> None:
        self.writer.commit()

    def cancel(self) -> None:
        self.writer.cancel()


class _WriterProcess:
    """A child Python that does one index folder's writes and merges, for a gevent server.

    A Whoosh commit is pure Python, 10 to 150 ms (more with a merge). On
    the event loop it held up every connection; in gevent's thread pool it
    held the GIL against the loop, and each socket write of the loop then
    waited for the GIL again (a chat message to a room of 20 took up to
    450 ms while a merge ran; benchmarks/chat.py). Here the server only
    waits on a pipe, cooperatively, and the child runs at a lower CPU
    priority (``WRITER_NICENESS``): on a busy core the connections go
    first, and a reply's request waits a little longer for its index write. The child loads engine.py and Whoosh
    only; it is started with the server (``Engine.start_writer``), again
    if it died, and ends when the server closes its stdin (or dies).
    """

    def __init__(self, folder: Path):
        self.folder = folder
        self.process: subprocess.Popen | None = None
        self.turn = threading.Lock()  # one request on the pipe at a time (gevent's lock: greenlets wait)

    def _started(self) -> subprocess.Popen:
        if self.process is None or self.process.poll() is not None:
            self.process = _child("serve_writes", self.folder, WRITER_NICENESS)
        return self.process

    def start(self) -> None:
        with self.turn:
            self._started()

    def call(self, updates: list[Document], deletes: list[str]) -> None:
        import gevent

        with self.turn:
            process = self._started()
            try:
                with gevent.Timeout(WRITER_TIMEOUT):
                    _send(process.stdin, (updates, deletes))
                    status, detail = _receive(process.stdout)
            except (gevent.Timeout, OSError, EOFError, pickle.UnpicklingError) as error:
                process.kill()
                self.process = None
                raise SearchUnavailable(f"the index writer stopped: {error!r}") from None
        if status == "unavailable":
            raise SearchUnavailable(detail)
        if status != "ok":
            raise RuntimeError(f"search index write failed in the writer process: {detail}")


def _holding_phrase(reader, fieldname: str, terms, candidates: list[int]) -> list[int] | None:
    """Of ``candidates`` (sorted, each holding every term), those where the terms stand in a row.

    What Whoosh's ``Phrase`` matches (slop 1: each term at the position
    after the one before), read straight from the postings: only blocks
    holding a candidate are opened. Each posting's positions are a bit mask
    (``_position_masks``), so a candidate costs a shift and an ``and`` per
    term. Whoosh's span matcher took five times as long as decoding, and
    decoding ten times as long as the masks.
    """
    to_mask = _mask_maker(reader.schema[fieldname].format)
    masks = []
    for term in terms:
        matcher = reader.postings(fieldname, term)
        if isinstance(matcher, FilterMatcher):
            matcher = matcher.child
        if not hasattr(matcher, "_read_values"):
            return None
        found, after = {}, -1
        while matcher.is_active():
            last = matcher.block_max_id()
            at = bisect_left(candidates, after + 1)
            if at < len(candidates) and candidates[at] <= last:
                found.update(_position_masks(matcher, to_mask))
            after = last
            matcher._next_block()
        masks.append(found)
    holding = []
    first, rest = masks[0], list(enumerate(masks[1:], start=1))
    for docnum in candidates:
        starts = first[docnum]
        for offset, term_masks in rest:
            starts &= term_masks[docnum] >> offset
            if not starts:
                break
        if starts:
            holding.append(docnum)
    return holding


def _position_masks(matcher, to_mask) -> zip:
    """(docnum, positions as a bit mask) of the matcher's current block, kept like its ids (``_KEPT``)."""
    key = ("masks", matcher._dataoffset)
    found = _KEPT.get(matcher._postfile, key)
    if found is None:
        matcher._read_ids()
        matcher._read_values()
        ids, masks = array("I", matcher._ids), [to_mask(v) for v in matcher._values]
        found = _KEPT.put(matcher._postfile, key, (ids, masks),
                          size=5 * len(ids) + sum(mask.bit_length() for mask in masks) // 80)  # an int: 40+ bytes
    return zip(*found, strict=True)


def _mask_maker(format_):
    """``to_mask(value)``: a posting's positions as one int, bit ``p`` set for position ``p``.

    Whoosh's ``Positions`` value is a 4-byte count and a pickled list of
    deltas, its final ``.`` sometimes cut off; read here without Whoosh's
    per-value list building.
    """
    if type(format_) is not whoosh_formats.Positions:
        return lambda value: _mask(format_.decode_positions(value))
    loads = pickle.loads
    return lambda value: _mask(accumulate(loads(value[4:] + b".")))  # a second STOP is never read


def _mask(positions) -> int:
    mask = 0
    for position in positions:
        mask |= 1 << position
    return mask


def _posting_ids(reader, fieldname: str, text: str) -> set[int]:
    """The documents holding a term, deleted ones included (the caller takes those out).

    Reads whole blocks of ids at a time, not one posting per step.
    """
    if (fieldname, text) not in reader:
        return set()
    matcher = reader.postings(fieldname, text)
    if isinstance(matcher, FilterMatcher):  # Whoosh's deleted-documents filter
        matcher = matcher.child
    if not hasattr(matcher, "_read_ids"):
        return set(matcher.all_ids())
    found: set[int] = set()
    while matcher.is_active():
        matcher._read_ids()
        found.update(matcher._ids[matcher._i:])
        matcher._next_block()
    return found


class _BlockMaxBM25F(scoring.BM25F):
    """BM25F whose bound on a block of postings is the best score in it, not a guess.

    Whoosh bounds a block by its highest term frequency with its shortest
    field, usually from two different documents, so when many documents
    score alike (a common word) every block looks promising and every
    document gets scored. Here each block's (frequency, length) pairs that
    no other pair beats are read once and kept per segment (its files never
    change), and the bound is the best of their scores: the same ``_score``
    as the documents' own, so no block that could enter the top is skipped.
    Scores themselves are Whoosh's, unchanged.
    """

    def __init__(self, bounds: dict):
        super().__init__()
        self._bounds = bounds

    def scorer(self, searcher, fieldname, text, qf=1):
        scorer = super().scorer(searcher, fieldname, text, qf)
        segment = getattr(searcher.reader(), "segment", None)
        if not isinstance(scorer, scoring.WeightLengthScorer) or segment is None:
            return scorer
        lengths = _field_lengths(searcher.reader(), fieldname)
        if lengths is not None:
            scorer.dfl = lengths.__getitem__
        blocks = self._bounds.setdefault(segment().segment_id(), {})
        score, length_of = scorer._score, scorer.dfl

        def block_quality(matcher):
            key = getattr(matcher, "_dataoffset", None)
            if key is None:
                return score(matcher.block_max_weight(), matcher.block_min_length())
            best = blocks.get(key)
            if best is None:
                if len(blocks) >= BLOCK_BOUNDS_PER_SEGMENT:
                    blocks.clear()
                best = blocks[key] = _unbeaten(matcher, length_of)
            return max(score(weight, length) for weight, length in best)
        scorer.block_quality = block_quality
        return scorer


def _field_lengths(reader, fieldname: str) -> list[int | None] | None:
    """What ``reader.doc_field_length(docnum, fieldname, 1)`` gives, for every document of a segment.

    Whoosh decodes one length byte through four calls per scored document
    (a common word: thousands a search); a segment's lengths never change,
    so they are decoded once and kept (``_KEPT``). None: not Whoosh 3's
    length column, and the caller keeps Whoosh's own way.
    """
    perdoc = getattr(reader, "_perdoc", None)
    if not hasattr(perdoc, "_cached_reader") or not hasattr(reader, "segment"):
        return None
    name = f"lengths/{reader.segment().segment_id()}"
    found = _KEPT.get(name, fieldname)
    if found is not None:
        return found
    column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is None or getattr(column, "_fixedlen", None) != 1 or not hasattr(column, "_dbfile"):
        return None
    # As Whoosh's: a document without the field (a zero byte, or past the column's end) has None.
    lengths = [byte_to_length(b) if b else None for b in column._dbfile.get(column._basepos, column._count)]
    lengths += [None] * (reader.doc_count_all() + 1 - len(lengths))
    return _KEPT.put(name, fieldname, lengths, size=len(lengths))


def _unbeaten(matcher, length_of) -> tuple[tuple[float, int], ...]:
    """The (weight, field length) pairs of a block that no other has beaten (higher weight and shorter)."""
    matcher.block_min_id()  # reads the block's ids
    if matcher._weights is None:
        matcher._read_weights()
    pairs = sorted({(length_of(docnum), weight) for docnum, weight in zip(matcher._ids, matcher._weights, strict=True)},
                   key=lambda pair: (pair[0], -pair[1]))
    front, heaviest = [], None
    for length, weight in pairs:
        if heaviest is None or weight > heaviest:
            front.append((weight, length))
            heaviest = weight
    return tuple(front)


class Engine:
    """One index folder, shared by every process of an instance; one searcher per process."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._lock = threading.RLock()
        self._index = None
        self._index_name: str | None = None
        self._searcher = None
        self._merge_lock = threading.Lock()
        self._merging = False
        self._last_write = 0.0  # time.monotonic() of this process's last write (see ``merge_soon``)
        self._segment_count = 0
        self._filter_sets: dict[str, dict[tuple[str, str], frozenset[int]]] = {}  # per segment
        self._block_bounds: dict[str, dict[int, tuple]] = {}  # per segment: see _BlockMaxBM25F
        self.all_types: set[str] = set()  # every registered type: no type filter needed
        self._writer: _WriterProcess | None = None

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
        self._filter_sets.clear()
        self._block_bounds.clear()
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
                self._searcher_now(index)
            except Exception as error:
                self._close_searcher()
                raise SearchUnavailable(f"index unreadable: {error!r}") from error
            yield self._searcher

    def _searcher_now(self, index):
        """The process's searcher, brought up to the index's latest generation (call with ``_lock``)."""
        if self._searcher is None or not self._searcher.up_to_date():
            old, self._searcher = self._searcher, None
            self._searcher = _fresh_searcher(index, old, _BlockMaxBM25F(self._block_bounds))
            if old is not None:
                self._forget_filter_sets(self._searcher)
        return self._searcher

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

    def _apply(self, index, updates: Iterable[Document], deletes: Iterable[str]) -> int:
        """Commit one small segment, never merging (that waits for ``merge_soon``); return the segment count."""
        # ``write.lock`` is ours already; Whoosh's own lock can still be on its way out of a merge's
        # thread (seen once: LockError while processes were killed mid-burst), so wait a moment for it.
        writer = index.writer(timeout=WRITE_TIMEOUT, delay=0.005)
        try:
            # Whoosh's own update_document opened a reader of every segment per write to find the
            # old versions; the process's searcher (the writer's generation: the lock is held) has
            # them open already, numbered as the writer numbers them (the same segments in order).
            # A rebuild's replay writes to its new index, which that searcher is not of.
            live = index is self._index
            searcher = self._searcher_now(index) if live else index.searcher()
            try:
                for uid in [*deletes, *(doc.uid for doc in updates)]:
                    for docnum in searcher.docs_for_query(wq.Term("uid", uid)):
                        writer.delete_document(docnum)
            finally:
                if not live:
                    searcher.close()
            for doc in updates:
                writer.add_document(**self._fields(doc))
            writer.commit(merge=False)
        except BaseException:
            writer.cancel()
            raise
        record_checksums(Path(index.storage.folder))
        return len(index._segments())

    def write(self, updates: list[Document], deletes: list[str]) -> None:
        """Add or replace ``updates`` and remove ``deletes`` (uids), durably, before returning.

        Under gevent the write happens in this folder's writer process
        (``_WriterProcess``) while this greenlet waits; otherwise here.
        """
        if not updates and not deletes:
            return
        if _gevent_patched():
            if self._writer is None:
                self._writer = _WriterProcess(self.folder)
            self._writer.call(updates, deletes)
            return
        self.write_here(updates, deletes)

    def start_writer(self) -> None:
        """Under gevent, start the writer process now, not on the first write: its start (loading
        Whoosh, about 0.3 s of CPU) then held up that write, a reply or a chat message's batch."""
        if _gevent_patched():
            if self._writer is None:
                self._writer = _WriterProcess(self.folder)
            self._writer.start()

    def write_here(self, updates: list[Document], deletes: list[str]) -> None:
        with self.write_lock():
            name = self._current_name()
            if name is None or not whoosh_index.exists_in(str(self.folder / name)):
                raise SearchUnavailable("no index")
            with self._lock:
                index = self._open()
                segments = self._apply(index, updates, deletes)
            if (self.folder / "rebuilding").exists():
                with open(self.folder / "journal", "a") as journal:
                    journal.write("".join(f"{uid}\n" for uid in [*(d.uid for d in updates), *deletes]))
        self._last_write, self._segment_count = time.monotonic(), segments
        if segments > MERGE_AFTER_SEGMENTS:
            self.merge_soon()

    def merge_soon(self) -> None:
        """Merge the small segments in a thread, not inside a reply's write (which waited for it every twelfth time).

        The thread first waits for ``MERGE_WHEN_QUIET`` seconds without a
        write: a merge holds ``write.lock``, and in a burst of replies every
        write then waited for one (100,000 documents: a reply's POST p95
        73 ms with merges in the burst, 22 ms without). Past
        ``MERGE_AT_ONCE_SEGMENTS`` it merges at once, so that a steady
        stream of writes cannot pile up segments for searches to read.
        Under gevent every write, and so this, runs in the writer process:
        no merge holds this process's GIL against its event loop. A merge
        takes ``write.lock`` like any write, so writes of every process wait
        for it rather than lose anything.
        """
        with self._merge_lock:
            if self._merging:
                return
            self._merging = True
        try:  # not a daemon: a process stopping normally lets a merge finish rather than cut it off
            threading.Thread(target=self._merge, name="search-merge").start()
        except BaseException:
            self._merging = False
            raise

    def _merge(self) -> None:
        try:
            while (quiet := time.monotonic() - self._last_write) < MERGE_WHEN_QUIET \
                    and self._segment_count < MERGE_AT_ONCE_SEGMENTS:
                time.sleep(MERGE_WHEN_QUIET - quiet)
            while self._merge_once():
                pass
        except Exception:
            log.exception("search index: merging segments failed (the next write tries again)")
        finally:
            self._merging = False

    def _merge_once(self) -> bool:
        """One merge of the smallest segments (Whoosh's MERGE_SMALL takes a few); True if more are due.

        The lock is let go between merges, so a write waits for one merge at most.
        """
        with self.write_lock():
            name = self._current_name()
            if name is None or not whoosh_index.exists_in(str(self.folder / name)):
                return False
            index = whoosh_index.open_dir(str(self.folder / name))
            before = len(index._segments())
            if before <= MERGE_AFTER_SEGMENTS:
                return False
            writer = index.writer()
            try:
                writer.commit(merge=True)
            except BaseException:
                writer.cancel()
                raise
            record_checksums(self.folder / name)
            after = len(index._segments())
            return MERGE_AFTER_SEGMENTS < after < before

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
    def bulk_writer(index):
        """A writer that builds ``index``'s one big segment in memory (``bulk.py`` says why)."""
        from .bulk import BulkWriter  # here: the writer process loads this file without its package

        return BulkWriter(index)

    def rebuilder(self, index, documents: int, processes: int):
        """Where a rebuild's documents go: ``add(docs)`` in batches, then ``commit()`` (or ``cancel()``).

        Up to ``processes`` shard processes (no more than there are cores)
        once there are ``SHARD_FROM`` documents or more; below that,
        starting them costs more than it saves.
        """
        processes = min(processes, os.cpu_count() or 1)
        if processes > 1 and documents >= SHARD_FROM:
            return _Shards(index, processes)
        return _InProcess(self, index)

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
    def _searched(titles_only: bool):
        return (("title", TITLE_WEIGHT),) if titles_only else (("title", TITLE_WEIGHT), ("body", 1.0))

    def _word(self, word: Word, titles_only: bool):
        alternatives = []
        for fieldname, weight in self._searched(titles_only):
            alternatives += [wq.Term(fieldname, key, boost=weight) for key in word.keys]
            if word.parts:
                alternatives.append(wq.And([wq.Term(fieldname, p, boost=weight) for p in word.parts]))
            if word.prefix:
                alternatives.append(wq.Prefix(fieldname, word.prefix, boost=weight * 0.5))
        return wq.Or(alternatives)

    def _phrase(self, phrase: Phrase, titles_only: bool, verified: dict):
        def in_field(fieldname, weight):
            if len(phrase.terms) == 1:
                return wq.Term(fieldname, phrase.terms[0], boost=weight)
            return _VerifiedPhrase(fieldname, list(phrase.terms), weight, verified[(phrase, fieldname)])
        return wq.Or([in_field(f, w) for f, w in self._searched(titles_only)])

    def _query(self, matches: list, any_of: bool, titles_only: bool, verified: dict):
        parts = [self._phrase(m, titles_only, verified) if isinstance(m, Phrase) else self._word(m, titles_only)
                 for m in matches]
        if not parts:
            return wq.Every()
        return wq.Or(parts) if any_of else wq.And(parts)

    @staticmethod
    def _filter(filters: Filters, all_types: bool):
        """The filter terms as Whoosh scores them (see ``search``): the counting pass applied them."""
        parts = [] if all_types else [wq.Or([wq.Term("type", t) for t in filters.types])]
        if filters.communities is not None:
            parts.append(wq.Or([wq.Term("community", str(c)) for c in filters.communities]))
        parts += [wq.Term("tags", tag) for tag in filters.tags]
        if filters.authors:
            parts.append(wq.Or([wq.Term("author", a) for a in filters.authors]))
        return [_Filter(part, 0.0) for part in parts]

    # The counting pass: exactly which documents of one segment match, as sets of docnums.

    def _filter_set(self, reader, fieldname: str, value: str) -> frozenset[int]:
        """The documents of one segment with a filter term, kept while the segment lives.

        A segment's files never change (deletions are taken out per search),
        so the members of a community are read once, not per query.
        """
        segment = getattr(reader, "segment", None)
        if segment is None:
            return frozenset(_posting_ids(reader, fieldname, value))
        sets = self._filter_sets.setdefault(f"{self._index_name}/{segment().segment_id()}", {})
        found = sets.get((fieldname, value))
        if found is None:
            if len(sets) >= FILTER_SETS_PER_SEGMENT:
                sets.pop(next(iter(sets)))
            found = sets[(fieldname, value)] = frozenset(_posting_ids(reader, fieldname, value))
        return found

    def _forget_filter_sets(self, searcher) -> None:
        """Drop what was kept for segments the new searcher no longer has (merged away)."""
        segments = {sub.reader().segment().segment_id()
                    for sub, _offset in searcher.leaf_searchers() if hasattr(sub.reader(), "segment")}
        for key in set(self._filter_sets) - {f"{self._index_name}/{s}" for s in segments}:
            del self._filter_sets[key]
        for key in set(self._block_bounds) - segments:
            del self._block_bounds[key]

    def _allowed(self, reader, filters: Filters, all_types: bool) -> frozenset[int] | set[int]:
        """The live documents of one segment that pass the filters (type, community, tag, author); never
        to be changed in place (it may be a kept set)."""
        groups = [] if all_types else [[("type", t) for t in filters.types]]
        if filters.communities is not None:
            groups.append([("community", str(c)) for c in filters.communities])
        groups += [[("tags", tag)] for tag in filters.tags]
        if filters.authors:
            groups.append([("author", a) for a in filters.authors])
        allowed = None
        for group in groups:
            sets = [self._filter_set(reader, f, v) for f, v in group]
            found = sets[0].union(*sets[1:]) if len(sets) > 1 else sets[0]  # one kept set: not copied
            allowed = found if allowed is None else allowed & found
            if not allowed:
                return set()
        if allowed is None:
            allowed = frozenset(range(reader.doc_count_all()))
        if reader.has_deletions():
            allowed = allowed - reader.deleted_docs_set
        return allowed

    def _word_docs(self, searcher, word: Word, titles_only: bool) -> frozenset[int]:
        """The documents of one segment with the word in any of its forms, deleted ones included.

        Kept with the segment's postings (``_KEPT``, under the same cap):
        a segment never changes, so a word's set there (a compound's six
        lists, say, united) is made once, not on every search with it.
        """
        reader = searcher.reader()
        segment = getattr(reader, "segment", None)
        name = None if segment is None else f"words/{self._index_name}/{segment().segment_id()}"
        key = (word, titles_only)
        if name is not None and (found := _KEPT.get(name, key)) is not None:
            return found
        docs: set[int] = set()
        for fieldname, _weight in self._searched(titles_only):
            for term in word.keys:
                docs |= _posting_ids(reader, fieldname, term)
            if word.parts:
                docs |= set.intersection(*(_posting_ids(reader, fieldname, p) for p in word.parts))
            if word.prefix:
                docs.update(wq.Prefix(fieldname, word.prefix).matcher(searcher, searcher.boolean_context()).all_ids())
        found = frozenset(docs)
        if name is None:
            return found
        return _KEPT.put(name, key, found, size=WORD_SET_COST * len(found) + 1)

    def _phrase_docs(self, searcher, phrase: Phrase, titles_only: bool, within: set[int],
                     verified: dict) -> set[int]:
        """The documents of ``within`` holding the phrase; positions are checked here, once."""
        reader, docs = searcher.reader(), set()
        for fieldname, _weight in self._searched(titles_only):
            sets = [_posting_ids(reader, fieldname, term) for term in phrase.terms]
            candidates = sorted(within.intersection(*sets))
            if len(phrase.terms) == 1 or not candidates:
                docs.update(candidates)
                continue
            holding = _holding_phrase(reader, fieldname, phrase.terms, candidates)
            if holding is None:  # not Whoosh's own postings: its span matcher, slower
                context = searcher.boolean_context()
                terms = [_Within(wq.Term(fieldname, term).matcher(searcher, context), candidates)
                         for term in phrase.terms]
                spans = wq.SpanNear2.SpanNear2Matcher(terms, slop=1, ordered=True, mindist=1)
                holding = sorted(spans.all_ids())
            verified[(phrase, fieldname)][id(reader)] = holding
            docs.update(holding)
        return docs

    def _docs(self, searcher, matches: list, allowed: set[int], any_of: bool, titles_only: bool,
              verified: dict) -> set[int]:
        """Exactly the documents of one segment that the query matches, among ``allowed``."""
        if not matches or not allowed:
            return allowed
        words = [m for m in matches if isinstance(m, Word)]
        phrases = [m for m in matches if isinstance(m, Phrase)]
        if any_of:
            docs = set()
            for word in words:
                docs |= self._word_docs(searcher, word, titles_only)
            docs &= allowed
            for phrase in phrases:
                docs |= self._phrase_docs(searcher, phrase, titles_only, allowed, verified)
            return docs
        docs = allowed
        for word in words:  # words first: the phrases then check positions in fewer documents
            docs = docs & self._word_docs(searcher, word, titles_only)
            if not docs:
                return docs
        for phrase in phrases:
            docs = self._phrase_docs(searcher, phrase, titles_only, docs, verified)
            if not docs:
                return docs
        return docs

    def search(self, matches: list, filters: Filters, *, offset: int, limit: int, any_of: bool = False,
               titles_only: bool = False) -> Hits:
        """Hits ``offset`` to ``offset + limit`` by score, and how many match in all.

        ``any_of``: a document needs only one of the matches (most of them
        rank first), for "similar" lists rather than searches; ``titles_only``
        looks at titles alone.

        Two passes. Counting: the filters and words as sets of document
        numbers, per segment (postings read a block at a time; the filter
        terms' sets kept per segment), phrases position-checked once among
        what is left: the exact total, as the contract wants, without
        scoring anything. Ranking: BM25F over just those documents, where
        Whoosh skips the blocks that cannot reach the best ``RANK_WINDOW``
        (so a common word does not score every document); each of those is
        multiplied by its ``rank_factor`` and the window re-sorted. Scoring
        every match with the factor inside cost 2 to 4 times as much at
        10,000 documents. Pages past the window are ranked by BM25F alone.
        """
        if not filters.types or filters.communities == ():
            return Hits()
        window = max(RANK_WINDOW, offset + limit)
        with self._searching() as searcher:
            try:
                all_types = bool(matches) and set(filters.types) >= self.all_types  # the canary has no words
                verified: dict = defaultdict(dict)  # (phrase, field) -> {reader id: docnums with it}
                found, total = {}, 0
                for sub, _offset in searcher.leaf_searchers():
                    reader = sub.reader()
                    docs = self._docs(sub, matches, self._allowed(reader, filters, all_types), any_of,
                                      titles_only, verified)
                    found[id(reader)] = sorted(docs)
                    total += len(docs)
                if not total:
                    return Hits()
                query = _Ranked(self._query(matches, any_of, titles_only, verified),
                                self._filter(filters, all_types), found)
                reader = searcher.reader()
                boosts, created = reader.column_reader("boost"), reader.column_reader("created")
                now = now_minutes()
                ranked = sorted((score * rank_factor(boosts[docnum], created[docnum], now), docnum)
                                for score, docnum in _top_scored(searcher, query, window))
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
