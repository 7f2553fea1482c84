"""Events of the notification capability."""

from __future__ import annotations

from dataclasses import dataclass

from ..events import DomainEvent


@dataclass(frozen=True)
class NotificationCreated(DomainEvent):
    """After the commit: push ``notification_id`` to ``user_id`` (the chat capability does, over Socket.IO).

    Serialize it with ``community.notifications.api.notification_json``.
    """

    notification_id: int
    user_id: int
    kind: str
