"""The service's typed configuration, read once at the edge."""

from settings.service import LogFormat, Mode, ServiceSettings, UpstreamFormat, WhiteLabel

__all__ = ["LogFormat", "Mode", "ServiceSettings", "UpstreamFormat", "WhiteLabel"]
