"""What can be searched: one registration per content type.

A capability makes its content searchable with one call, and search never
imports the capability::

    searchable(SearchType(
        name="thread",
        load=load_threads,            # ids -> {id: Entry} for those that exist and may be shown
        batches=thread_id_batches,    # every id that should be indexed, in batches (rebuild)
        count=count_threads,          # how many that is (the start-up check)
        events={ThreadStarted: lambda e: [e.thread_id], ThreadChanged: ...},
    ))

``load`` is the single source of truth for both indexing and showing a hit:
what it does not return (deleted, hidden, gone) is removed from the index
and never shown. Access to the community is not its business: search asks
``access.readable_filter`` once per query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class Entry:
    """One item as search indexes and shows it."""

    type: str
    id: int
    community_id: int
    community_slug: str
    title: str            # what the result shows (a reply shows its thread's title)
    indexed_title: str    # what is searched as title ("" for a reply: the thread carries it)
    body: str             # plain text, searched and cut into the snippet
    url: str
    author: object        # the User, or None
    created_at: datetime
    tags: list[str] = field(default_factory=list)
    boost: float = 1.0    # accepted answers and well-scored content rank higher

    @property
    def uid(self) -> str:
        return f"{self.type}:{self.id}"


@dataclass
class SearchType:
    name: str
    load: Callable[[list[int]], dict[int, Entry]]
    batches: Callable[[int], Iterator[list[int]]]
    count: Callable[[], int]
    events: dict[type, Callable[[object], Iterable[int]]] = field(default_factory=dict)
    #: Of ``events``, those whose items are indexed a moment later, many in one write (see ``indexer``).
    batched: tuple[type, ...] = ()


_types: dict[str, SearchType] = {}
_event_listeners: list[Callable[[type], None]] = []


def id_batches(stmt, column) -> Callable[[int], Iterator[list[int]]]:
    """``SearchType.batches`` for ``stmt`` (a select of ids in ``column``): keyset pages of ``size`` ids."""
    from ..extensions import db

    def batches(size: int) -> Iterator[list[int]]:
        last = 0
        while True:
            ids = list(db.session.scalars(stmt.where(column > last).order_by(column).limit(size)))
            if not ids:
                return
            yield ids
            last = ids[-1]
    return batches


def searchable(search_type: SearchType) -> SearchType:
    """Register a content type; its events start feeding the index."""
    _types[search_type.name] = search_type
    for hook in _event_listeners:
        for event_type in search_type.events:
            hook(event_type)
    return search_type


def on_new_event_type(hook: Callable[[type], None]) -> None:
    """``hook(event_type)`` for every event type registered now or later (the indexer listens)."""
    _event_listeners.append(hook)
    for search_type in _types.values():
        for event_type in search_type.events:
            hook(event_type)


def types() -> dict[str, SearchType]:
    return dict(_types)


def get(name: str) -> SearchType | None:
    return _types.get(name)


def uids_for(domain_event, *, batched: bool | None = None) -> list[str]:
    """Every indexed item that a committed event may have changed (``batched``: only those that are, or are not)."""
    uids = []
    for search_type in _types.values():
        for event_type, ids_of in search_type.events.items():
            if not isinstance(domain_event, event_type):
                continue
            if batched is not None and batched != issubclass(event_type, search_type.batched):
                continue
            uids += [f"{search_type.name}:{i}" for i in ids_of(domain_event)]
    return uids


def split_uid(uid: str) -> tuple[str, int] | None:
    kind, _, number = uid.partition(":")
    if not number.isdigit():
        return None
    return kind, int(number)
