"""Reading Q&A: question lists, a question with its answers, similar questions, tags and their experts.

These are what the pages and the API show; each is a fixed number of
queries whatever the size. A question page: the question with its community
and the caller's membership (one query), its tags, every answer in display
order with its author (one query), the caller's votes on the question and
all answers (one query), and the authors' expertise (``expertise.prefetch``).
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, or_, select, true
from sqlalchemy.orm import joinedload

from ..access import readable_filter, sees_hidden
from ..accounts.models import User
from ..accounts.service import stat_provider
from ..communities.models import Community
from ..content.context import shown_in_list
from ..content.tags import TAG, normalize_tag
from ..errors import BadRequest, Invalid
from ..extensions import db
from ..pagination import Page, paginate
from . import expertise, routing, rules
from .models import Answer, ExpertRequest, Question, QuestionTag, Vote
from .ranking import ExpertStats

STATUSES = ("unanswered", "answered", "accepted")
SORTS = ("newest", "votes", "active")


def question_tags(question_ids: list[int]) -> dict[int, list[str]]:
    """Each question's tags in the order given, for many questions in one query."""
    if not question_ids:
        return {}
    tags: dict[int, list[str]] = {}
    rows = db.session.execute(select(QuestionTag.question_id, QuestionTag.tag)
                              .where(QuestionTag.question_id.in_(question_ids))
                              .order_by(QuestionTag.question_id, QuestionTag.position))
    for question_id, tag in rows:
        tags.setdefault(question_id, []).append(tag)
    return tags


@dataclass
class QuestionSummary:
    question: Question
    tags: list[str]


def _choice(name: str, value, options: tuple[str, ...], default):
    if value in (None, ""):
        return default
    if value not in options:
        raise Invalid({name: str(_l("Choose one of: %(options)s.", options=", ".join(options)))})
    return value


def list_questions(user, community: Community, *, tag: str | None = None, status: str | None = None,
                   sort: str | None = None, limit: int = 20, cursor: str | None = None,
                   with_expertise: bool = True) -> Page:
    """A community's questions: ``sort`` newest (default), votes or active; ``status`` unanswered
    (no answer yet), answered (at least one) or accepted; ``tag`` one tag. Items are ``QuestionSummary``."""
    shown = shown_in_list(user, community, Question.hidden_at)
    status = _choice("status", status, STATUSES, None)
    sort = _choice("sort", sort, SORTS, "newest")
    stmt = select(Question).options(joinedload(Question.author)).where(Question.community_id == community.id, shown)
    if tag:
        stmt = stmt.where(Question.id.in_(select(QuestionTag.question_id)
                                          .where(QuestionTag.tag == normalize_tag(tag))))
    if status == "unanswered":
        stmt = stmt.where(Question.answer_count == 0)
    elif status == "answered":
        stmt = stmt.where(Question.answer_count > 0)
    elif status == "accepted":
        stmt = stmt.where(Question.accepted_answer_id.is_not(None))
    column = {"newest": Question.created_at, "votes": Question.score, "active": Question.last_activity_at}[sort]
    page = paginate(stmt, (column, Question.id), lambda q: (getattr(q, column.key), q.id), limit=limit,
                    cursor=cursor, descending=True)
    tags = question_tags([q.id for q in page.items])
    if with_expertise:  # the user objects of the API carry it; the HTML list does not show it
        expertise.prefetch({q.author_id for q in page.items}, user)
    page.items = [QuestionSummary(q, tags.get(q.id, [])) for q in page.items]
    return page


def questions_with_tag(user, tag: str, *, limit: int = 20, cursor: str | None = None) -> Page:
    """Newest first, the questions on ``tag`` in every community ``user`` may read: a tag's page.

    Items are ``QuestionSummary`` with the question's community loaded (the
    page names it). The filter is ``access.readable_filter``, so a private
    community's questions are neither shown nor counted.
    """
    name = normalize_tag(tag)
    if not TAG.fullmatch(name):
        return Page([], None)
    stmt = (select(Question).options(joinedload(Question.author), joinedload(Question.community))
            .join(Community, Community.id == Question.community_id)
            .where(readable_filter(user), Question.hidden_at.is_(None),
                   Question.id.in_(select(QuestionTag.question_id).where(QuestionTag.tag == name))))
    page = paginate(stmt, (Question.created_at, Question.id), lambda q: (q.created_at, q.id), limit=limit,
                    cursor=cursor, descending=True)
    tags = question_tags([q.id for q in page.items])
    page.items = [QuestionSummary(q, tags.get(q.id, [])) for q in page.items]
    return page


