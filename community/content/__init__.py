"""Content in a community: what discussions, Q&A, resources and chat share.

Each capability is a room with its own models and actions; what every one
of them needs lives here, so that a new room reuses instead of copying:

- ``context``: load an item with its community and the caller's membership
  in one query, and the one mapping of "may not read" to 404 and of a
  banned member's write to 403 ``banned``;
- ``checks``: titles, bodies and tags (tags are the unit of expertise);
- ``authors``: the user JSON of a response's authors, built once each;
- ``events``: ``ContentWritten``, so mentions notify through one listener
  whatever was written;
- ``render``: the one HTML renderer of a post-like item (post, question,
  answer, chat message).
"""
