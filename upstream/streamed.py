"""A list answer read one record at a time, so a long list is never held whole as parsed values.

`json.loads` of the trader index's answer (100,000 traders, about 20 MB of JSON) builds every
record's dict at once: about 65 MB on top of the text, which set the service's peak memory. A
`Listing` reads the top-level object itself and hands out the elements of its one long array
(`key`) one by one, each parsed by the standard decoder (`JSONDecoder.raw_decode`, C speed, the
same numbers as `parse_json`: floats as `Decimal`); only one is alive at a time. The other
members are read whole and are in `rest` once the records have been read; `key`'s value, when
it is not an array, is read whole and its records (one, or none) handed out the same way. XML
has no such reader here: its document is parsed whole (`parse_xml`) and drained. ijson streams
too, but it read the index's answer about six times slower than `json` does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Generator, Iterator
from decimal import Decimal

from upstream.fields import Fields, ShapeError, as_fields
from upstream.parsing import parse_xml

_DECODER = json.JSONDecoder(parse_float=Decimal)
_SPACE = re.compile(r"[ \t\n\r]*")


class Listing:
    """The records of `key` (`records()`, once) and the document's other members (`rest`)."""

    def __init__(self, body: bytes, key: str, *, xml: bool = False) -> None:
        self._key, self._xml = key, xml
        self._body: bytes | None = body
        self._rest: dict[str, object] = {}

    @property
    def rest(self) -> Fields:
        """The members other than `key`'s array: complete once `records()` has been read."""
        return Fields(self._rest)

    def records(self) -> Iterator[Fields]:
        body, self._body = self._body, None
        if body is None:
            raise RuntimeError("a listing's records are read once")
        if self._xml:
            self._rest = dict(parse_xml(body)[1].data)
            yield from self._left_over()
            return
        try:
            text = body.decode()
        except UnicodeDecodeError:
            raise ShapeError("the body is not JSON") from None
        try:
            for value in _Members(text, self._key, self._rest).read():
                yield as_fields(value, self._key)
        except ShapeError:
            raise
        except ValueError:  # json.JSONDecodeError
            raise ShapeError("the body is not JSON") from None
        yield from self._left_over()

    def _left_over(self) -> Iterator[Fields]:
        """`key` read whole (XML, or JSON where it is not an array): its records, as `Fields`
        reads one record or a list of them."""
        if self._key in self._rest:
            yield from Fields({self._key: self._rest.pop(self._key)}).drain(self._key)


class _Members:
    """The top-level object of `text`, its `key` array streamed, the rest read into `rest`."""

    def __init__(self, text: str, key: str, rest: dict[str, object]) -> None:
        self.text, self.key, self.rest = text, key, rest

    def read(self) -> Generator[object, None, None]:
        at = self._char(self._skip(0), "{", "the JSON body is not an object")
        at = self._skip(at)
        if not self.text.startswith("}", at):
            at = yield from self._members(at)
        if self._skip(at + 1) != len(self.text):
            raise ShapeError("the JSON body goes on after its object")

    def _members(self, at: int) -> Generator[object, None, int]:
        """Every member from `at`; answers where the closing brace is."""
        while True:
            name, at = _DECODER.raw_decode(self.text, at)
            if not isinstance(name, str):
                raise ShapeError("a member name of the JSON body is not a string")
            at = self._skip(self._char(self._skip(at), ":", "a member has no ':'"))
            if name == self.key and self.text.startswith("[", at):
                at = yield from self._elements(self._skip(at + 1))
            else:
                self.rest[name], at = _DECODER.raw_decode(self.text, at)
            at = self._skip(at)
            if self.text.startswith("}", at):
                return at
            at = self._skip(self._char(at, ",", "members are not separated by ','"))

    def _elements(self, at: int) -> Generator[object, None, int]:
        """The array's elements from `at`, one at a time; answers past the closing bracket."""
        if self.text.startswith("]", at):
            return at + 1
        while True:
            value, at = _DECODER.raw_decode(self.text, at)
            yield value
            at = self._skip(at)
            if self.text.startswith("]", at):
                return at + 1
            at = self._skip(self._char(at, ",", "elements are not separated by ','"))

    def _skip(self, at: int) -> int:
        found = _SPACE.match(self.text, at)
        return at if found is None else found.end()

    def _char(self, at: int, char: str, problem: str) -> int:
        if at >= len(self.text):
            raise ShapeError("the body is not JSON")  # it breaks off
        if not self.text.startswith(char, at):
            raise ShapeError(problem)
        return at + 1
