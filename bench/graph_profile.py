"""A sampling profile of the service during the timed rounds: `--profile PATH` of the graph bench.

py-spy (a dev tool, `pip install py-spy`; not a dependency of the service) samples the service
process from outside, without pausing it (`--nonblocking`), and writes collapsed stacks to PATH.
`python -m bench.graph_profile PATH` prints the functions the service spent its samples in: by
own time (the frame on top of the stack, any code) and inclusive (anywhere in the stack; the
service's own functions only, since the event loop's frames are in every stack), line numbers
folded, so the same function counts once.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import signal
import sys
from collections import Counter
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path

SAMPLES_PER_SECOND = 250
_LINE = re.compile(r":\d+\)$")
_FILE = re.compile(r"\(([^/)]+)[/)]")
ROOT = Path(__file__).resolve().parent.parent
OURS = frozenset(path.name for path in ROOT.iterdir() if not path.name.startswith("."))
"""The repository's top-level rooms and modules: a frame whose file starts with one is ours."""


def ours(frame: str) -> bool:
    found = _FILE.search(frame)
    return found is not None and found.group(1) in OURS


class ProfilerMissing(RuntimeError):
    """`--profile` was asked for, but no `py-spy` is on PATH or beside this Python."""


def py_spy() -> str:
    found = shutil.which("py-spy") or shutil.which("py-spy", path=str(Path(sys.executable).parent))
    if found is None:
        raise ProfilerMissing("--profile needs py-spy: pip install py-spy")
    return found


@asynccontextmanager
async def profiled(pid: int, output: Path | None) -> AsyncIterator[None]:
    """Sample `pid` while the block runs, collapsed stacks to `output` (nothing when None)."""
    if output is None:
        yield
        return
    rate = str(SAMPLES_PER_SECOND)
    command = ["record", "--pid", str(pid), "--format", "raw", "--rate", rate, "--nonblocking"]
    process = await asyncio.create_subprocess_exec(
        py_spy(),
        *command,
        "-o",
        str(output),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        process.send_signal(signal.SIGINT)  # py-spy writes what it sampled and exits
        await process.wait()


def _frames(line: str) -> tuple[list[str], int]:
    stack, _, count = line.rpartition(" ")
    frames = [_LINE.sub(")", frame) for frame in stack.split(";") if frame]
    return frames or ["(no Python frame)"], int(count)


def tops(lines: Iterable[str]) -> tuple[Counter[str], Counter[str], int]:
    """Samples by own time and inclusive, per function, and the total of samples."""
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in lines:
        if not line.strip():
            continue
        frames, count = _frames(line.rstrip("\n"))
        total += count
        own[frames[-1]] += count
        inclusive.update(dict.fromkeys(set(frames), count))
    return own, inclusive, total


def report(own: Counter[str], inclusive: Counter[str], total: int, top: int) -> str:
    lines = [f"{total} samples"]
    mine = {name: n for name, n in inclusive.items() if ours(name)}
    roots = max(mine.values(), default=0)  # the entry point's frames, in every served stack
    service = Counter({name: n for name, n in mine.items() if n < roots})
    for title, counts in (("own time", own), ("inclusive time, the service's code", service)):
        lines.append(f"top {top} by {title}:")
        lines += [f"{n / total:6.1%}  {name}" for name, n in counts.most_common(top)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.graph_profile", description=__doc__)
    parser.add_argument("path", type=Path, help="collapsed stacks written by --profile")
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args(argv)
    with args.path.open(encoding="utf-8") as stacks:
        print(report(*tops(stacks), args.top))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
