"""Dutch and English word forms and compounds, as a table of everyday cases.

Each row: a query word, a text, and whether the query must find the text.
The same rows run through PostgreSQL's own ``dutch`` text search (what
comparable forums use) where a local PostgreSQL answers, to show the
difference: ours gets every row right, PostgreSQL far fewer.
"""

from __future__ import annotations

import pytest

from community.search import analysis, compounds
from community.search.analysis import document_keys, query_words, word_keys, word_matches

FINDS = True
MISSES = False

# query, document text, expected
CASES = [
    # Dutch inflections
    ("trainingen", "De training begint om negen uur.", FINDS),
    ("training", "Alle trainingen zijn vol.", FINDS),
    ("vragen", "Ik heb een vraag over de planning.", FINDS),
    ("vraag", "Er kwamen veel vragen binnen.", FINDS),
    ("werkt", "Werken in de vriescel is zwaar.", FINDS),
    ("gewerkt", "Werken met de scanner gaat snel.", FINDS),
    ("werkte", "Hoe werken jullie met de nieuwe kassa?", FINDS),
    ("werken", "De scanner werkt niet meer.", FINDS),
    ("werken", "Ik heb gisteren lang gewerkt.", FINDS),
    ("kastje", "Zet de map in de kast.", FINDS),
    ("kast", "Het sleutelkastje hangt bij de deur.", FINDS),
    ("collega's", "Vraag het een collega.", FINDS),
    ("collega", "Mijn collega's helpen graag.", FINDS),
    ("certificaten", "Je certificaat verloopt na vijf jaar.", FINDS),
    ("schoenen", "Neem je eigen schoen mee.", FINDS),
    ("systemen", "Het systeem is traag.", FINDS),
    # accents and case
    ("creeren", "Hoe kan ik een rooster creëren?", FINDS),
    ("creëren", "Roosters creeren zonder accent.", FINDS),
    ("idee", "Een goed idée.", FINDS),
    ("KASSA", "de kassa", FINDS),
    # English inflections
    ("trained", "Forklift training starts Monday.", FINDS),
    ("trained", "Alle trainingen zijn vol.", FINDS),
    ("training", "All staff were trained last week.", FINDS),
    ("questions", "One question about the rota.", FINDS),
    ("asked", "I ask every new colleague.", FINDS),
    ("running", "The scanner runs fine now.", FINDS),
    # Dutch compounds, split against the dictionary
    ("heftruck", "Wie heeft een heftruckcertificaat?", FINDS),
    ("certificaat", "Wie heeft een heftruckcertificaat?", FINDS),
    ("schoenen", "Veiligheidsschoenen zijn verplicht.", FINDS),
    ("veiligheid", "Veiligheidsschoenen zijn verplicht.", FINDS),
    ("hydrauliekslang", "Controleer de hydrauliekslangen op lekkage.", FINDS),  # a compound no lemma list knows
    ("hydrauliekslangen", "De hydrauliekslang lekt.", FINDS),
    ("slang", "Controleer de hydrauliekslangen op lekkage.", FINDS),
    ("kassasysteem", "Het systeem van de kassa hapert.", FINDS),
    ("magazijn", "Elke magazijnmedewerker krijgt een pasje.", FINDS),
    ("medewerker", "Elke magazijnmedewerker krijgt een pasje.", FINDS),
    ("kast", "Boekenkasten in de kantine.", FINDS),
    ("rooster", "Het kassarooster staat online.", FINDS),
    # and what must not match
    ("kast", "We bezoeken het kasteel.", MISSES),
    ("kasteel", "De kast staat in de hal.", MISSES),
    ("leg", "Na het overleg gaan we lunchen.", MISSES),
    ("kassa", "De kast is vol.", MISSES),
    ("kassasysteem", "Het systeem van de roosters.", MISSES),
    ("certificaat", "Wie rijdt er op de heftruck?", MISSES),
    ("training", "De trein was te laat.", MISSES),
]


@pytest.mark.parametrize(("query", "text", "expected"), CASES, ids=[f"{q}->{t[:30]}" for q, t, _ in CASES])
def test_query_word_finds_the_forms_it_should_and_nothing_else(query, text, expected):
    [word] = query_words(query)
    assert word_matches(word_keys(word), document_keys(text)) is expected


SPLITS = [
    ("heftruckcertificaat", ("heftruck", "certificaat")),
    ("veiligheidsschoen", ("veiligheid", "schoen")),
    ("kassasysteem", ("kassa", "systeem")),
    ("magazijnmedewerker", ("magazijn", "medewerker")),
    ("boekenkast", ("boeken", "kast")),
    ("arbeidsomstandigheid", ("arbeid", "omstandigheid")),
    ("kasteel", ()),
    ("overleg", ()),
    ("vergadering", ()),
    ("training", ()),
    ("understanding", ()),
]


@pytest.mark.parametrize(("word", "parts"), SPLITS)
def test_compounds_split_into_dictionary_words_and_plain_words_stay_whole(word, parts):
    assert compounds.split(word) == parts


def test_possessive_and_accents_are_folded_in_tokens():
    assert query_words("Collega's créëren het ĳsselmeer") == ["collega", "créëren", "het", "ĳsselmeer"]
    assert [word_keys(w).exact for w in query_words("Créëren ĲSSEL")] == ["creeren", "ijssel"]


def test_tokens_never_hold_underscores_or_overlong_words():
    assert query_words("snake_case " + "x" * 500 + " ok") == ["snake", "case", "ok"]


def test_common_word_pairs_turn_a_phrase_of_function_words_into_one_term():
    assert analysis.phrase_terms(query_words("van de")) == ["=van de"]
    assert analysis.phrase_terms(query_words("het systeem van de kassa")) == [
        "=het systeem", "=systeem van", "=van de", "=de kassa"]
    assert analysis.phrase_terms(query_words("heftruck certificaat")) == ["=heftruck", "=certificaat"]
    # A word after a common one, inside the phrase, keeps its place: the next term stands after it.
    assert analysis.phrase_terms(query_words("staat de kassa open")) == ["=staat de", "=de kassa", "=kassa", "=open"]


def test_indexed_pairs_sit_at_the_position_the_phrase_terms_expect():
    terms = analysis.index_terms("Het systeem van de kassa")
    positions = {term: pos for term, pos in terms}
    wanted = analysis.phrase_terms(query_words("systeem van de kassa"))
    assert [positions[t] for t in wanted] == [1, 2, 3]


def _postgres_finds(cursor, query: str, text: str) -> bool:
    cursor.execute("SELECT to_tsvector('dutch', %s) @@ plainto_tsquery('dutch', %s)", (text, query))
    return cursor.fetchone()[0]


def test_postgres_dutch_search_gets_far_fewer_of_these_cases_right():
    from tests.postgres import SKIP_MESSAGE, admin_connection

    conn, _user = admin_connection()
    if conn is None:
        pytest.skip(SKIP_MESSAGE)
    with conn, conn.cursor() as cursor:
        postgres_right = sum(_postgres_finds(cursor, q, t) is expected for q, t, expected in CASES)
    ours_right = sum(word_matches(word_keys(query_words(q)[0]), document_keys(t)) is expected
                     for q, t, expected in CASES)
    assert ours_right == len(CASES)
    assert postgres_right < len(CASES) * 0.8, f"PostgreSQL dutch got {postgres_right} of {len(CASES)}"
