"""The one place where user-written Markdown becomes HTML.

Threads, posts, questions, answers, chat and resources all render through
``render_markdown`` so there is a single thing to get right. The pipeline:

1. Python-Markdown with a fixed, small set of extensions. Raw HTML is switched
   off, so ``<b>`` or ``<script>`` typed by a user is shown as text (a learning
   community talks about HTML; eating it would lose their words). Images are
   turned into links: ``![alt](url)`` shows as a link ``alt``, so posts cannot
   embed tracking pixels or huge pictures. Headings are moved two levels down so a
   user's ``#`` never competes with the page's own ``<h1>``/``<h2>``.
2. bleach with an allow-list of exactly the tags and attributes step 1 emits,
   and http/https/mailto (or relative) URLs only. It escapes anything else
   (``strip=False``): since step 1 never emits other tags, such a tag would be
   a bug, and showing it as text is safer and easier to notice than dropping it.
3. In the same bleach pass, a filter linkifies pasted URLs, turns ``@name`` into
   a profile link and gives every link ``rel="nofollow ugc noopener"``. It skips
   text inside ``<pre>``/``<code>`` itself: bleach's own ``skip_tags`` would
   double-escape code (``&amp;lt;script&amp;gt;``).
"""

from __future__ import annotations

import html
import re
import threading
from functools import partial
from html.parser import HTMLParser

import bleach
import markdown
from bleach.linkifier import LinkifyFilter
from markdown.extensions import Extension
from markdown.extensions.tables import TableExtension
from markdown.inlinepatterns import (
    IMAGE_LINK_RE,
    IMAGE_REFERENCE_RE,
    LinkInlineProcessor,
    ReferenceInlineProcessor,
    ShortReferenceInlineProcessor,
)
from markdown.treeprocessors import Treeprocessor

__all__ = ["MENTION_RE", "find_mentions", "render_markdown", "render_plain_snippet", "render_with_mentions"]

#: ``@username`` as the account rules allow it; not after a word character,
#: ``@``, ``.``, ``/``, ``+`` or ``-``, so e-mail addresses and URL paths such
#: as ``example.org/@anna`` are not mentions, and not a prefix of a longer name.
MENTION_RE = re.compile(r"(?<![\w@./+-])@([A-Za-z0-9_-]{3,30})(?![\w@-])")

REL = "nofollow ugc noopener"
HEADING_SHIFT = 2

ALLOWED_TAGS = frozenset({
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
})
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
_CODE_LANGUAGE = re.compile(r"language-[A-Za-z0-9_+#.-]{1,30}")
_ALIGN = frozenset({"left", "center", "right"})
# Pasted links: only with http(s):// or www. in front, so "main.py" or
# "README.md" stay text, and without bleach's fixed TLD list (".social", ".dev").
# Trailing punctuation is not part of the link; bleach balances parentheses.
_URL_RE = re.compile(
    r"""\(*(?<![\w@./-])(?:https?://|www\.)[^\s<>"'`]*[^\s<>"'`.,;:!?\]]""", re.IGNORECASE)
_CODE_TAGS = frozenset({"pre", "code"})
_HEADINGS = frozenset(f"h{n}" for n in range(1, 7))
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
_TAB_NEWLINE = re.compile(r"[\t\n\r]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")


def _safe_href(value: str) -> bool:
    """Whether a browser would see an allowed scheme, or none (a relative URL).

    Done here as well as by bleach, whose vendored urlparse takes
    ``javascript:0001`` for a port number and lets it through. Mirrors the URL
    standard: trim C0 controls and spaces, drop tabs and newlines; any other
    control character (e.g. Markdown's stash markers) means it is not a real URL.
    """
    url = _TAB_NEWLINE.sub("", html.unescape(value).strip(_C0_AND_SPACE))
    if _CONTROL.search(url):
        return False
    scheme = _SCHEME.match(url)
    return scheme is None or scheme.group(1).lower() in ALLOWED_PROTOCOLS


def _allow_attribute(tag: str, name: str, value: str) -> bool:
    """Per-tag attribute allow-list; values are checked where they could carry anything."""
    if tag == "a":
        return name == "title" or (name == "href" and _safe_href(value))
    if tag == "code" and name == "class":
        return _CODE_LANGUAGE.fullmatch(value) is not None
    if tag in ("th", "td") and name == "align":
        return value in _ALIGN
    if tag == "ol" and name == "start":
        return value.isascii() and value.isdigit() and len(value) < 10
    return False


class _SafeMarkdown(Extension):
    """Turns off raw HTML, makes images plain links, and shifts headings down."""

    def extendMarkdown(self, md):
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        # Same names and priorities as the image patterns, so these replace them.
        md.inlinePatterns.register(LinkInlineProcessor(IMAGE_LINK_RE, md), "image_link", 150)
        md.inlinePatterns.register(
            ReferenceInlineProcessor(IMAGE_REFERENCE_RE, md), "image_reference", 140)
        md.inlinePatterns.register(
            ShortReferenceInlineProcessor(IMAGE_REFERENCE_RE, md), "short_image_ref", 125)
        md.treeprocessors.register(_ShiftHeadings(md), "shift_headings", 5)


class _ShiftHeadings(Treeprocessor):
    def run(self, root):
        for el in root.iter():
            if el.tag in _HEADINGS:
                el.tag = f"h{min(int(el.tag[1]) + HEADING_SHIFT, 6)}"


def _set_rel(attrs: dict, is_new: bool) -> dict | None:
    """Every link gets our rel and no target; one whose href was unsafe becomes text."""
    if (None, "href") not in attrs:
        return None
    attrs.pop((None, "target"), None)
    attrs[(None, "rel")] = REL
    return attrs


