"""A realistic Dutch demo: a regional store community and a forklift training cohort.

Everything goes through the same services a user's clicks do, so the demo
also exercises the real rules. ``seed()`` refuses a database that has it.
The trainings' dates are counted from today, and their names and texts are
made from those dates, so "Heftrucktraining november 2026" starts in November
2026 whenever the demo is seeded. Its Dutch follows ../shared/GLOSSARY-nl.md.
"""

from __future__ import annotations

from datetime import timedelta

from babel.dates import format_date
from sqlalchemy import select

from .accounts import service as accounts
from .accounts.models import User
from .communities import invite_links, memberships
from .communities import service as communities
from .extensions import db
from .timeutil import today, utcnow

DEMO_PASSWORD = "leerplein-demo"

PEOPLE = [
    # username, display name, bio
    ("marieke", "Marieke Jansen", "Trainer logistiek en heftruckinstructeur."),
    ("ahmed", "Ahmed El Amrani", "Filiaalmanager Zwolle-Zuid."),
    ("sanne", "Sanne de Boer", "Vakkenvuller, leert voor heftruckcertificaat."),
    ("joost", "Joost Visser", "Magazijnmedewerker, nachtploeg."),
    ("fatima", "Fatima Yilmaz", "Kassa en klantenservice, Deventer."),
    ("pieter", "Pieter Bakker", "Teamleider vers, Apeldoorn."),
    ("lotte", "Lotte Smit", "Nieuwe collega, wil meedoen met de heftrucktraining."),
]


class DemoExists(Exception):
    """The database has the demo already: ``seed`` runs once."""


def _month(day, pattern: str = "MMMM yyyy") -> str:
    """The month of ``day`` as a Dutch reader says it: "november 2026"."""
    return format_date(day, pattern, locale="nl")


def _user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username_key == username))


def seed() -> str:
    if _user("marieke") is not None:
        raise DemoExists("The demo is there already (user 'marieke' exists); it runs only once.")
    for username, name, bio in PEOPLE:
        accounts.register({"username": username, "email": f"{username}@demo.leerplein.nl",
                           "password": DEMO_PASSWORD, "display_name": name, "bio": bio, "locale": "nl"})
    marieke, ahmed = _user("marieke"), _user("ahmed")

    region = communities.create_community(ahmed, {
        "name": "Winkels Regio Oost",
        "description": "Voor alle winkelmedewerkers in regio Oost: vragen, tips en afspraken "
                       "over de vloer, de kassa, vers en het magazijn.",
        "kind": "practice", "visibility": "public", "join_policy": "open"})
    start = today() - timedelta(days=3)
    earlier = start - timedelta(days=70)
    cohort = communities.create_community(marieke, {
        "name": f"Heftrucktraining {_month(start)}",
        "description": "Voor iedereen van de heftrucktraining (theorie en praktijk). Stel hier je vragen: "
                       "voor, tijdens en na de training.",
        "kind": "cohort", "visibility": "public", "join_policy": "approval",
        "starts_on": start.isoformat(), "ends_on": (start + timedelta(days=10)).isoformat()})
    follow_up = communities.create_community(marieke, {
        "name": f"Heftrucktraining {_month(earlier)}",
        "description": f"Voor iedereen die in {_month(earlier, 'MMMM')} de heftrucktraining heeft gedaan: "
                       "de terugkomdag en de vragen van daarna.",
        "kind": "cohort", "visibility": "private", "join_policy": "invite",
        "starts_on": earlier.isoformat(), "ends_on": (earlier + timedelta(days=10)).isoformat()})

    for username in ("sanne", "joost", "fatima", "pieter", "marieke"):
        memberships.join_community(_user(username), region)
    memberships.update_member(ahmed, region, "pieter", {"role": "moderator"})
    for username in ("sanne", "joost"):
        _, token = invite_links.create_invite(marieke, cohort, {"max_uses": 1})
        memberships.join_community(_user(username), cohort, token)
    memberships.join_community(_user("lotte"), cohort)  # waits for Marieke's approval
    _, token = invite_links.create_invite(marieke, follow_up, {})
    memberships.join_community(_user("pieter"), follow_up, token)
    memberships.update_member(marieke, follow_up, "pieter",
                              {"muted_until": (utcnow() + timedelta(hours=2)).isoformat()})
    threads = _discussions(region, cohort, follow_up)
    questions = _questions(region, cohort)
    messages = _chat(region, cohort)
    return (f"Demo ready: {len(PEOPLE)} people (password '{DEMO_PASSWORD}'), communities "
            f"'{region.slug}', '{cohort.slug}' and '{follow_up.slug}', {threads} threads, {questions} questions, "
            f"{messages} chat messages.")


