"""OpenAPI description of the search route (see ``community/api/spec.py``)."""

from ..api.spec import PAGING, add_paths, add_schemas, error, ok, op, param, ref

_T = "search"

add_schemas({
    "SearchResult": {"type": "object", "properties": {
        "type": {"type": "string", "enum": ["question", "answer", "thread", "post", "resource", "chat"]},
        "id": {"type": "integer"},
        "title": {"type": "string", "description": "A reply shows its thread's title."},
        "snippet_html": {"type": "string", "description": "Matching words in `<mark>`; everything else escaped."},
        "url": {"type": "string", "description": "Site path of the item's page, `#post-{id}` for a post."},
        "community": {"type": "string", "description": "The community's slug."},
        "author": {"oneOf": [ref("User"), {"type": "null"}]},
        "created_at": {"type": "string", "format": "date-time"},
        "score": {"type": "number", "description": "Relevance: higher first. Only for ordering."}}},
    "SearchResults": {"type": "object", "required": ["items", "total", "next", "suggestion"], "properties": {
        "items": {"type": "array", "items": ref("SearchResult")},
        "total": {"type": "integer", "description": "Everything that matches and the caller may read."},
        "next": {"type": ["string", "null"], "description": "Opaque cursor of the next page."},
        "suggestion": {"type": ["string", "null"], "description": "A corrected query for a likely misspelling."}}},
})

_Q = ("Words match across Dutch and English word forms and Dutch compounds; `\"quoted phrases\"` match "
      "exactly; `tag:`, `type:`, `author:` and `community:` filter inside the query.")

add_paths({
    "/search": {"get": op(
        "Search what the caller may read",
        {**ok(200, ref("SearchResults")), **error(400, 401, 422),
         "503": {"description": "The index is being rebuilt (`search_unavailable`, with `Retry-After`).",
                 "content": {"application/json": {"schema": ref("Error")}}}},
        params=[param("q", description=_Q),
                param("community", description="A community's slug (comma-separated for several)."),
                param("type", description="Comma-separated: question, answer, thread, post, resource, chat."),
                param("tag"), param("author", description="A username."), *PAGING], tag=_T)},
})
