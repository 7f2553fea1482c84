"""The Dutch catalog is complete and compiled, and pages speak the browser's language.

Messages are extracted afresh from the source (with the repository's
``babel.cfg``, as ``pybabel extract`` does), so a new string without a Dutch
translation fails here, not in front of a Dutch user.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "community" / "translations"
LOCALES = ("nl", "en")


def _po(locale: str):
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=locale)


def _strings(message) -> tuple[str, ...]:
    return tuple(message.string) if isinstance(message.string, (list, tuple)) else (message.string,)


def _key(message):
    return message.id if isinstance(message.id, str) else tuple(message.id)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The messages the source asks for right now, as ``pybabel extract`` finds them."""
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"),
                                "-k", "lazy_gettext", "-k", "_l", "-o", str(pot), str(ROOT)])
    with open(pot, "rb") as f:
        return read_po(f)


def test_every_message_in_the_source_has_a_dutch_translation(extracted):
    dutch = _po("nl")
    missing = []
    for message in extracted:
        if not message.id:
            continue
        found = dutch.get(message.id)
        if found is None or not all(_strings(found)):
            missing.append(message.id)
    assert not missing, f"untranslated in nl (run pybabel update, then translate): {missing}"


@pytest.mark.parametrize("locale", LOCALES)
def test_catalog_has_no_fuzzy_or_obsolete_entries(locale):
    catalog = _po(locale)
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not fuzzy and not catalog.obsolete, (fuzzy, list(catalog.obsolete))


def test_dutch_translations_keep_every_placeholder():
    problems = [(message.id, [str(e) for e in errors]) for message, errors in _po("nl").check()]
    assert not problems


@pytest.mark.parametrize("locale", LOCALES)
def test_compiled_catalog_matches_its_po_file(locale):
    folder = TRANSLATIONS / locale / "LC_MESSAGES"
    po = _po(locale)
    with open(folder / "messages.mo", "rb") as f:
        mo = read_mo(f)
    assert (folder / "messages.mo").stat().st_mtime >= (folder / "messages.po").stat().st_mtime - 1, \
        "messages.mo is older than messages.po: run pybabel compile"

    translated = {_key(m): _strings(m) for m in po if m.id and all(_strings(m))}
    compiled = {_key(m): _strings(m) for m in mo if m.id}
    assert {k: compiled.get(k) for k in translated} == translated
    # Anything else in the .mo is only the msgid standing in for itself (plural fallbacks).
    for key, strings in compiled.items():
        if key not in translated:
            assert strings == (key if isinstance(key, tuple) else (key,))


def test_dutch_browser_gets_the_dutch_sign_in_page(client):
    page = client.get("/login", headers={"Accept-Language": "nl-NL,nl;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="nl">' in page
    assert "<h1>Inloggen</h1>" in page and "Gebruikersnaam of e-mailadres" in page


def test_english_browser_gets_the_english_sign_in_page(client):
    page = client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "<h1>Sign in</h1>" in page and "Username or email address" in page


def test_sign_in_prompt_is_in_dutch(client):
    response = client.get("/settings", headers={"Accept-Language": "nl"})
    login = client.get(response.headers["Location"], headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert "Log in om deze pagina te zien." in login


def test_service_messages_reach_a_dutch_form(client):
    """Problems worded by the services (lazy strings) are shown in Dutch too."""
    import re

    page = client.get("/register", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    response = client.post("/register", headers={"Accept-Language": "nl"},
                           data={"csrf_token": token, "username": "x", "email": "geen-adres", "password": "kort"})
    page = response.get_data(as_text=True)
    assert "Gebruik minstens 3 tekens." in page
    assert "Vul een e-mailadres in zoals naam@voorbeeld.nl." in page


def _dutch_texts():
    """Every Dutch msgstr with its English msgid: (english, dutch) per string of each entry."""
    for message in _po("nl"):
        if not message.id:
            continue
        english = message.id if isinstance(message.id, str) else " ".join(message.id)
        for dutch in _strings(message):
            yield english, dutch, message


def test_dutch_catalog_uses_no_word_the_glossary_forbids():
    """No "cohortgroep", "gesloten", "aanmelden", "u" … anywhere (tests/glossary_nl.py, FORBIDDEN)."""
    from tests.glossary_nl import forbidden_words

    found = [f"{english!r}: {', '.join(forbidden_words(dutch))}"
             for english, dutch, _ in _dutch_texts() if forbidden_words(dutch)]
    assert not found, "\n".join(found)


def test_dutch_catalog_names_each_concept_with_the_glossary_word():
    """One concept, one word: a "reaction" is an emoji, a "reply" a reactie (tests/glossary_nl.py, CONCEPTS)."""
    from tests.glossary_nl import concept_breaches

    found = [f"{english!r} -> {dutch!r}: {', '.join(concept_breaches(english, dutch))}"
             for english, dutch, _ in _dutch_texts() if concept_breaches(english, dutch)]
    assert not found, "\n".join(found)


def test_dutch_notifications_are_in_the_perfect_tense():
    """"%(who)s heeft gereageerd", not "reageerde" or "vraagt": every notification line has heeft/is/bent."""
    import re

    lines = [(english, dutch) for english, dutch, message in _dutch_texts()
             if any(path.startswith("templates/notifications/") for path, _ in message.locations)
             and "%(title)s" in english]
    assert lines, "no notification lines found in the catalog"
    wrong = [(english, dutch) for english, dutch in lines if not re.search(r"\b(heeft|hebt|is|bent)\b", dutch)]
    assert not wrong, "\n".join(f"{english!r} -> {dutch!r}" for english, dutch in wrong)


@pytest.mark.parametrize("text, words", [
    ("Alleen sitebeheerders mogen dit.", []),
    ("Alleen beheerders mogen dit.", ["beheerders"]),
    ("Iedereen van de trainingsgroep.", []),
    ("Een cohortgroep of praktijkgemeenschap.", ["cohortgroep", "praktijkgemeenschap"]),
    ("Deze community is besloten.", []),
    ("Deze discussie is gesloten.", ["gesloten"]),
    ("%(who)s heeft iets gemeld bij de moderators.", []),
    ("Meld je aan om te reageren.", ["Meld je aan"]),
    ("Wilt u uw wachtwoord wijzigen?", ["u", "uw"]),
    ("Gebruik 3 tot 30 tekens.", ["3 tot 3"]),
    ("Gebruik 3 tot en met 30 tekens.", []),
    ("Geldig tot %(date)s.", []),
    ("Lichte pagina’s.", ["’"]),
])
def test_glossary_check_tells_forbidden_words_from_legitimate_ones(text, words):
    from tests.glossary_nl import forbidden_words

    assert [found.split(" (say")[0].strip("'\"") for found in forbidden_words(text)] == words
