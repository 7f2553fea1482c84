"""Safe retries: a request sent again with the same key writes nothing twice.

Every route that creates something wears ``@idempotent``. The key comes from
the API's ``Idempotency-Key`` header, or from the ``idempotency_key`` field
that every creating HTML form carries (``form_key()``, a new one per rendered
form). The same key from the same caller within 24 hours gets the first
answer again (status, body, ``Location``) and writes nothing; a form sent
again is sent where the first submission went.

Why it cannot double a write:

1. **Claim and write in one transaction.** The claim is inserted (``ON
   CONFLICT DO NOTHING`` on the unique ``(scope, key)``) in the transaction
   the view then carries on in, and the session's ``before_commit`` hook marks
   it ``written`` in the commit that carries the action's write. The claim,
   the write and the mark commit together or not at all: a crash before the
   commit leaves nothing, so a retry simply does the work; a crash after it
   leaves a written claim, so a retry gets 409 (carried out, answer lost)
   instead of a second write.
2. **Racing retries wait.** A second request with the key waits for the
   first one's commit (SQLite's write lock; PostgreSQL's unique index) and
   then repeats its answer, or after ``WAIT_SECONDS`` gets 409 "in progress".
3. **Answer.** Once the response is made (error pages included) it is stored
   with the claim; a request that wrote nothing (refused, invalid) gives the
   key back, so a corrected form can be sent with the same key.

The codes follow the IETF draft "The Idempotency-Key HTTP Header Field": 422
for a key reused with another request (another path or body), 409 for one
still in progress, 400 for a malformed key.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import wraps

from flask import Flask, Response, after_this_request, flash, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import Index, String, Text, UniqueConstraint, delete, event, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from .database import end_reads
from .errors import Conflict
from .extensions import db
from .timeutil import utcnow

log = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
FORM_FIELD = "idempotency_key"
KEY_MAX = 100
TTL = timedelta(hours=24)
#: A claim this old without an answer belongs to a request that died: a retry takes it over if
#: it wrote nothing, and is told "carried out, answer lost" if it did.
LEASE = timedelta(seconds=60)
#: How long a retry waits for the first request's answer before it says "in progress".
WAIT_SECONDS = 5.0
POLL_SECONDS = 0.05

# Form fields that are not part of what the user sent.
_NOT_CONTENT = frozenset({"csrf_token", FORM_FIELD})
_CLAIM = "idempotency.claim"
_WROTE = "idempotency.wrote"
# Updates and deletes here touch no loaded object: skip the ORM's search of the session for them.
_BULK = {"synchronize_session": False}


class IdempotencyKey(db.Model):
    """One claimed key: who (``scope``), which request (``fingerprint``), and its answer once known."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (
        UniqueConstraint("scope", "key"),
        Index("ix_idempotency_keys_created_at", "created_at"),  # the purge of expired keys
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(80))       # "user:7", or "request:<fingerprint>" for sign-up
    key: Mapped[str] = mapped_column(String(KEY_MAX))
    fingerprint: Mapped[str] = mapped_column(String(64))  # SHA-256 of method, path and body
    claim: Mapped[str] = mapped_column(String(32))        # which request holds it
    claimed_at: Mapped[datetime]
    created_at: Mapped[datetime]
    written: Mapped[bool] = mapped_column(default=False)  # set in the transaction of the action's write
    status: Mapped[int | None]
    content_type: Mapped[str | None] = mapped_column(String(100))
    location: Mapped[str | None] = mapped_column(String(2000))
    body: Mapped[str | None] = mapped_column(Text)


class ClaimLost(Conflict):
    """A view committed its claim before writing, then outlived the lease: a retry took the key over,
    so this request's write must not commit."""


@dataclass
class _Claim:
    scope: str
    key: str
    fingerprint: str
    token: str = field(default_factory=lambda: secrets.token_hex(16))
    id: int | None = None
    written: bool = False


# --- the key and the request -------------------------------------------------------------


def valid_key(key: str) -> bool:
    """1 to 100 printable ASCII characters (what an HTTP header can carry as is)."""
    return 0 < len(key) <= KEY_MAX and all(" " <= ch <= "~" for ch in key)


def _sent_key() -> str | None:
    """The request's key, from the header or the form field; None when there is none."""
    key = request.headers.get(HEADER)
    if key is None and request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        key = request.form.get(FORM_FIELD)
    return key