def popular_tags(community: Community, *, limit: int = 12) -> list[str]:
    """The community's most asked-about tags, most used first: the choices of the tag filter and the ask form.

    One grouped query, no experts: ``list_tags`` ranks experts per tag, which a
    list page does not show. The caller has checked that the reader may read the community.
    """
    uses = func.count().label("uses")
    rows = db.session.execute(select(QuestionTag.tag, uses).join(Question, Question.id == QuestionTag.question_id)
                              .where(Question.community_id == community.id)
                              .group_by(QuestionTag.tag).order_by(uses.desc(), QuestionTag.tag).limit(limit))
    return [tag for tag, _uses in rows]


def answer_question_id(user, answer_id: int) -> int:
    """The question an answer belongs to, if ``user`` may read it (else ``NotFound``)."""
    answer, _ctx = rules.answer_context(user, answer_id)
    return answer.question_id


@dataclass(slots=True)
class AnswerRecord:
    """An answer read for display: the attributes of ``Answer``, without ORM bookkeeping."""

    id: int
    question_id: int
    author_id: int | None
    body: str
    body_html: str
    score: int
    created_at: datetime
    edited_at: datetime | None
    hidden_at: datetime | None = None
    author: User | None = None
    accepted: bool = False
    my_vote: int = 0


_ANSWER_COLUMNS = [Answer.__table__.c[name] for name in (
    "id", "question_id", "author_id", "body", "body_html", "score", "created_at", "edited_at", "hidden_at")]


@dataclass
class QuestionView:
    """A question as one reader sees it: ``answers`` accepted first, then by score, then oldest."""

    ctx: rules.QuestionContext
    tags: list[str]
    answers: list[AnswerRecord]
    my_vote: int
    abilities: rules.Abilities
    asked: list[str] = field(default_factory=list)  # usernames of the experts asked so far

    @property
    def question(self) -> Question:
        return self.ctx.question


def answers_in_order(question: Question, *, with_hidden: bool = False) -> list[AnswerRecord]:
    """Every answer (hidden ones too ``with_hidden``), accepted first, then by score, then oldest, with authors."""
    accepted_first = case((Answer.id == question.accepted_answer_id, 0), else_=1)
    shown = true() if with_hidden else Answer.hidden_at.is_(None)
    rows = db.session.execute(select(*_ANSWER_COLUMNS).where(Answer.question_id == question.id, shown)
                              .order_by(accepted_first, Answer.score.desc(), Answer.created_at, Answer.id))
    answers = [AnswerRecord(*row) for row in rows]
    ids = {a.author_id for a in answers if a.author_id is not None}
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
    for answer in answers:
        answer.author = users.get(answer.author_id)
        answer.accepted = answer.id == question.accepted_answer_id
    return answers


def _my_votes(user, question_id: int, answer_ids: list[int]) -> tuple[int, dict[int, int]]:
    uid = rules.user_id(user)
    if uid < 0:
        return 0, {}
    rows = db.session.execute(select(Vote.kind, Vote.target_id, Vote.value).where(
        Vote.user_id == uid, or_(and_(Vote.kind == "question", Vote.target_id == question_id),
                                 and_(Vote.kind == "answer", Vote.target_id.in_(answer_ids)))))
    mine_q, mine_a = 0, {}
    for kind, target_id, value in rows:
        if kind == "question":
            mine_q = value
        else:
            mine_a[target_id] = value
    return mine_q, mine_a


def asked_experts(question_id: int) -> list[str]:
    """Usernames of the people asked to answer, in the order they were asked."""
    return list(db.session.scalars(select(User.username).join(ExpertRequest, ExpertRequest.user_id == User.id)
                                   .where(ExpertRequest.question_id == question_id)
                                   .order_by(ExpertRequest.asked_at, ExpertRequest.id)))


def question_view(user, question_id: int, *, with_expertise: bool = True) -> QuestionView:
    """The question with its answers as ``user`` sees it; ``NotFound`` if they may not read it."""
    ctx = rules.question_context(user, question_id)
    question = ctx.question
    answers = answers_in_order(question, with_hidden=sees_hidden(user, ctx.community, ctx.membership))
    my_vote, mine = _my_votes(user, question.id, [a.id for a in answers])
    for answer in answers:
        answer.my_vote = mine.get(answer.id, 0)
    if with_expertise:  # for the API's user objects; the page shows names only (measured: half its time)
        expertise.prefetch({question.author_id, *(a.author_id for a in answers)}, user)
    return QuestionView(ctx, question_tags([question.id]).get(question.id, []), answers, my_vote,
                        rules.abilities(user, ctx), asked_experts(question.id))