def _chat(region, cohort) -> int:
    """A short morning in two chats, one message of which is a question waiting to be asked properly."""
    from .chat import service as chat

    lines = [
        (region, "fatima", "Goedemorgen! Kassa 3 geeft weer een foutmelding bij pinnen. Iemand een idee?"),
        (region, "pieter", "Even de terminal opnieuw opstarten, dat helpt meestal. Anders de storingslijn bellen."),
        (region, "joost", "Hoe lang mag een pallet met diepvries eigenlijk buiten de vriescel staan?"),
        (region, "ahmed", "@joost goede vraag, zet hem als vraag neer, dan komt hij bij de experts."),
        (cohort, "sanne", "Zijn de hesjes voor de praktijkdag er morgen ook, of moeten we die zelf meenemen?"),
        (cohort, "marieke", "Ze liggen klaar bij de ingang van de hal. Tot morgen!"),
    ]
    for community, username, body in lines:
        chat.post_message(_user(username), community, body)
    return len(lines)


def _questions(region, cohort) -> int:
    """Experts on their tags, questions routed to them, an accepted answer and votes."""
    from .qa import service as qa

    qa.set_expertise(_user("marieke"), ["heftruck", "veiligheid", "accu"])
    qa.set_expertise(_user("fatima"), ["kassa", "klantenservice"])
    qa.set_expertise(_user("pieter"), ["vers", "rooster"])
    qa.endorse(_user("sanne"), "marieke", "heftruck")
    qa.endorse(_user("ahmed"), "fatima", "kassa")

    accu = qa.ask_question(_user("sanne"), cohort, "Mag ik rijden als het acculampje rood knippert?",
                           "Halverwege de dienst knippert het lampje op de heftruck rood. Nog even doorrijden "
                           "of meteen naar de lader?", ["heftruck", "accu"]).question
    first = qa.post_answer(_user("marieke"), accu.id, "Meteen naar de lader. Onder de 20% beschadig je de accu, "
                                                      "en je mag de truck **niet** met een knipperend lampje "
                                                      "in een gangpad laten staan.")
    qa.post_answer(_user("joost"), accu.id, "Bij ons op de nachtploeg zetten we hem dan aan de snellader.")
    qa.vote(_user("joost"), "answer", first.id, 1)
    qa.vote(_user("sanne"), "answer", first.id, 1)
    qa.accept_answer(_user("sanne"), accu.id, first.id)

    qa.ask_question(_user("joost"), region, "Hoe draai ik een bon terug als de klant al betaald heeft?",
                    "Een klant wilde een artikel toch niet meer. Moet dat via de teamleider?", ["kassa"])
    qa.ask_question(_user("sanne"), region, "Wie maakt het rooster voor de feestdagen?",
                    "Ik wil graag weten wanneer ik mijn wensen voor december kan doorgeven.", ["rooster"])
    return 3


def _discussions(region, cohort, follow_up) -> int:
    """A few threads with nested replies, a mention and reactions, written as the members would."""
    from .discussions import service as discussions

    def reply(username, thread, body, parent=None):
        return discussions.post_reply(_user(username), thread.id, body, parent)

    toets = discussions.start_thread(
        _user("sanne"), cohort, title="Tips voor de praktijktoets heftruck",
        body="Volgende week is mijn praktijktoets. Waar letten de examinatoren vooral op?\n\n"
                "- stapelen op hoogte\n- achteruitrijden met last\n- de dagelijkse controle",
        tags=["heftruck", "examen"])
    first = reply("marieke", toets, "Begin **altijd** met de dagelijkse controle: banden, vorken, kettingen, "
                                    "hydrauliek en de claxon. Daar zakken de meeste mensen op.")
    reply("joost", toets, "En kijk achterom voordat je achteruitrijdt, ook als de spiegel goed staat.", first.id)
    reply("sanne", toets, "Dank! @marieke, mogen we de controlelijst meenemen naar de toets?", first.id)
    discussions.react(_user("sanne"), first.id, "👍")
    discussions.react(_user("joost"), first.id, "❤️")
    discussions.change_thread(_user("marieke"), toets.id, pinned=True)

    next_month = _month((today().replace(day=1) + timedelta(days=31)).replace(day=1), "MMMM")
    rooster = discussions.start_thread(
        _user("fatima"), region, title=f"Kassarooster voor {next_month}",
        body=f"Wie weet al hoe het kassarooster voor {next_month} eruitziet? Zie ook "
                "https://www.example.org/rooster (intranet).",
        tags=["rooster"])
    reply("pieter", rooster, "Het rooster komt uiterlijk een week van tevoren online. "
                             "Ruilen kan via je teamleider.")
    discussions.start_thread(
        _user("marieke"), follow_up, title="Terugkomdag: hoe gaat het nu op de vloer?",
        body="Twee maanden na de training: wat lukt goed, waar loop je nog tegenaan?")
    return 3
