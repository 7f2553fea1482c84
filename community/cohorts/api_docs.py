"""OpenAPI description of the follow-up prompt routes (see ``community/api/spec.py``)."""

from ..api.spec import PAGING, add_paths, add_schemas, body, error, list_of, ok, op, param, ref

_T = "cohorts"
_SLUG = param("slug", "path")

add_schemas({"FollowUpPrompt": {"type": "object", "properties": {
    "id": {"type": "integer"},
    "title": {"type": "string"},
    "body": {"type": "string", "description": "Markdown, posted as the thread's first post."},
    "post_on": {"type": "string", "format": "date", "description": "The day (UTC) it is posted."},
    "state": {"type": "string", "enum": ["scheduled", "posted", "failed"],
              "description": "`failed`: on its day the moderator who wrote it could no longer write there."},
    "thread_id": {"type": ["integer", "null"], "description": "The thread it became, once posted."},
    "created_by": {"oneOf": [ref("User"), {"type": "null"}]},
    "created_at": {"type": "string", "format": "date-time"},
    "posted_at": {"type": ["string", "null"], "format": "date-time"}}}})

add_paths({
    "/communities/{slug}/follow-ups": {
        "get": op("Moderators: the cohort's follow-up prompts, scheduled and posted, the first day first",
                  {**ok(200, list_of("FollowUpPrompt")), **error(401, 403, 404, 422)},
                  params=[_SLUG, *PAGING], tag=_T),
        "post": op("Moderators of a cohort group: schedule a follow-up prompt. On `post_on` it is posted as a "
                   "thread in the moderator's name and every active member is notified (`follow_up`). "
                   "Accepts `Idempotency-Key`.",
                   {**ok(201, ref("FollowUpPrompt")), **error(400, 401, 403, 404, 409, 422)},
                   params=[_SLUG], tag=_T,
                   request=body({"title": {"type": "string", "minLength": 3, "maxLength": 200},
                                 "body": {"type": "string", "minLength": 1, "maxLength": 20000},
                                 "post_on": {"type": "string", "format": "date",
                                             "description": "Today or later, and not before the "
                                                            "cohort's `ends_on`."}},
                                ["title", "body", "post_on"])),
    },
    "/follow-ups/{prompt_id}": {"delete": op(
        "Moderators: cancel a prompt not posted yet; 409 once posted (it is a thread then)",
        {**ok(204, None), **error(401, 403, 404, 409)}, params=[param("prompt_id", "path")], tag=_T)},
})
