"""Full-text search across every kind of content, in Dutch and English.

- ``analysis``: our own analyzer chain (tokens, lemmas, compounds against
  OpenTaal's dictionary, accent folding, common-word pairs), the same for any
  engine; its docstring explains each step and why.
- ``registry``: one registration per content type (``searchable``), made by
  the capability that owns the content (discussions: ``discussions/searchable.py``).
- ``engine``: the Whoosh backend behind a small interface; nothing outside
  this package imports ``whoosh``.
- ``indexer``: listeners on domain events after the commit, the start-up
  check (missing, stale, corrupt) and the rebuild.
- ``query``: parsing, permission filtering inside the search, re-checking
  every hit, snippets, suggestions, cursors.
- ``api``/``views``: ``GET /api/v1/search`` and the ``/search`` page.

Settings: ``COMMUNITY_SEARCH_INDEX`` (the index folder, default
``INSTANCE/search``), ``COMMUNITY_SEARCH_SYNC_REBUILD_MAX`` (a missing or
stale index of at most this many items is rebuilt before the first search
answers; a larger one in the background, default 2,000),
``COMMUNITY_SEARCH_REBUILD_PROCESSES`` (a rebuild of 5,000 items or more
writes its segments in this many processes, default 2).
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from ..extensions import csrf
    from . import api, indexer, views  # noqa: F401  (indexer listens to domain events on import)

    csrf.exempt(api.bp)  # the API checks CSRF itself, only for cookie sessions
    app.register_blueprint(api.bp)
    app.register_blueprint(views.bp)


def start(app: Flask) -> None:
    """At server start: check the index now (rebuilding in the background if needed), warm up, and
    start the index's writer process."""
    from . import analysis, indexer

    analysis.warm_up()
    with app.app_context():
        indexer.check(app)
    indexer.engine(app).start_writer()