class _LinkFilter(LinkifyFilter):
    """bleach's linkifier plus mentions, leaving text in ``<pre>``/``<code>`` alone.

    The code depth is tracked on the token stream as it flows into
    LinkifyFilter, so it is current whenever ``handle_links`` runs; unlike
    ``skip_tags`` this sends code text down the same (correct) path as all text.
    """

    def __init__(self, source, mentions: list[str]):
        self._code_depth = 0
        self._mentions = mentions
        super().__init__(self._track_code(source), callbacks=[_set_rel], url_re=_URL_RE)

    def _track_code(self, source):
        for token in source:
            if token.get("name") in _CODE_TAGS:
                if token["type"] == "StartTag":
                    self._code_depth += 1
                elif token["type"] == "EndTag":
                    self._code_depth = max(0, self._code_depth - 1)
            yield token

    def extract_entities(self, token):
        # The sanitizer before us has already split entities out of the text
        # (``&amp;`` became a plain "&"). Parsing them again, as LinkifyFilter
        # does, would turn a typed "&amp;lt;" into "<": pass text through as is.
        yield token

    def handle_links(self, src_iter):
        if self._code_depth:
            yield from src_iter
            return
        in_a = False
        for token in super().handle_links(src_iter):
            if token["type"] in ("StartTag", "EndTag") and token["name"] == "a":
                in_a = token["type"] == "StartTag"
            if in_a or token["type"] != "Characters":
                yield token
            else:
                yield from self._link_mentions(token["data"])

    def _link_mentions(self, text: str):
        end = 0
        for match in MENTION_RE.finditer(text):
            name = match.group(1).lower()
            if name not in self._mentions:
                self._mentions.append(name)
            if match.start() > end:
                yield {"type": "Characters", "data": text[end:match.start()]}
            yield {"type": "StartTag", "name": "a", "data": {
                (None, "class"): "mention", (None, "href"): f"/u/{name}", (None, "rel"): REL}}
            yield {"type": "Characters", "data": match.group(0)}
            yield {"type": "EndTag", "name": "a"}
            end = match.end()
        if end < len(text):
            yield {"type": "Characters", "data": text[end:]}


_local = threading.local()


def _tools() -> tuple[markdown.Markdown, bleach.Cleaner]:
    """A Markdown instance and a Cleaner per thread: both keep parser state."""
    tools = getattr(_local, "tools", None)
    if tools is None:
        md = markdown.Markdown(
            extensions=["fenced_code", TableExtension(use_align_attribute=True),
                        "sane_lists", "nl2br", _SafeMarkdown()],
            output_format="html",
        )
        cleaner = bleach.Cleaner(tags=ALLOWED_TAGS, attributes=_allow_attribute,
                                 protocols=ALLOWED_PROTOCOLS, strip=False, strip_comments=True)
        tools = _local.tools = (md, cleaner)
    return tools


#: A line of words and plain punctuation: Markdown makes it one paragraph and the cleaner keeps it as it is.
_PLAIN = re.compile(r"[^\W_]+(?:[ ,!?'()-]+[^\W_]+|\.(?= )|[,!?')]+)*[.!?)]*")


def _plain_paragraph(text: str) -> str | None:
    """The HTML of ``text`` without running Markdown, when it is only words (most chat lines).

    No markup character, no leading list number, no dot between letters (a
    bare domain, which the cleaner would link), no ``@``: the full renderer
    gives ``<p>text</p>`` for these, and a test holds the two to the same output.
    """
    if len(text) > 300 or not _PLAIN.fullmatch(text) or _LIST_START.match(text):
        return None
    return f"<p>{text}</p>"


_LIST_START = re.compile(r"\d+[.)]")


def render_with_mentions(text: str) -> tuple[str, list[str]]:
    """``render_markdown`` and ``find_mentions`` in one pass, for saving a post."""
    plain = _plain_paragraph(text or "")
    if plain is not None:
        return plain, []
    md, cleaner = _tools()
    try:
        raw_html = md.convert(text or "")
    finally:
        md.reset()
    mentions: list[str] = []
    # Cleaner.clean builds its filters from this list on every call.
    cleaner.filters = [partial(_LinkFilter, mentions=mentions)]
    return cleaner.clean(raw_html), mentions


def render_markdown(text: str) -> str:
    """User Markdown as HTML that is safe to insert into a page unescaped."""
    return render_with_mentions(text)[0]


def find_mentions(text: str) -> list[str]:
    """Lowercased usernames mentioned as ``@name``, first appearance first.

    Found by rendering, so exactly the mentions that show as links count:
    none in code, e-mail addresses or links.
    """
    return render_with_mentions(text)[1]


class _TextOnly(HTMLParser):
    """Collects the text of our own HTML, with a space where a block starts or ends."""

    _INLINE = frozenset({"a", "strong", "em", "code"})

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self._INLINE:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        self.handle_starttag(tag, [])

    def handle_data(self, data):
        self.parts.append(data)


def plain_text(html_text: str) -> str:
    """The words of HTML that ``render_markdown`` made, without markup: what search indexes."""
    parser = _TextOnly()
    parser.feed(html_text)
    parser.close()
    return " ".join("".join(parser.parts).split())


def render_plain_snippet(text: str, length: int = 200) -> str:
    """Plain text (not HTML: escape it when shown) for previews and notification titles.

    Rendered first, so Markdown syntax is gone; cut at a word where possible.
    """
    parser = _TextOnly()
    parser.feed(render_markdown(text))
    parser.close()
    plain = " ".join("".join(parser.parts).split())
    if len(plain) <= length:
        return plain
    cut = plain[: max(length - 1, 0)]
    space = cut.rfind(" ")
    if space > length // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:") + "…"
