"""`Kept`: answers kept in this process, at most a number of bytes of bodies, oldest out first.

Each answer is kept with a `stamp` saying which version of it this is (the token it was read
under, or the id Redis filed it with), so a caller takes it only while the stamp is still the
current one. What is kept is the `Answered` itself, with whatever its readers decoded from it
(`sharing.Answered.decoded`), so a hit neither copies the body nor decodes it again.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from upstream.sharing import Answered


@dataclass(frozen=True, slots=True)
class Entry:
    stamp: str
    expires: float
    answered: Answered


class Kept:
    def __init__(self, max_bytes: int) -> None:
        self._max_bytes = max_bytes
        self._entries: OrderedDict[str, Entry] = OrderedDict()
        self._bytes = 0

    @property
    def size(self) -> int:
        """Bytes of bodies kept now."""
        return self._bytes

    def get(self, key: str) -> Entry | None:
        return self._entries.get(key)

    def put(self, key: str, entry: Entry) -> None:
        """Keep `entry` under `key` (replacing what was there); an answer larger than the whole
        room is not kept, and the oldest leave until the rest fits."""
        self.drop(key)
        size = len(entry.answered.content)
        if size > self._max_bytes:
            return
        self._entries[key] = entry
        self._bytes += size
        while self._bytes > self._max_bytes:
            self.drop(next(iter(self._entries)))

    def drop(self, key: str) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._bytes -= len(entry.answered.content)

    def clear(self) -> None:
        self._entries.clear()
        self._bytes = 0
