"""The socket each `tradergraph serve` worker listens on: one of its own, with `SO_REUSEPORT`.

uvicorn's supervisor binds one socket and hands it to every worker it spawns (`multiprocessing`
pickles it as a duplicate of that one socket), so the workers share one accept queue, and
whichever wakes first accepts every connection waiting (asyncio accepts up to its backlog at
each wake-up): keep-alive clients connecting at the same moment mostly land on one worker while
the other idles (bench/README.md, `workers`). `WorkersListener` is what our supervisor hands
out instead (serving.py): bound with `SO_REUSEPORT`, never listening, it holds the port, and
pickled it becomes `reuse_port_socket(family, address)` in the worker, a new socket on the same
address, on which uvicorn then listens. The kernel spreads new connections over the workers'
listening sockets by a hash of each connection's addresses and ports (docs/operations.md).

This module imports only `socket`: a spawned worker unpickles its socket before anything else,
and it must answer its supervisor's first health check within uvicorn's 5 s, also on a busy
machine (importing `serving`, with the settings, took 11 s at a load average of 15).
"""

from __future__ import annotations

import socket
from typing import Any


class WorkersListener(socket.socket):
    """The port, held by the supervisor; each worker it is handed to opens a socket of its own."""

    def __reduce__(self) -> tuple[Any, tuple[int, Any]]:
        return reuse_port_socket, (int(self.family), self.getsockname())


def reuse_port_socket(
    family: int, address: Any, kind: type[socket.socket] = socket.socket
) -> socket.socket:
    """A TCP socket bound to `address` with `SO_REUSEADDR` and `SO_REUSEPORT`, not listening."""
    sock = kind(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind(address)
    except OSError:
        sock.close()
        raise
    return sock