def experts_to_ask(user, question_id: int, *, limit: int = 5) -> list[ExpertStats]:
    """Experts on the question's tags who may read it and were not asked yet, best first: for "ask an expert"."""
    ctx = rules.question_context(user, question_id)
    question = ctx.question
    exclude = routing.already_asked(question.id) | {rules.user_id(user)}
    return routing.choose_experts(question, ctx.community, routing.question_tags(question.id), exclude=exclude,
                                  limit=limit)


# --- similar questions ---------------------------------------------------------------------------

_WORD = re.compile(r"\w+")
#: Words too common to make two titles alike (Dutch and English).
STOPWORDS = frozenset("""
de het een en van in op te dat die voor met aan er is zijn niet of als bij ook tot uit
door over naar maar wat hoe wie waar wanneer waarom welke kan kun kunnen moet moeten je jij
jullie ik we wij mijn mag wordt worden heb heeft hebben dit deze om nog geen wel
the a an and of in on to that for with at is are be it or as by from how what who where when
why which can could should do does my your you we our this these not no yes
""".split())


def title_words(text: str) -> set[str]:
    """The words of a title that make it like another: lowercase, at least three letters, no stopwords."""
    return {w for w in _WORD.findall(text.lower()) if len(w) >= 3 and w not in STOPWORDS}


@dataclass
class SimilarQuestion:
    question_id: int
    title: str
    accepted_answer_id: int | None
    answer_count: int
    score: int
    created_at: datetime
    overlap: float


def _overlap(words: set[str], other: set[str]) -> int:
    """How many of ``words`` the other title has, counting a word typed half-way (``heftr``) as met."""
    return sum(1 for w in words if w in other or any(o.startswith(w) or w.startswith(o) for o in other))


SIMILAR_SCAN = 500  # candidates read at most: the newest titles sharing a word


def similar_questions(user, community: Community, title: str, limit: int = 5) -> list[SimilarQuestion]:
    """Up to ``limit`` earlier questions like ``title``, best first: the search index's, then by word overlap.

    The index matches word forms and compounds (``heftrucks`` finds
    "heftruck certificaat") and ranks as search does (accepted and
    well-voted questions higher); a title still being typed ends in half a
    word, which only the overlap ranking's prefixes catch, so it fills the
    remaining places.
    """
    rules.require_read_community(user, community)
    found = _similar_by_index(user, community, title or "", limit)
    if len(found) < limit:
        seen = {s.question_id for s in found}
        found += [s for s in _similar_by_overlap(community, title or "", limit) if s.question_id not in seen]
    return found[:limit]


def _similar_by_index(user, community: Community, title: str, limit: int) -> list[SimilarQuestion]:
    from ..search.query import similar  # the index answers; Q&A owns what a similar question is

    hits = similar(user, title, community_id=community.id, types=("question",), limit=limit)
    if not hits:
        return []
    scores = {entry.id: score for entry, score in hits}
    rows = db.session.execute(
        select(Question.id, Question.title, Question.accepted_answer_id, Question.answer_count, Question.score,
               Question.created_at).where(Question.id.in_(scores), Question.community_id == community.id,
                                          Question.hidden_at.is_(None)))
    by_id = {row[0]: SimilarQuestion(*row, scores[row[0]]) for row in rows}
    return [by_id[qid] for qid in scores if qid in by_id]


def _similar_by_overlap(community: Community, title: str, limit: int) -> list[SimilarQuestion]:
    """The share of the typed title's words found in theirs (a prefix counts), then accepted, score, newest."""
    words = title_words(title)
    if not words:
        return []
    longest = sorted(words, key=len, reverse=True)[:8]
    lowered = func.lower(Question.title)
    rows = db.session.execute(
        select(Question.id, Question.title, Question.accepted_answer_id, Question.answer_count, Question.score,
               Question.created_at)
        .where(Question.community_id == community.id, Question.hidden_at.is_(None),
               or_(*[lowered.contains(w[:6]) for w in longest]))
        .order_by(Question.id.desc()).limit(SIMILAR_SCAN))
    found = []
    for qid, qtitle, accepted, answers, score, created in rows:
        n = _overlap(words, title_words(qtitle))
        if n:
            found.append(SimilarQuestion(qid, qtitle, accepted, answers, score, created, n / len(words)))
    found.sort(key=lambda s: (-s.overlap, s.accepted_answer_id is None, -s.score, -s.question_id))
    return found[:limit]