def form_key() -> str:
    """For templates: the key of a form being shown again after an error, else a new one.

    A form shown again wrote nothing (its claim was given back), so its key
    is still good; sending the corrected form twice still posts once.
    """
    sent = request.form.get(FORM_FIELD) if request.method == "POST" else None
    return sent if sent and valid_key(sent) else secrets.token_urlsafe(18)


def _fingerprint() -> str:
    """What makes two requests the same one: method, path, query and body.

    A form counts by its fields (without the CSRF token and the key) and the
    contents of its files; anything else by its bytes as sent.
    """
    digest = hashlib.sha256(f"{request.method} {request.full_path}\n".encode())
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for name, value in sorted(request.form.items(multi=True)):
            if name not in _NOT_CONTENT:
                digest.update(f"{name}={value}\n".encode("utf-8", "surrogatepass"))
        for name, upload in sorted(request.files.items(multi=True), key=lambda item: item[0]):
            digest.update(f"{name}:{upload.filename}:".encode("utf-8", "surrogatepass"))
            while chunk := upload.stream.read(65536):
                digest.update(chunk)
            upload.stream.seek(0)
    else:
        digest.update(request.get_data(cache=True))
    return digest.hexdigest()


# --- claiming, waiting, answering ----------------------------------------------------------


def _insert_ignore(values: dict) -> int | None:
    """Insert unless ``(scope, key)`` exists: the new row's id, or None.

    RETURNING, not ``rowcount``: on PostgreSQL SQLAlchemy adds ``RETURNING id``
    to this insert itself, and ``rowcount`` then does not say whether a row
    went in (measured: never 1).
    """
    insert = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}.get(db.session.get_bind().dialect.name)
    if insert is not None:
        return db.session.scalar(insert(IdempotencyKey).values(**values).on_conflict_do_nothing()
                                 .returning(IdempotencyKey.id))
    try:
        with db.session.begin_nested():
            row = IdempotencyKey(**values)
            db.session.add(row)
        return row.id
    except IntegrityError:
        return None


def _insert_claim(claim: _Claim, *, written: bool) -> bool:
    now = utcnow()
    row_id = _insert_ignore({"scope": claim.scope, "key": claim.key, "fingerprint": claim.fingerprint,
                             "claim": claim.token, "claimed_at": now, "created_at": now, "written": written})
    if row_id is None:
        return False
    claim.id = row_id
    return True


def _try_claim(claim: _Claim, *, expired_first: bool = False) -> bool:
    """Insert the claim in a new transaction and leave it open for the view; False if the key is taken.

    The transaction begins by writing, so on SQLite it waits its turn for the
    write lock (behind a first request still at work) and keeps it: SQLite
    makes a transaction that began by reading fail at once when it wants to
    write while another holds the lock, and this one cannot. ``expired_first``:
    this caller's own key expired but is still there (``_finish`` purges the rest).
    """
    if expired_first:
        db.session.execute(delete(IdempotencyKey).where(
            IdempotencyKey.scope == claim.scope, IdempotencyKey.key == claim.key,
            IdempotencyKey.created_at < utcnow() - TTL), execution_options=_BULK)
    if _insert_claim(claim, written=False):
        return True
    db.session.rollback()
    return False


_ROW = (IdempotencyKey.id, IdempotencyKey.claim, IdempotencyKey.claimed_at, IdempotencyKey.written,
        IdempotencyKey.fingerprint, IdempotencyKey.status, IdempotencyKey.content_type,
        IdempotencyKey.location, IdempotencyKey.body)


def before_slow_work() -> None:
    """Commit the open transaction (a claim, reads) before work that takes seconds, such as parsing a file.

    The claim's transaction began with a write, so on SQLite it holds the
    database's write lock until it ends: every other writer would wait out a
    file's extraction. Committed here, the claim stands alone (not yet
    ``written``; a retry meanwhile waits for it as usual) and the action's
    write later marks it in its own commit. Without a claim this only ends
    the reads. Loaded objects stay loaded.
    """
    end_reads()


def _read(scope: str, key: str):
    """The claim as plain values (an ORM object would reload itself, and open a transaction, later)."""
    row = db.session.execute(select(*_ROW).where(
        IdempotencyKey.scope == scope, IdempotencyKey.key == key,
        IdempotencyKey.created_at >= utcnow() - TTL)).first()  # an expired one is deleted by the next claim
    end_reads()  # the next look must see a newer snapshot
    return row


