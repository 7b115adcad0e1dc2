"""The service's typed configuration, read once at the edge."""

from settings.service import Mode, ServiceSettings, UpstreamFormat, WhiteLabel

__all__ = ["Mode", "ServiceSettings", "UpstreamFormat", "WhiteLabel"]
