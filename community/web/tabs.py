"""The community page's tabs, registered by the capabilities that fill them.

Communities know nothing of discussions, questions, resources or chat:
each capability registers its tab (``register_tab``) when it is set up,
with the template that draws it and a function that gathers what that
template needs. The community page asks here which tabs there are, in
their order, and shows the chosen one. A part of Leerplein that is not
built yet keeps a placeholder tab that says so, until its capability
registers the real one under the same name (every tab is real today). A person's profile page has
sections registered the same way (``register_profile_section``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Tab:
    """``context(community)`` returns the template's variables; it runs only for readers."""

    name: str                  # the address: /c/<slug>/<name> (the first tab: /c/<slug>)
    label: object              # a lazy string, translated when shown
    order: int
    template: str | None = None
    context: Callable | None = None
    stylesheets: tuple[str, ...] = ()  # static paths, e.g. "css/discussions.css"
    scripts: tuple[str, ...] = ()
    coming: object = None      # a placeholder's text: this part arrives in a later update
    moderators: bool = False   # only the community's moderators get it (others: no such tab, 404)


_TABS: dict[str, Tab] = {}


def register_tab(name: str, label, *, order: int, template: str | None = None, context: Callable | None = None,
                 stylesheets: tuple[str, ...] = (), scripts: tuple[str, ...] = (), coming=None,
                 moderators: bool = False) -> Tab:
    """Add (or replace: a placeholder gives way to the real tab) the tab ``name``."""
    tab = Tab(name, label, order, template, context, tuple(stylesheets), tuple(scripts), coming, moderators)
    _TABS[name] = tab
    return tab


def community_tabs(*, moderator: bool = False) -> list[Tab]:
    """Every tab the reader gets, in order; the first is the community page's default."""
    return sorted((tab for tab in _TABS.values() if moderator or not tab.moderators),
                  key=lambda tab: (tab.order, tab.name))


def find_tab(name: str | None) -> Tab | None:
    """The tab called ``name``, or the first tab for None; None when there is no such tab."""
    tabs = community_tabs()
    if name is None:
        return tabs[0] if tabs else None
    return _TABS.get(name)


@dataclass(frozen=True)
class Section:
    """A part of a page that a capability fills: a person's profile (expertise), the home page (the feed)."""

    name: str
    template: str
    context: Callable  # context(person) -> the template's variables
    order: int
    stylesheets: tuple[str, ...] = ()


_PROFILE: dict[str, Section] = {}
_HOME: dict[str, Section] = {}


def _ordered(sections: dict[str, Section]) -> list[Section]:
    return sorted(sections.values(), key=lambda s: (s.order, s.name))


def register_profile_section(name: str, template: str, context: Callable, *, order: int,
                             stylesheets: tuple[str, ...] = ()) -> None:
    _PROFILE[name] = Section(name, template, context, order, tuple(stylesheets))


def profile_sections(person) -> list[Section]:
    """Every registered profile section, in order (``section.context(person)`` gives its variables)."""
    return _ordered(_PROFILE)


def register_home_section(name: str, template: str, context: Callable, *, order: int) -> None:
    _HOME[name] = Section(name, template, context, order)


def home_sections() -> list[Section]:
    """Every registered home page section, in order (shown above the community lists)."""
    return _ordered(_HOME)
