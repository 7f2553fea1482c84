"""Text analysis for Dutch and English, in our own Python, the same for any engine.

The chain, for each word of a title or body (``tokenize`` → ``word_keys``):

1. **Tokens**: the text is NFC-normalised; a word is a run of letters and
   digits, apostrophes inside it allowed (``collega's``), never ``_``.
   Words over ``MAX_WORD`` characters are skipped (hostile input, base64).
   A trailing ``'s`` or ``’s`` is dropped: ``collega's`` → ``collega``,
   ``auto's`` → ``auto``.
2. **Lemmas**: ``simplemma`` 2.0 (about 5 µs a word) gives the Dutch and
   the English dictionary form: ``werkt``/``gewerkt``/``werkte`` →
   ``werken``, ``vragen`` → ``vraag``, ``kastje`` → ``kast``,
   ``trainingen`` → ``training``, ``trained``/``training`` → ``train``.
   A word keeps its own form too, so nothing is lost when a lemma is wrong.
   Stemmers were measured and not chosen: Snowball's new Dutch stemmer turns
   ``kastje`` into ``kas`` (and so finds ``kassa``), the old one (Whoosh's)
   misses ``gewerkt``.
3. **Compounds**: the Dutch lemma is split against OpenTaal's dictionary
   (``compounds.py``): ``heftruckcertificaat`` → heftruck + certificaat,
   ``veiligheidsschoenen`` → veiligheid + schoen; ``kasteel`` stays whole.
4. **Folding**: every form is lowercased and stripped of accents after
   lemmatising (the lemmatiser knows ``creëren``), so ``creeren`` finds
   ``creëren`` and ``Ĳsselmeer`` is ``ijsselmeer``.

Every word is looked up once per process (``lru_cache``): a rebuild pays
for each distinct word once, a query a few microseconds.

What the engine indexes (``index_terms``), all at the word's position:

- the word's **match keys**: its folded form, its lemmas and its compound
  parts. A word in a query matches a document word when one of the query
  word's keys is among the document word's keys; a compound in the query
  (``kassasysteem``) also matches a document holding all its parts
  (``het systeem van de kassa``).
- its **exact form**, ``=`` + the folded word, for quoted phrases, which
  match exactly as written (only case and accents are forgiven).
- **common-word pairs** (Lucene's CommonGrams): wherever a word or the next
  one is a frequent function word (``van``, ``de``, ``the`` …), the pair
  ``=van de`` too. A phrase then becomes a few rare terms (``phrase_terms``)
  instead of the huge position lists of ``de`` and ``van``: the phrase
  ``"van de kassa"`` is the two pairs ``=van de`` ``=de kassa`` in a row.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import simplemma

from . import compounds

MAX_WORD = 40
EXACT = "="  # prefix of exact forms and pairs; tokens never contain it

#: Frequent Dutch and English function words: pairs with these are indexed for fast phrases.
COMMON_WORDS = frozenset("""
de het een van en in op te is dat die voor met aan er niet zijn ook als bij om of door naar dan
wat nog wel je ik we wij u hij ze zij maar uit tot over heeft hebben worden wordt kan geen zo al
moet deze dit hoe waar wie was ben bent hun mijn jouw onze
the of to and a an in is it that for on with as be at by this are or from not was but have has
you i we can if do how what which there their they he she his her its my your our
""".split())

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_POSSESSIVE = re.compile(r"['’]s$")


def fold(text: str) -> str:
    """Lowercase without accents: ``Créëren`` → ``creeren``; ``ĳ`` → ``ij``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokenize(text: str):
    """Yield ``(word, start, end)``: each word lowercased (NFC, accents kept) and its place in ``text``.

    ``text`` is NFC-normalised first by the caller when offsets must match the
    original (``normalize``); offsets refer to the text as given.
    """
    for match in _WORD.finditer(text):
        word = match.group()
        if len(word) > MAX_WORD:
            continue
        word = _POSSESSIVE.sub("", word.lower()).replace("’", "'")
        if word:
            yield word, match.start(), match.end()