def _take_over(row, claim: _Claim) -> bool:
    """Take a claim whose request stopped before writing; only one retry wins. Leaves the transaction open."""
    done = db.session.execute(update(IdempotencyKey).where(
        IdempotencyKey.id == row.id, IdempotencyKey.claim == row.claim, IdempotencyKey.written.is_(False))
        .values(claim=claim.token, claimed_at=utcnow(), fingerprint=claim.fingerprint),
        execution_options=_BULK).rowcount
    if done != 1:
        db.session.rollback()
        return False
    claim.id = row.id
    return True


def _replay(row) -> Response:
    response = Response(row.body or "", status=row.status, content_type=row.content_type)
    if row.location:
        response.headers["Location"] = row.location
    response.headers["Idempotent-Replayed"] = "true"
    if not request.path.startswith("/api/") and 300 <= row.status < 400:
        flash(_l("This was sent already: nothing was added twice."), "info")
    return response


def _refusal(status: int, code: str, message, fields=None, headers=None) -> Response:
    from .web.errors import error_response

    body, status, headers = error_response(status, code, message, fields, headers)
    response = body if isinstance(body, Response) else Response(body, content_type="text/html; charset=utf-8")
    response.status_code = status
    response.headers.update(headers)
    return response


def _words(for_api, for_page):
    """The API's words name the header; a form's reader never saw one."""
    return for_api if request.path.startswith("/api/") else for_page


def _mismatch() -> Response:
    text = _words(_l("This Idempotency-Key was used for a different request. Use a new key for a new request."),
                  _l("This form was sent already with different content. Reload the page and send it again."))
    return _refusal(422, "invalid", text, fields={HEADER: text})


def _claim_or_answer(scope: str, key: str, fingerprint: str) -> _Claim | Response:
    """Hold the key for this request, or answer as the first request with it did."""
    claim = _Claim(scope, key, fingerprint)
    if _try_claim(claim):  # most keys are new
        return claim
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        row = _read(scope, key)
        stale = row is not None and row.claimed_at < utcnow() - LEASE
        if row is None or (stale and not row.written):
            if _try_claim(claim, expired_first=True) if row is None else _take_over(row, claim):
                return claim
        elif row.fingerprint != fingerprint:
            return _mismatch()
        elif row.status is not None:
            return _replay(row)
        elif row.written and stale:
            return _refusal(409, "conflict", _words(
                _l("The request with this Idempotency-Key was carried out, but its answer was lost. "
                   "It is not carried out again: look up what it made instead."),
                _l("This form was sent already and carried out. Look at the page to see the result.")))
        if time.monotonic() >= deadline:
            return _refusal(409, "conflict", _words(
                _l("A request with this Idempotency-Key is still being carried out. Try again in a moment."),
                _l("This form is still being sent. Wait a moment, then look at the page again.")),
                headers={"Retry-After": "1"})
        time.sleep(POLL_SECONDS)


def _finish(claim: _Claim, response: Response) -> None:
    """Keep the answer of a request that wrote; give the key back when it wrote nothing."""
    db.session.rollback()  # whatever the view left open, the claim of a view that never committed with it
    if claim.id is None:
        return
    mine = (IdempotencyKey.id == claim.id) & (IdempotencyKey.claim == claim.token)
    if claim.written:
        db.session.execute(update(IdempotencyKey).where(mine).values(
            status=response.status_code, content_type=response.content_type,
            location=response.headers.get("Location"), body=response.get_data(as_text=True)), execution_options=_BULK)
    else:  # committed early by a view that then wrote nothing
        db.session.execute(delete(IdempotencyKey).where(mine, IdempotencyKey.written.is_(False)),
                           execution_options=_BULK)
    db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < utcnow() - TTL),
                       execution_options=_BULK)  # the expired keys of everyone
    db.session.commit()


def _scope(kind: str, fingerprint: str) -> str | None:
    if kind == "request":
        return f"request:{fingerprint}"
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return None  # not signed in: the view refuses the request anyway


