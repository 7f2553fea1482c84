"""The Dutch glossary (``../shared/GLOSSARY-nl.md``) as rules a test can check.

Two tables. ``FORBIDDEN``: words of the glossary's "not" column, formal
address and spelling the Groene Boekje does not know, which no Dutch text
may use. ``CONCEPTS``: one concept, one word: when the English says it, the
Dutch says it with the glossary's word (and, where a word is taken by
another concept, not with that one).

Patterns are case-insensitive regular expressions; ``\\b`` is a word
boundary, so ``\\bbeheerder`` finds "beheerder" but not "sitebeheerder", and
``\\bgroep`` finds "groep" but not "trainingsgroep". Where a word has a
legitimate use next to the forbidden one, the pattern is narrowed to the
forbidden sense and the comment says why.
"""

from __future__ import annotations

import re

FORBIDDEN: list[tuple[str, str]] = [
    # (pattern, what to write instead)
    (r"\bpraktijkgemeenschap\w*", "vakcommunity"),
    (r"\bcohort\w*", "trainingsgroep"),
    (r"\bgemeenschap\w*", "community"),
    (r"\bgroep(en)?\b", "community, or trainingsgroep"),  # compounds like trainingsgroep are fine
    (r"opleiding", "training"),
    (r"\bbezig\b", "loopt nu"),
    (r"\bnafase\b", "na de training"),
    (r"\bdeelnemer\w*", "lid, leden"),
    (r"\bvoormalig\w*", "oud-lid"),
    (r"\bbeheerder\w*", "moderator, or sitebeheerder for the site administrator"),  # sitebeheerder is fine
    (r"\badmins?\b", "sitebeheerder"),
    (r"\bdra(ad|den)\b", "discussie"),
    (r"\btopics?\b", "discussie"),
    (r"\bposts?\b", "bericht"),
    (r"\bbeste antwoord", "geaccepteerd antwoord"),
    (r"\bdeskundige\w*", "expert"),
    (r"\b(ge)?noem(en|de|den|t|d)?\b", "vermelden"),
    (r"\bnotificatie\w*", "melding"),
    (r"\bgesloten\b", "op slot (gesloten is one letter from besloten)"),
    (r"\bsluit(en)?\b", "op slot zetten"),  # afsluiten, uitsluiten are other words
    (r"\bpriv[ée]\b", "besloten"),
    (r"\b(ge)?weiger\w*", "afwijzen"),
    (r"\baan(ge)?meld\w*", "inloggen"),
    (r"\bmeld\w*\s+(je|jezelf)\s+aan\b", "inloggen"),  # "melden" of a flag (gemeld) is fine
    (r"\binlognaam\w*", "gebruikersnaam"),
    (r"\bbron(nen)?\b", "materiaal"),
    (r"\bresources?\b", "materiaal"),
    (r"\bwebinars?\b", "live sessie"),
    (r"\bbladwijzer\w*", "bewaren, bewaard"),
    # je, never u
    (r"\bu\b", "je"),
    (r"\buw\b", "je, jouw"),
    # Groene Boekje spelling, one apostrophe style
    (r"[‘’]", "the straight apostrophe '"),
    (r"\bcommunit(ies|ys)\b", "community's"),
    (r"\bids\b", "id's"),
    (r"\bemail", "e-mail, e-mailadres"),
    (r"\be-mail\s+adres", "e-mailadres"),
    (r"(\d|%\(\w+\)[sd]) tot (?!en met)(\d|%\()", "3 tot en met 30"),
    (r"\bachteruit\s+rij\w*", "achteruitrijden"),
    (r"\bkassa-rooster", "kassarooster"),
]

CONCEPTS: list[tuple[str, str, str | None]] = [
    # (English, the Dutch word it needs, a Dutch word it must not use)
    (r"\bcommunit(y|ies)\b", r"communit", None),
    (r"\bcommunit(y|ies) of practice\b", r"vakcommunit", None),
    (r"\bcohort groups?\b", r"trainingsgroep", None),
    (r"\btrainings?\b", r"training", None),
    (r"\brunning\b", r"loopt nu", None),
    (r"\bfollow-up\b", r"na de training", None),
    (r"\bmembers?\b", r"lid|leden", None),
    (r"\bformer member\b", r"oud-lid", None),
    (r"\bowners?\b", r"eigena", None),
    (r"\bmoderators?\b", r"moderator", None),
    (r"\bsite administrators?\b", r"sitebeheerder", None),
    (r"\bthreads?\b", r"discussie", None),
    (r"\b(this|the|a|your|such|another) post\b|\bposts\b", r"bericht", None),  # not the verb "to post"
    (r"\brepl(y|ies|ied|ying)\b", r"reactie|reag", r"antwoord"),
    (r"\breactions?\b", r"emoji", r"reactie"),
    (r"\bquestions?\b", r"vra(a|)g", None),
    (r"\banswer", r"antwoord", None),
    (r"\baccepted answer", r"geaccepteerd", None),
    (r"\bexpert", r"expert", None),
    (r"\bmention", r"vermeld", None),
    (r"\bnotifications?\b", r"melding", None),
    (r"\b(un)?lock(ed)?\b", r"op slot|van slot", None),
    (r"\bprivate\b", r"besloten", None),
    (r"\bpublic\b", r"openbaar", None),
    (r"\b(refuse|decline|turned down)", r"afwijz|afgewezen", None),
    (r"\bsign(ed)? (in|out)\b", r"\blog\b|inlog|ingelogd|uitlog|uitgelogd", None),
    (r"\busernames?\b|\blogin\b", r"gebruikersnaam", None),
    (r"\bresources?\b", r"materiaal", None),
    (r"\bchat\b", r"chat", None),
    (r"\blive sessions?\b", r"live sessie", None),
    (r"\bbookmark", r"bewa(ar|ren|ard)", None),
    (r"\bsearch", r"zoek", None),
]


def forbidden_words(text: str) -> list[str]:
    """The glossary breaches in one Dutch text, as "word (say: …)"."""
    found = []
    for pattern, instead in FORBIDDEN:
        for match in re.finditer(pattern, text, re.IGNORECASE):
            found.append((match.start(), f"{match.group(0)!r} (say: {instead})"))
    return [breach for _, breach in sorted(found)]


def concept_breaches(english: str, dutch: str) -> list[str]:
    """Where a translation names a glossary concept with another word than the glossary's."""
    found = []
    for source, needed, wrong in CONCEPTS:
        if not re.search(source, english, re.IGNORECASE):
            continue
        if not re.search(needed, dutch, re.IGNORECASE):
            found.append(f"{source} needs {needed}")
        if wrong and re.search(wrong, dutch, re.IGNORECASE):
            found.append(f"{source} must not say {wrong}")
    return found
