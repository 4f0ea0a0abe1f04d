"""Reading the one kind of PHP ``serialize()`` text a WordPress export holds
that the import needs: Polylang's flat arrays, such as a group of
translations ``a:2:{s:2:"en";i:12;s:2:"fa";i:14;}`` (language → post id)
or a language's ``a:2:{s:6:"locale";s:5:"fa_IR";s:3:"rtl";i:1;}``.

Only arrays of scalars (strings, integers, booleans, floats, null) are read;
anything else (objects above all: unserialising those is how PHP sites get
attacked) is refused with ``ValueError``. Nothing is evaluated.
"""

from __future__ import annotations

import re

Scalar = str | int | float | bool | None

_NUMBER = re.compile(rb"[-+]?[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?")


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.at = 0

    def expect(self, text: bytes) -> None:
        if not self.data.startswith(text, self.at):
            raise ValueError(f"expected {text!r} at {self.at}")
        self.at += len(text)

    def until(self, end: bytes) -> bytes:
        stop = self.data.find(end, self.at)
        if stop < 0:
            raise ValueError(f"expected {end!r} after {self.at}")
        value = self.data[self.at : stop]
        self.at = stop + len(end)
        return value

    def scalar(self) -> Scalar:
        kind = self.data[self.at : self.at + 2]
        if kind == b"N;":
            self.at += 2
            return None
        self.at += 2
        if kind == b"s:":
            length = int(self.until(b":"))
            self.expect(b'"')
            value = self.data[self.at : self.at + length]
            self.at += length
            self.expect(b'";')
            return value.decode("utf-8")
        if kind == b"i:":
            return int(self.until(b";"))
        if kind == b"b:":
            return self.until(b";") == b"1"
        if kind == b"d:":
            text = self.until(b";")
            if not _NUMBER.fullmatch(text):
                raise ValueError(f"not a number: {text!r}")
            return float(text)
        raise ValueError(f"not a scalar at {self.at - 2}: {kind!r}")


def unserialize_flat_array(text: str) -> dict[str | int, Scalar]:
    """The PHP array of scalars serialised in ``text``, as a dict."""
    reader = _Reader(text.strip().encode("utf-8"))
    reader.expect(b"a:")
    count = int(reader.until(b":"))
    reader.expect(b"{")
    result: dict[str | int, Scalar] = {}
    for _index in range(count):
        key = reader.scalar()
        if not isinstance(key, (str, int)) or isinstance(key, bool):
            raise ValueError(f"an array key must be a string or integer: {key!r}")
        result[key] = reader.scalar()
    reader.expect(b"}")
    if reader.at != len(reader.data):
        raise ValueError("text after the array")
    return result
