"""`listening.WorkersListener`: the supervisor hands each worker a socket of the worker's own.

uvicorn's supervisor hands its sockets to the workers it spawns through `multiprocessing`'s
pickler, which would duplicate the one socket (one accept queue for all). The listener pickles
to its address instead, so each worker gets a new socket bound with `SO_REUSEPORT` on the same
port, and the kernel spreads connections over the workers' sockets (tests/server/test_workers.py).
"""

from __future__ import annotations

import os
import pickle
import socket
import subprocess
import sys
from multiprocessing.reduction import ForkingPickler

import pytest
import uvicorn
from uvicorn.config import STARTUP_FAILURE

from listening import WorkersListener, reuse_port_socket
from serving import APP, supervise
from tests.support.processes import ROOT


def test_a_worker_unpickles_a_socket_of_its_own_bound_to_the_same_address() -> None:
    with reuse_port_socket(socket.AF_INET, ("127.0.0.1", 0), WorkersListener) as held:
        # The pickler uvicorn's spawned workers receive their sockets through.
        handed = ForkingPickler.dumps(held)
        with pickle.loads(handed) as own, pickle.loads(handed) as other:  # noqa: S301 - ours
            # A duplicate of `held` would share its inode (and its accept queue); each is new.
            own.listen()
            other.listen()
            assert (
                type(own),
                own.getsockname(),
                own.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT),
                len({os.fstat(each.fileno()).st_ino for each in (held, own, other)}),
            ) == (socket.socket, held.getsockname(), 1, 3)


def test_a_worker_unpickles_its_socket_without_importing_the_settings() -> None:
    """uvicorn kills a worker that does not answer its first health check within 5 s: the
    unpickling comes before that thread starts, so it must import nothing slow."""
    with reuse_port_socket(socket.AF_INET, ("127.0.0.1", 0), WorkersListener) as held:
        handed = bytes(ForkingPickler.dumps(held)).hex()
        probe = (
            "import pickle, sys; pickle.loads(bytes.fromhex(sys.argv[1]));"
            " print(sorted({'serving', 'settings', 'pydantic', 'uvicorn'} & set(sys.modules)))"
        )
        run = subprocess.run(  # noqa: S603 - our own interpreter and a fixed probe
            [sys.executable, "-c", probe, handed], cwd=ROOT, capture_output=True, text=True
        )
    assert (run.returncode, run.stdout) == (0, "[]\n")


def test_a_port_another_program_holds_stops_the_supervisor_before_any_worker(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        config = uvicorn.Config(APP, factory=True, workers=2, port=port, log_config=None)
        code = supervise(config)
    assert (code, capsys.readouterr().err) == (
        STARTUP_FAILURE,
        f"tradergraph serve: cannot bind 127.0.0.1:{port}: [Errno 98] Address already in use\n",
    )
