"""A list answer read one record at a time as its bytes arrive: never whole in memory.

The trader index's answer (100,000 traders, about 20 MB of JSON) read whole was the body, its
decoded text and, with `json.loads`, every record's dict at once. `Records` is fed the body in
chunks as the HTTP stream delivers them (`Records.feed`, then `Records.end`) and hands out the
elements of the top-level object's one long array (`key`) as each completes, each parsed by the
standard decoder (`JSONDecoder.raw_decode`, C speed, the same numbers as `parse_json`: floats as
`Decimal`); it keeps only the text not read yet. The other members are read whole and are in
`rest` once `end` has been read; `key`'s value, when it is not an array, is read whole and its
records (one, or none) handed out the same way. XML has no such reader here: its chunks are
joined and parsed whole (`parse_xml`) at the end. ijson streams too, but it read the index's
answer about six times slower than `json` does.

The reader is a generator that asks for more text (`_MORE`) wherever what it has ends before the
value it reads does; a value whose text reaches the end of what arrived (a number may go on) is
read again once more has come, and what it waits for at least doubles each time, so a value
split across many chunks (or a body that never closes a string) costs linear time, not square.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Generator, Iterator
from decimal import Decimal

from upstream.fields import Fields, ShapeError, as_fields
from upstream.parsing import parse_xml

_DECODER = json.JSONDecoder(parse_float=Decimal)
_SPACE = re.compile(r"[ \t\n\r]*")
_MORE = object()
"""What the reader yields when it needs more text."""
_TAIL = 3
"""A value read this close to the end of the text may go on (`1.5e+` before `7`)."""
_NEAR = 8
"""A decoding error this close to the end of the text may be a value cut short."""
Reader = Generator[object, None, None]


class Records:
    """The records of `key` from a JSON (or XML) object fed in chunks, and its other members."""

    def __init__(self, key: str, *, xml: bool = False) -> None:
        self._key, self._xml = key, xml
        self._rest: dict[str, object] = {}
        self._chunks: list[bytes] = []  # XML only
        self._utf8 = codecs.getincrementaldecoder("utf-8")()
        self._text = _Text()
        self._reader = _Members(self._text, key, self._rest).read()

    @property
    def rest(self) -> Fields:
        """The members other than `key`'s array: complete once `end()` has been read."""
        return Fields(self._rest)

    def feed(self, chunk: bytes) -> Iterator[Fields]:
        """The records that `chunk` completes."""
        if self._xml:
            self._chunks.append(chunk)
            return iter(())
        try:
            self._text.add(self._utf8.decode(chunk))
        except UnicodeDecodeError:
            raise ShapeError("the body is not JSON") from None
        return self._read() if self._text.ready() else iter(())

    def end(self) -> Iterator[Fields]:
        """The records left once the body has ended; `rest` is complete after them."""
        if self._xml:
            body, self._chunks = b"".join(self._chunks), []
            self._rest.update(parse_xml(body)[1].data)
        else:
            try:
                self._text.add(self._utf8.decode(b"", final=True))
            except UnicodeDecodeError:
                raise ShapeError("the body is not JSON") from None
            self._text.ended = True
            yield from self._read()
        if self._key in self._rest:  # `key` read whole: one record, or a list of them
            yield from Fields({self._key: self._rest.pop(self._key)}).drain(self._key)

    def _read(self) -> Iterator[Fields]:
        try:
            for value in self._reader:
                if value is _MORE:
                    return
                yield as_fields(value, self._key)
        except ShapeError:
            raise
        except ValueError:  # json.JSONDecodeError
            raise ShapeError("the body is not JSON") from None


class _Text:
    """The text arrived and not read yet: `text[at:]`, and what has come since (`pending`)."""

    def __init__(self) -> None:
        self.text, self.at = "", 0
        self.pending: list[str] = []
        self.arrived = 0
        self.need = 0
        self.ended = False

    def add(self, piece: str) -> None:
        if piece:
            self.pending.append(piece)
            self.arrived += len(piece)

    def ready(self) -> bool:
        """Whether the reader may go on: the body has ended, or as much has come as it asked."""
        return self.ended or (self.arrived > 0 and self.arrived >= self.need)

    def wanting(self) -> None:
        """The reader asks for at least as much again as it holds unread (and one character)."""
        self.need = max(len(self.text) - self.at, 1)

    def more(self) -> None:
        """Take in what has come, dropping what was read."""
        self.text = self.text[self.at :] + "".join(self.pending)
        self.at, self.pending, self.arrived, self.need = 0, [], 0, 0


class _Members:
    """The top-level object of the text, its `key` array streamed, the rest read into `rest`."""

    def __init__(self, text: _Text, key: str, rest: dict[str, object]) -> None:
        self.t, self.key, self.rest = text, key, rest

    def read(self) -> Reader:
        yield from self._char("{", "the JSON body is not an object")
        yield from self._skip()
        if not self._next("}"):
            yield from self._members()
        self.t.at += 1
        yield from self._skip()
        if self.t.at < len(self.t.text):
            raise ShapeError("the JSON body goes on after its object")

    def _members(self) -> Reader:
        """Every member, up to the closing brace (left unread)."""
        while True:
            name = yield from self._value()
            if not isinstance(name, str):
                raise ShapeError("a member name of the JSON body is not a string")
            yield from self._char(":", "a member has no ':'")
            yield from self._skip()
            if name == self.key and self._next("["):
                self.t.at += 1
                yield from self._elements()
            else:
                self.rest[name] = yield from self._value()
            yield from self._skip()
            if self._next("}"):
                return
            yield from self._char(",", "members are not separated by ','")
            yield from self._skip()

    def _elements(self) -> Reader:
        """The array's elements, one at a time, past its closing bracket."""
        yield from self._skip()
        if self._next("]"):
            self.t.at += 1
            return
        while True:
            yield (yield from self._value())
            yield from self._skip()
            if self._next("]"):
                self.t.at += 1
                return
            yield from self._char(",", "elements are not separated by ','")
            yield from self._skip()

    def _value(self) -> Generator[object, None, object]:
        """The JSON value at `at`, once the text holds all of it."""
        while True:
            t = self.t
            try:
                value, end = _DECODER.raw_decode(t.text, t.at)
            except json.JSONDecodeError as error:
                if t.ended or not _cut_short(error, len(t.text)):
                    raise
            else:
                if t.ended or end <= len(t.text) - _TAIL:
                    t.at = end
                    return value
            yield from self._wait()

    def _skip(self) -> Reader:
        """Past white space, to the next character (or the end of the body)."""
        while True:
            found = _SPACE.match(self.t.text, self.t.at)
            self.t.at = self.t.at if found is None else found.end()
            if self.t.at < len(self.t.text) or self.t.ended:
                return
            yield from self._wait()

    def _char(self, char: str, problem: str) -> Reader:
        yield from self._skip()
        if self.t.at >= len(self.t.text):
            raise ShapeError("the body is not JSON")  # it breaks off
        if not self._next(char):
            raise ShapeError(problem)
        self.t.at += 1

    def _next(self, char: str) -> bool:
        return self.t.text.startswith(char, self.t.at)

    def _wait(self) -> Reader:
        self.t.wanting()
        while not self.t.ready():
            yield _MORE
        self.t.more()


def _cut_short(error: json.JSONDecodeError, length: int) -> bool:
    """Whether the decoder may have failed only because the text ends too soon."""
    return error.msg.startswith("Unterminated string") or error.pos >= length - _NEAR
