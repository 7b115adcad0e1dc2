"""The service's typed configuration, read once at the edge.

    service.py     ServiceSettings (TRADERGRAPH_*), composed of the two below
    auth.py        AuthSettings: session lifetime, partner keys, the default caller, login delays
    limits.py      LimitSettings: every limit, its default and its TRADERGRAPH_* variable

It sits above only `upstream`, whose `WireFormat` names the upstream's body format.
"""

from settings.service import LogFormat, Mode, ServiceSettings, WhiteLabel

__all__ = ["LogFormat", "Mode", "ServiceSettings", "WhiteLabel"]
