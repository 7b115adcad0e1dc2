"""Fault injection for the emulated API (`POST /_sandbox/faults`), applied by `EmulatorMiddleware`.

Actions: `latency` (wait, then serve normally), `error` (answer `status` with the error body of
`errorCode`, nothing applied), `timeout` (apply nothing, hold the request `latencyMs`, default
30,000, then answer 504), `drop_after_commit` (serve and commit, then send only the response start
and raise `DroppedResponse`, so uvicorn breaks the connection; in-process the exception reaches the
caller). `times` bounds how often a fault fires (absent = always); `probability` draws from an RNG
seeded by the settings' `fault_seed`, so runs are reproducible. `*` matches one path segment.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from sandbox.body import Body
from sandbox.exceptions import InvalidRequest
from sandbox.jsonvalue import JsonObject

ACTIONS = ("latency", "error", "timeout", "drop_after_commit")


class DroppedResponse(Exception):
    """Raised after the response start was sent: the connection dies without a body."""


@dataclass
class Fault:
    method: str
    path: str
    action: str
    latency_ms: int
    status: int
    error_code: str
    times: int | None
    probability: float

    def matches(self, method: str, path: str) -> bool:
        if self.method not in ("*", method.upper()):
            return False
        wanted, actual = self.path.strip("/").split("/"), path.strip("/").split("/")
        return len(wanted) == len(actual) and all(
            w in ("*", a) for w, a in zip(wanted, actual, strict=True)
        )

    def describe(self) -> JsonObject:
        return {
            "method": self.method,
            "path": self.path,
            "action": self.action,
            "latencyMs": self.latency_ms,
            "status": self.status,
            "errorCode": self.error_code,
            "times": self.times,
            "probability": Decimal(str(self.probability)),
        }


def parse_fault(body: Body) -> Fault:
    action = body.req_enum("action", ACTIONS)
    default_latency = 30_000 if action == "timeout" else 0
    probability = float(body.decimal("probability")) if body.has("probability") else 1.0
    times = body.opt_int("times")
    latency = body.opt_int("latencyMs")
    if not 0.0 <= probability <= 1.0 or (times is not None and times < 1):
        raise InvalidRequest("probability must be within 0..1 and times at least 1")
    return Fault(
        method=(body.opt_str("method") or "*").upper(),
        path=body.req_str("path"),
        action=action,
        latency_ms=default_latency if latency is None else max(0, latency),
        status=body.opt_int("status") or (504 if action == "timeout" else 500),
        error_code=body.opt_str("errorCode") or "UNKNOWN_ERROR",
        times=times,
        probability=probability,
    )


class FaultBook:
    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.faults: list[Fault] = []
        self._rng = random.Random(seed)  # noqa: S311 - reproducible simulation, not security

    def add(self, fault: Fault) -> None:
        self.faults.append(fault)

    def clear(self) -> None:
        self.faults.clear()
        self._rng = random.Random(self.seed)  # noqa: S311 - reproducible simulation

    def fire(self, method: str, path: str) -> Fault | None:
        """The first matching fault that fires for this request, its `times` used up by one."""
        for fault in self.faults:
            if not fault.matches(method, path):
                continue
            if fault.probability < 1.0 and self._rng.random() >= fault.probability:
                continue
            if fault.times is not None:
                fault.times -= 1
                if fault.times == 0:
                    self.faults.remove(fault)
            return fault
        return None
