"""`Lifecycle`: what the lifecycle operations act on, taken from the application's services.

The operations need the upstream client, the service's user store (the upstream cannot read
users back), the trader index (to forget after a change that moves a trader in it) and the
configured white labels (the upstream wants each one's environment on link and move).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from resolvers.context import Services
from resolvers.index import TraderIndex
from resolvers.lifecycle.failures import Failure, refuse
from settings import WhiteLabel
from store.users import UserStore
from upstream.client import WebServicesClient


@dataclass(frozen=True)
class LifecycleDesk:
    client: WebServicesClient
    users: UserStore
    index: TraderIndex
    white_labels: Mapping[str, WhiteLabel]

    @classmethod
    def of(cls, services: Services) -> LifecycleDesk:
        return cls(services.client, services.users, services.index, services.settings.white_labels)

    def environment(self, white_label: str) -> str:
        """The environment of a configured white label; others are refused before any call."""
        configured = self.white_labels.get(white_label)
        if configured is None:
            message = f"white label {white_label!r} is not one the service is configured with"
            raise refuse(Failure.WHITE_LABEL_NOT_FOUND, message)
        return configured.environment
