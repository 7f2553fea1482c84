"""What happens to shared resources, for listeners after the commit (search, notifications, storage)."""

from __future__ import annotations

from dataclasses import dataclass

from ..content.events import ContentWritten
from ..events import DomainEvent, listen
from ..urls import site_path


def resource_url(resource_id: int) -> str:
    """The site path of a resource's page."""
    return site_path("resources.show_resource", resource_id=resource_id)


@dataclass(frozen=True)
class ResourceShared(ContentWritten):
    resource_id: int
    community_id: int
    actor_id: int
    title: str
    kind: str
    mentions: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return resource_url(self.resource_id)


@dataclass(frozen=True)
class ResourceDeleted(DomainEvent):
    """``stored_name``: the file to remove from storage (None for a link or a note)."""

    resource_id: int
    community_id: int
    actor_id: int
    stored_name: str | None = None
    by_moderator: bool = False  # someone else's, deleted by a moderator (the audit log's)
    title: str = ""


@listen(ResourceDeleted)
def remove_stored_file(event: ResourceDeleted) -> None:
    """The file goes once the row's deletion has committed: a rolled-back delete keeps both."""
    if event.stored_name:
        from .storage import storage

        storage().delete(event.stored_name)