# --- tags and experts ----------------------------------------------------------------------------

@dataclass
class TagSummary:
    name: str
    question_count: int
    experts: list[str]


def list_tags(user, *, community: Community | None = None, q: str | None = None, limit: int = 20,
              cursor: str | None = None) -> Page:
    """Tags of the questions ``user`` may read (in ``community``, starting with ``q``), most used first.

    Each with its top five experts by ``rank_experts`` (among those who may read
    ``community`` when one is given).
    """
    if community is not None:
        rules.require_read_community(user, community)
    n = func.count().label("n")
    stmt = (select(QuestionTag.tag.label("tag"), n).join(Question, Question.id == QuestionTag.question_id)
            .join(Community, Community.id == Question.community_id)
            .where(readable_filter(user), Question.hidden_at.is_(None))  # a hidden question is not counted
            .group_by(QuestionTag.tag))
    if community is not None:
        stmt = stmt.where(Question.community_id == community.id)
    if q:
        prefix = normalize_tag(q)
        stmt = stmt.where(QuestionTag.tag.startswith(prefix, autoescape=True))
    sub = stmt.subquery()
    page = paginate(select(sub.c.tag, sub.c.n), (sub.c.n, sub.c.tag), lambda r: (r.n, r.tag), limit=limit,
                    cursor=cursor, descending=True, scalars=False)
    names = [row.tag for row in page.items]
    experts = experts_by_tag(user, names, community=community)
    page.items = [TagSummary(row.tag, row.n, [e.username for e in experts.get(row.tag, [])[:5]])
                  for row in page.items]
    return page


def experts_by_tag(user, tags: list[str], *, community: Community | None = None) -> dict[str, list[ExpertStats]]:
    """Each tag's experts, best first; with ``community``, only those who may read it."""
    ranked = expertise.experts_by_tag(tags, viewer=user)
    if community is None:
        return ranked
    allowed = expertise.readers(community, {e.user_id for experts in ranked.values() for e in experts})
    return {tag: [e for e in experts if e.user_id in allowed] for tag, experts in ranked.items()}


def _offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        value = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))["o"]
        if type(value) is not int or value < 0:
            raise ValueError
        return value
    except (ValueError, TypeError, KeyError):
        raise BadRequest(_l("The cursor is not valid.")) from None


def tag_experts(user, tag: str, *, community: Community | None = None, limit: int = 20,
                cursor: str | None = None) -> Page:
    """The experts on ``tag``, best first (``rank_experts``); items are ``ExpertStats``.

    The whole ranking is computed and a page taken from it, so the cursor
    is an offset into the ranking.
    """
    if community is not None:
        rules.require_read_community(user, community)
    name = normalize_tag(tag)
    if not TAG.fullmatch(name):
        return Page([], None)
    experts = experts_by_tag(user, [name], community=community).get(name, [])
    start = _offset(cursor)
    items = experts[start:start + limit]
    more = start + limit < len(experts)
    token = base64.urlsafe_b64encode(json.dumps({"o": start + limit}).encode()).decode().rstrip("=")
    return Page(items, token if more else None)


def expert_profile(user, person: User) -> dict:
    """What a profile shows of someone's expertise: each tag's entry and their median response time."""
    medians = expertise.response_medians([person.id])
    return {"expertise": expertise.user_expertise(person, user),
            "median_response_seconds": medians.get(person.id)}


# --- counts for GET /users/{username} -----------------------------------------------------------

@stat_provider("questions")
def count_questions(user: User, viewer) -> int:
    """Questions ``user`` asked that ``viewer`` may read."""
    return db.session.scalar(select(func.count()).select_from(Question)
                             .join(Community, Community.id == Question.community_id)
                             .where(Question.author_id == user.id, Question.hidden_at.is_(None),
                                    readable_filter(viewer))) or 0


@stat_provider("answers")
def count_answers(user: User, viewer) -> int:
    return db.session.scalar(select(func.count()).select_from(Answer)
                             .join(Question, Question.id == Answer.question_id)
                             .join(Community, Community.id == Question.community_id)
                             .where(Answer.author_id == user.id, Answer.hidden_at.is_(None),
                                    Question.hidden_at.is_(None),
                                    readable_filter(viewer))) or 0


@stat_provider("accepted_answers")
def count_accepted_answers(user: User, viewer) -> int:
    return db.session.scalar(select(func.count()).select_from(Answer)
                             .join(Question, Question.accepted_answer_id == Answer.id)
                             .join(Community, Community.id == Question.community_id)
                             .where(Answer.author_id == user.id, readable_filter(viewer))) or 0
