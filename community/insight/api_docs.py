"""OpenAPI description of the insight routes (see ``community/api/spec.py``)."""

from ..api.spec import add_paths, add_schemas, body, error, ok, op, param, ref

_T = "insight"
_MINUTES = {"type": ["number", "null"], "description": "Median minutes from asking to the first answer; "
                                                       "null without answered questions."}

add_schemas({"CommunityStats": {"type": "object", "required": [
    "members", "active_members_7d", "questions", "unanswered", "median_first_answer_minutes",
    "top_contributors", "experts_by_tag", "silent_members"], "properties": {
    "members": {"type": "integer", "description": "Active members."},
    "active_members_7d": {"type": "integer", "description": "Active members who started a thread, replied, "
                                                            "asked, answered, shared a resource or chatted "
                                                            "in the last 7 days."},
    "questions": {"type": "integer"},
    "unanswered": {"type": "integer", "description": "Questions without any answer."},
    "median_first_answer_minutes": _MINUTES,
    "top_contributors": {"type": "array", "description": "At most 10, most first: posts, questions, answers "
                                                         "and resources (deleted posts not counted).",
                         "items": {"type": "object", "properties": {
                             "username": {"type": "string"}, "count": {"type": "integer"}}}},
    "experts_by_tag": {"type": "array", "description": "The community's most used question tags, each with "
                                                       "its best experts (up to 5) who may read the community.",
                       "items": {"type": "object", "properties": {
                           "tag": {"type": "string"}, "experts": {"type": "array", "items": {"type": "string"}}}}},
    "silent_members": {"type": "array", "items": {"type": "string"},
                       "description": "Active members who never posted, asked or answered here, longest "
                                      "members first."},
    "unanswered_questions": {"type": "array", "description": "The oldest unanswered questions (up to 20), "
                                                             "oldest first.",
                             "items": {"type": "object", "properties": {
                                 "id": {"type": "integer"}, "title": {"type": "string"},
                                 "created_at": {"type": "string", "format": "date-time"},
                                 "waited_minutes": {"type": "integer"}, "url": {"type": "string"}}}},
    "weeks": {"type": "array", "description": "The last 12 weeks (Monday to Sunday, UTC), oldest first; the last "
                                              "is the week under way.",
              "items": {"type": "object", "properties": {
                  "starts_on": {"type": "string", "format": "date"},
                  "contributions": {"type": "integer"}, "active_members": {"type": "integer"},
                  "questions": {"type": "integer", "description": "Asked that week."},
                  "median_first_answer_minutes": _MINUTES}}}}},
    "ThreadInvitations": {"type": "object", "properties": {
        "thread_id": {"type": "integer"},
        "invited": {"type": "array", "items": {"type": "string"}, "description": "The usernames notified."}}}})

add_paths({
    "/communities/{slug}/stats": {"get": op(
        "The community's figures for its trainers (moderators, owners, site admins)",
        {**ok(200, ref("CommunityStats")), **error(401, 403, 404)}, params=[param("slug", "path")], tag=_T)},
    "/threads/{thread_id}/invitations": {"post": op(
        "Invite active members into a thread: each gets a `thread_invite` notification (moderators)",
        {**ok(201, ref("ThreadInvitations")), **error(400, 401, 403, 404, 422)},
        request=body({"usernames": {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 50}},
                     ["usernames"]),
        params=[param("thread_id", "path", {"type": "integer"})], tag=_T)},
})
