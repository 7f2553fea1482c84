"""Searching: parse what was typed, ask the engine inside the caller's communities, check, show.

- **Parsing** (``parse``) never fails: quoted phrases (an unbalanced quote
  runs to the end), ``tag:``, ``type:``, ``author:``, ``community:``; every
  other character that is no letter or digit (``*``, ``AND``'s neighbours,
  NUL) only separates words. A query is cut at ``MAX_QUERY`` characters and
  ``MAX_WORDS`` words, so 10,000 characters cost what 500 do.
- **Permission** is part of the search: the engine's filter holds exactly
  the communities ``access.readable_filter`` lets the caller read, so
  totals and pages count only what the caller may see. Every hit is then
  loaded from the database (``registry`` ``load``: exists, not deleted or
  hidden) and its community checked again before it is shown; a hit that
  fails is dropped, not counted, and mended in the index.
- **Ranking**: BM25F over title (weight 3) and body, times the item's own
  boost (accepted answers, scores) and up to 25 % for recent items (half
  life 180 days); see ``engine``.
- **Snippets**: the body's best window of words, every matching word in
  ``<mark>``, everything else escaped.
- **Did you mean**: a word no document holds is replaced by the most
  frequent indexed word within two edits; the suggestion is made only if it
  finds something the caller may read, so it never hints at private words.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import lazy_gettext as _l
from markupsafe import escape
from sqlalchemy import func, select

from ..access import readable_filter
from ..communities.models import Community
from ..errors import BadRequest, Invalid
from ..extensions import db
from . import analysis, indexer, registry
from .engine import Filters, Phrase, SearchUnavailable, Word

TYPES = ("question", "answer", "thread", "post", "resource", "chat")
MAX_QUERY = 500
MAX_WORDS = 24
MAX_OFFSET = 1000
SNIPPET_WORDS = 30
OPERATORS = ("tag", "type", "author", "community")

_TOKEN = re.compile(r'"([^"]*)"?|(\b(?:tag|type|author|community)):(\S*)|([^\s"]+)', re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass
class ParsedQuery:
    words: list[str] = field(default_factory=list)
    phrases: list[list[str]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    communities: list[str] = field(default_factory=list)
    text_parts: list[tuple[str, str]] = field(default_factory=list)  # ("word"/"phrase"/"op", text) as typed

    @property
    def empty(self) -> bool:
        return not (self.words or self.phrases)


def parse(raw: str) -> ParsedQuery:
    text = _CONTROL.sub(" ", raw or "")[:MAX_QUERY]
    parsed = ParsedQuery()
    for match in _TOKEN.finditer(text):
        phrase, operator, value, plain = match.groups()
        if phrase is not None:
            words = analysis.query_words(phrase)[:MAX_WORDS]
            if words:
                parsed.phrases.append(words)
                parsed.text_parts.append(("phrase", phrase))
        elif operator is not None:
            value = value.strip().lower()
            if value:
                {"tag": parsed.tags, "type": parsed.types, "author": parsed.authors,
                 "community": parsed.communities}[operator.lower()].extend(v for v in value.split(",") if v)
                parsed.text_parts.append(("op", match.group()))
        else:
            words = analysis.query_words(plain)
            parsed.words.extend(words)
            parsed.text_parts.extend(("word", w) for w in words)
    parsed.words = parsed.words[:MAX_WORDS]
    return parsed


def _matches(parsed: ParsedQuery) -> list:
    found = []
    for word in parsed.words:
        keys = analysis.word_keys(word)
        found.append(Word(keys.keys, keys.parts))
    for words in parsed.phrases:
        found.append(Phrase(tuple(analysis.phrase_terms(words))))
    return found


# -- cursors ----------------------------------------------------------------------------------------

def _encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        offset = data["o"]
        if type(offset) is not int or not 0 <= offset <= MAX_OFFSET:
            raise ValueError
        return offset
    except (ValueError, TypeError, KeyError, RecursionError):
        raise BadRequest(_l("The cursor is not valid.")) from None


# -- filters -----------------------------------------------------------------------------------------

def _split(values) -> list[str]:
    found = []
    for value in values:
        if value:  # control characters never name anything (and PostgreSQL refuses NUL in a parameter)
            found += [v.strip().lower() for v in _CONTROL.sub("", value).split(",") if v.strip()]
    return found


def readable_community_ids(user) -> set[int] | None:
    """The communities ``user`` may read (None: all, for site admins)."""
    if getattr(user, "is_admin", False):
        return None
    return set(db.session.scalars(select(Community.id).where(readable_filter(user))))


def _type_filter(requested: list[str]) -> tuple[str, ...]:
    registered = tuple(registry.types())
    if not requested:
        return registered
    return tuple(t for t in dict.fromkeys(requested) if t in registered)


def _community_ids(slugs: list[str], readable: set[int] | None) -> tuple[int, ...] | None:
    """The filter's communities: the named ones the caller may read, else all the caller may read."""
    if slugs:
        named = set(db.session.scalars(select(Community.id).where(func.lower(Community.slug).in_(slugs))))
        allowed = named if readable is None else named & readable
        return tuple(sorted(allowed))
    return None if readable is None else tuple(sorted(readable))