def idempotent(view=None, *, scope: str = "user"):
    """Decorator for a route that creates something (its POST; other methods pass through).

    ``scope="user"``: a key belongs to the signed-in caller. ``scope="request"``
    is for creating an account, when there is no caller yet: a key then only
    ever matches the identical request, so no two people can share one.
    """

    def decorate(func):
        @wraps(func)
        def wrapper(*args, **kwargs):
            key = _sent_key() if request.method == "POST" else None
            if key is None:
                return func(*args, **kwargs)
            key = key.strip() if request.headers.get(HEADER) is not None else key
            if not valid_key(key):
                text = _words(_l("An Idempotency-Key is 1 to 100 printable characters."),
                              _l("This form is damaged. Reload the page and try again."))
                return _refusal(400, "bad_request", text, fields={HEADER: text})
            fingerprint = _fingerprint()
            owner = _scope(scope, fingerprint)
            if owner is None:
                return func(*args, **kwargs)
            end_reads()  # the claim starts a transaction of its own, with a write
            outcome = _claim_or_answer(owner, key, fingerprint)
            if isinstance(outcome, Response):
                return outcome
            claim = outcome

            @after_this_request
            def store(response):
                db.session.info.pop(_CLAIM, None)
                try:
                    _finish(claim, response)
                except Exception:  # the answer is sent anyway; a retry then gets 409, never a second write
                    log.exception("could not store the answer for idempotency key %s", claim.id)
                    db.session.rollback()
                return response

            db.session.info[_CLAIM] = claim
            return func(*args, **kwargs)

        wrapper.idempotent = True
        return wrapper

    return decorate(view) if view is not None else decorate


# --- the session hooks: "written" in the same transaction as the write ---------------------


def _note_flush(session: Session, _context) -> None:
    if _CLAIM in session.info:
        session.info[_WROTE] = True


def _note_statement(state) -> None:
    if _CLAIM in state.session.info and (state.is_insert or state.is_update or state.is_delete):
        state.session.info[_WROTE] = True


def _forget_writes(session: Session, transaction) -> None:
    if transaction.parent is None:  # each transaction counts its own writes
        session.info.pop(_WROTE, None)


def _mark_written(session: Session) -> None:
    """``before_commit``: the first commit that carries a write also marks the claim written."""
    claim = session.info.get(_CLAIM)
    if claim is None or not (session.info.get(_WROTE) or session.new or session.dirty or session.deleted):
        return
    del session.info[_CLAIM]  # later commits (listeners) are not the action's write
    done = session.execute(update(IdempotencyKey).where(
        IdempotencyKey.id == claim.id, IdempotencyKey.claim == claim.token, IdempotencyKey.written.is_(False))
        .values(written=True), execution_options=_BULK).rowcount
    # No row: the view rolled its transaction (and the claim with it) back before writing: claim again.
    # A row of another request: a retry took the key over; then this write must not commit.
    if done != 1 and (session.scalar(select(IdempotencyKey.id).where(IdempotencyKey.id == claim.id))
                      is not None or not _insert_claim(claim, written=True)):
        raise ClaimLost(_l("A retry with the same Idempotency-Key took over this request; nothing was written."))
    claim.written = True


def install() -> None:
    """Hook the bookkeeping into every ORM session (idempotent)."""
    if not event.contains(Session, "before_commit", _mark_written):
        event.listen(Session, "before_commit", _mark_written)
        event.listen(Session, "after_flush", _note_flush)
        event.listen(Session, "do_orm_execute", _note_statement)
        event.listen(Session, "after_transaction_end", _forget_writes)


def init_app(app: Flask) -> None:
    install()
    app.jinja_env.globals["new_form_key"] = form_key


# --- the OpenAPI description ---------------------------------------------------------------

PARAMETER = {
    "name": HEADER, "in": "header", "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": KEY_MAX, "pattern": "^[ -~]+$"},
    "description": (
        "Makes a retry safe: the same key from the same user within 24 hours returns the first "
        "request's status and body again (with `Idempotent-Replayed: true`) and writes nothing. "
        "A key is never shared between users; without an account (`POST /users`) a key only ever "
        "matches the identical request. The same key with another path or body: 422; while the "
        "first request is still running: 409 with `Retry-After`. Only a request that wrote "
        "something keeps its key: a refused one may be sent again with the same key. "
        "`POST /tokens` ignores the header: repeating its answer would mean storing the new "
        "token's secret."),
}


def document(spec: dict, app: Flask, prefix: str) -> None:
    """Add the header to every idempotent operation in ``spec`` (the OpenAPI document)."""
    import re

    spec["components"].setdefault("parameters", {})["IdempotencyKey"] = PARAMETER
    for rule in app.url_map.iter_rules():
        view = app.view_functions.get(rule.endpoint)
        if not rule.rule.startswith(prefix + "/") or not getattr(view, "idempotent", False):
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule[len(prefix):])
        operation = spec["paths"].get(path, {}).get("post")
        if operation is None:
            continue
        operation.setdefault("parameters", []).append({"$ref": "#/components/parameters/IdempotencyKey"})
        for status in ("409", "422"):
            operation["responses"].setdefault(status, {"$ref": f"#/components/responses/E{status}"})