def normalize(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@dataclass(frozen=True, slots=True)
class WordKeys:
    """What one word matches: ``keys`` (its own folded form first), or all of ``parts`` together."""

    exact: str
    keys: tuple[str, ...]
    parts: tuple[str, ...] = ()

    @property
    def all(self) -> tuple[str, ...]:
        return self.keys + tuple(p for p in self.parts if p not in self.keys)


@lru_cache(maxsize=500_000)
def word_keys(word: str) -> WordKeys:
    """The match keys of one lowercase word (as ``tokenize`` yields it)."""
    exact = fold(word)
    if not word.isalpha():  # numbers and codes (``nen3140``) match as written
        return WordKeys(exact, (exact,))
    forms = [exact]
    dutch = simplemma.lemmatize(word, lang="nl")
    # The English lemma of the Dutch one too: ``trainingen`` → training → train finds ``trained``.
    for lemma in (dutch, simplemma.lemmatize(word, lang="en"), simplemma.lemmatize(dutch, lang="en")):
        folded = fold(lemma)
        if folded not in forms:
            forms.append(folded)
    parts: tuple[str, ...] = ()
    if len(word) >= compounds.MIN_WORD:
        parts = tuple(fold(p) for p in compounds.split(dutch.lower()) or compounds.split(word))
    if parts and dutch == word:
        # A compound the lemmatizer does not know (``hydrauliekslangen``) still
        # inflects in its last part: its lemma (slang) gives the whole word's
        # (hydrauliekslang), so singular and plural find each other.
        head = fold(simplemma.lemmatize(parts[-1], lang="nl"))
        if head != parts[-1] and exact.endswith(parts[-1]):
            whole = exact[: len(exact) - len(parts[-1])] + head
            if whole not in forms:
                forms.append(whole)
            parts = (*parts[:-1], head)
    return WordKeys(exact, tuple(forms), parts)


def index_terms(text: str) -> list[tuple[str, int]]:
    """``(term, position)`` for every term the engine indexes for ``text`` (see the module docstring)."""
    words = [w for w, _s, _e in tokenize(normalize(text))]
    terms: list[tuple[str, int]] = []
    for pos, word in enumerate(words):
        keys = word_keys(word)
        for key in keys.all:
            terms.append((key, pos))
        terms.append((EXACT + keys.exact, pos))
        if pos + 1 < len(words):
            following = fold(words[pos + 1])
            if keys.exact in COMMON_WORDS or following in COMMON_WORDS:
                terms.append((f"{EXACT}{keys.exact} {following}", pos))
    return terms


def phrase_terms(words: list[str]) -> list[str]:
    """The exact terms that find ``words`` in a row, one per position, pairs where they help.

    At each position the pair with the next word when either is a common
    word, else the word itself; a last common word that the pair before it
    already covers is left out. Every term still sits at consecutive
    positions, so the engine's plain phrase match applies.
    """
    folded = [word_keys(w).exact for w in words]
    terms = []
    for i, word in enumerate(folded):
        nxt = folded[i + 1] if i + 1 < len(folded) else None
        if nxt is not None and (word in COMMON_WORDS or nxt in COMMON_WORDS):
            terms.append(f"{EXACT}{word} {nxt}")
        elif i == len(folded) - 1 and i > 0 and (word in COMMON_WORDS or folded[i - 1] in COMMON_WORDS):
            continue  # the last word, covered by the pair before it (a word inside the phrase never is)
        else:
            terms.append(EXACT + word)
    return terms


def query_words(text: str) -> list[str]:
    """The words of a piece of query text, as ``tokenize`` reads documents."""
    return [w for w, _s, _e in tokenize(normalize(text))]


def warm_up() -> None:
    """Load the lemma tables and the dictionary now, not in the first request that needs them."""
    compounds.load()
    word_keys.cache_clear()
    for word in ("werkt", "trained", "heftruckcertificaat"):
        word_keys(word)


def document_keys(text: str) -> set[str]:
    """Every match key of every word in ``text``: what a word query is matched against."""
    keys: set[str] = set()
    for word in query_words(text):
        keys.update(word_keys(word).all)
    return keys


def word_matches(query: WordKeys, keys: set[str]) -> bool:
    """Does a query word match a text with these match keys? The rule the engine's query follows."""
    return any(k in keys for k in query.keys) or bool(query.parts) and all(p in keys for p in query.parts)