# -- snippets ----------------------------------------------------------------------------------------

def _highlighter(parsed: ParsedQuery):
    """A function from a text's tokens to the indices to mark: matching words, whole phrase runs.

    Each distinct word is looked up once per search (a page's texts repeat
    their words: about 170 tokens a hit, most of them ``de``, ``het``, ``van``).
    """
    keys: set[str] = set()
    for word in parsed.words:
        keys.update(analysis.word_keys(word).all)
    phrases = [[analysis.word_keys(w).exact for w in words] for words in parsed.phrases]
    matching: dict[str, bool] = {}

    def matches(word: str) -> bool:
        found = matching.get(word)
        if found is None:
            found = matching[word] = any(k in keys for k in analysis.word_keys(word).all)
        return found

    def marked(tokens: list[tuple[str, int, int]]) -> set[int]:
        found = {i for i, (word, _s, _e) in enumerate(tokens) if matches(word)} if keys else set()
        if phrases:
            exact = [analysis.word_keys(word).exact for word, _s, _e in tokens]
            for phrase in phrases:
                n = len(phrase)
                for i in range(len(exact) - n + 1):
                    if exact[i:i + n] == phrase:
                        found.update(range(i, i + n))
        return found
    return marked


def _window(text: str, tokens: list[tuple[str, int, int]], marked_here: set[int], words: int = SNIPPET_WORDS) -> str:
    """HTML: the window of ``text`` with the most marked words, those in ``<mark>``, all else escaped.

    ``text`` normalised and tokenised already, with its marked token indices (``_marked_text``).
    """
    if not tokens:
        return str(escape(text[:240]))
    hits = sorted(marked_here)
    start = 0
    if hits:
        best = max(hits, key=lambda h: sum(1 for o in hits if h <= o < h + words))
        start = max(0, best - 4)
    end = min(len(tokens), start + words)
    begin_char = 0 if start == 0 else tokens[start][1]
    end_char = len(text) if end == len(tokens) else tokens[end - 1][2]
    pieces, cursor = [], begin_char
    for i in range(start, end):
        _word, s, e = tokens[i]
        if i in marked_here:
            pieces.append(str(escape(text[cursor:s])))
            pieces.append(f"<mark>{escape(text[s:e])}</mark>")
            cursor = e
    pieces.append(str(escape(text[cursor:end_char])))
    html = "".join(pieces).strip()
    return ("…" if start > 0 else "") + html + ("…" if end < len(tokens) else "")


# -- the search --------------------------------------------------------------------------------------

@dataclass
class Result:
    entry: registry.Entry
    score: float
    snippet_html: str


@dataclass
class SearchPage:
    items: list[Result]
    total: int
    next: str | None
    suggestion: str | None


def search(user, q: str | None, *, community=None, types=None, tags=None, authors=None,
           limit: int = 20, cursor: str | None = None) -> SearchPage:
    """One page of what ``user`` may read that matches; raises ``SearchUnavailable`` while rebuilding."""
    app = current_app._get_current_object()
    offset = _decode_cursor(cursor)
    parsed = parse(q or "")
    wanted_types = _split(types or []) + parsed.types
    unknown = [t for t in _split(types or []) if t not in TYPES]
    if unknown:
        raise Invalid({"type": str(_l("Choose from: %(types)s.", types=", ".join(TYPES)))})
    if parsed.empty and not (parsed.tags or parsed.authors or tags or authors):
        return SearchPage([], 0, None, None)
    if not indexer.available(app):
        raise SearchUnavailable("rebuilding")

    readable = readable_community_ids(user)
    filters = Filters(types=_type_filter(wanted_types),
                      communities=_community_ids(_split(community or []) + parsed.communities, readable),
                      tags=tuple(dict.fromkeys(_split(tags or []) + parsed.tags)),
                      authors=tuple(dict.fromkeys(_split(authors or []) + parsed.authors)))
    matches = _matches(parsed)
    engine = indexer.engine(app)
    engine.all_types = set(registry.types())
    found = engine.search(matches, filters, offset=offset, limit=limit)
    items, stale = _checked(found.items, readable, _highlighter(parsed))
    if stale:
        indexer.reindex(stale)
    total = max(0, found.total - len(stale))
    more = offset + len(found.items) < found.total
    suggestion = _suggestion(parsed, filters) if found.total == 0 and parsed.words else None
    return SearchPage(items, total, _encode_cursor(offset + limit) if more and offset + limit <= MAX_OFFSET
                      else None, suggestion)


def _checked(hits: list[tuple[str, float]], readable: set[int] | None,
             marked) -> tuple[list[Result], list[str]]:
    """The hits the database confirms, in order, with their snippets; and the uids it did not."""
    entries = indexer.load_entries([uid for uid, _score in hits])
    results, stale = [], []
    for uid, score in hits:
        entry = entries.get(uid)
        if entry is None or (readable is not None and entry.community_id not in readable):
            stale.append(uid) if entry is None else None
            continue
        shown = _marked_text(entry.body, marked)
        if not shown[2] and (title := _marked_text(entry.title, marked))[2]:
            shown = title  # the title matched: show it rather than an unmarked body
        results.append(Result(entry, score, _window(*shown)))
    return results, stale


def _marked_text(text: str, marked) -> tuple[str, list[tuple[str, int, int]], set[int]]:
    """A text normalised and tokenised once, with what ``marked`` marks in it: ``_window``'s arguments."""
    text = analysis.normalize(text)
    tokens = list(analysis.tokenize(text))
    return text, tokens, marked(tokens) if tokens else set()


def _suggestion(parsed: ParsedQuery, filters: Filters) -> str | None:
    engine = indexer.engine()
    replaced, changed = {}, False
    for word in parsed.words:
        keys = analysis.word_keys(word)
        if len(keys.exact) < 4 or any(engine.frequency(f, k) for f in ("title", "body") for k in keys.keys):
            continue
        distance = 1 if len(keys.exact) <= 5 else 2
        candidates = [(df, term) for term, df in engine.known_terms("body", keys.exact, distance)
                      if not term.startswith(analysis.EXACT) and term != keys.exact and term.isalpha()]
        if candidates:
            replaced[word] = max(candidates)[1]
            changed = True
    if not changed:
        return None
    corrected = ParsedQuery(words=[replaced.get(w, w) for w in parsed.words], phrases=parsed.phrases)
    if engine.search(_matches(corrected), filters, offset=0, limit=1).total == 0:
        return None  # nothing the caller may read: say nothing, not even that the word exists
    return " ".join(replaced.get(value, value) if kind == "word" else (f'"{value}"' if kind == "phrase" else value)
                    for kind, value in parsed.text_parts)


def similar(user, text: str, *, community_id: int, types: tuple[str, ...], limit: int = 5,
            exclude: frozenset[str] = frozenset(), titles_only: bool = False,
            typing: bool = False) -> list[tuple[registry.Entry, float]]:
    """Items of one community most like ``text`` (any of its words; most shared words first).

    For "similar questions" while a title is typed: the same analysis as a
    search (word forms, compounds), the caller's access asked once, every
    item re-checked against the database. Common function words are left
    out; with ``typing`` the last word also matches as a prefix (``heftr``).
    """
    app = current_app._get_current_object()
    readable = readable_community_ids(user)
    if readable is not None and community_id not in readable:
        return []
    words = [w for w in dict.fromkeys(analysis.query_words(_CONTROL.sub(" ", text or "")[:MAX_QUERY]))
             if analysis.word_keys(w).exact not in analysis.COMMON_WORDS][:MAX_WORDS]
    if not words or not indexer.available(app):
        return []
    matches = _matches(ParsedQuery(words=words))
    last = analysis.word_keys(words[-1]).exact
    if typing and len(last) >= 3 and last.isalpha():
        matches[-1] = Word(matches[-1].keys, matches[-1].parts, prefix=last)
    filters = Filters(types=_type_filter(list(types)), communities=(community_id,))
    found = indexer.engine(app).search(matches, filters, offset=0, limit=limit + len(exclude), any_of=True,
                                       titles_only=titles_only)
    entries = indexer.load_entries([uid for uid, _score in found.items])
    return [(entries[uid], score) for uid, score in found.items
            if uid in entries and uid not in exclude][:limit]
