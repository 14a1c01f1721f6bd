"""Streaming split of one log file into top-level items, with line numbers for error reports.

A file is read in one of three ways, chosen from its first bytes:
- document: starts with `[` or `{"Records": [` (CloudTrail S3 export, JSON array) or holds one
  pretty-printed JSON value; array elements are decoded one at a time from a sliding buffer so
  that a large export never sits in memory whole;
- JSON lines: the first line is a complete JSON value (NDJSON, CloudWatch exports);
- text lines: anything else (VPC Flow Logs text records, with or without header lines).

Hostile files cost one reported item, never the run or unbounded memory: a value nested deeper than Python's
recursion limit, a line or JSON value longer than MAX_ITEM_CHARS, and bytes that are not UTF-8 (the stream is
decoded with `surrogateescape`; an item holding such a byte is reported with its line and skipped).
"""
import json
import re
from dataclasses import dataclass

import orjson

CHUNK = 1 << 20
MAX_ITEM_CHARS = 64 << 20  # far above any AWS log record (CloudTrail: 256 KB); bounds memory per item
_NOT_UTF8 = re.compile("[\udc80-\udcff]")  # what surrogateescape makes of a byte that is not UTF-8
LINE_END = re.compile(r"\r\n|\r|\n")
_RECORDS_START = re.compile(r'\{\s*"Records"\s*:\s*\[')
_WS = " \t\r\n"
_DECODER = json.JSONDecoder()


@dataclass
class Item:
    """One top-level piece of a file: `value` is the parsed JSON, or None for a text line."""

    line: int
    raw: str
    value: object = None
    is_json: bool = True


class ReadError(Exception):
    """A malformed piece of a file; `line` is where it starts."""

    def __init__(self, line, message):
        super().__init__(message)
        self.line = line
        self.message = message


class _Buffer:
    """Sliding text buffer over a stream; keeps the line number of the current position."""

    def __init__(self, stream, head):
        self.stream = stream
        self.buf = head
        self.pos = 0
        self.line = 1
        self.eof = False

    def fill(self):
        if len(self.buf) - self.pos > MAX_ITEM_CHARS:
            raise ReadError(self.line, f"a JSON value longer than {MAX_ITEM_CHARS} characters; "
                                       "the rest of the file is skipped")
        chunk = self.stream.read(CHUNK)
        if not chunk:
            self.eof = True
            return
        self.buf = self.buf[self.pos:] + chunk
        self.pos = 0

    def peek(self):
        """Skip whitespace (counting lines) and return the next character, '' at the end."""
        while True:
            buf, pos = self.buf, self.pos
            while pos < len(buf) and buf[pos] in _WS:
                if buf[pos] == "\n":
                    self.line += 1
                pos += 1
            self.pos = pos
            if pos < len(buf):
                return buf[pos]
            if self.eof:
                return ""
            self.fill()

    def expect(self, chars):
        char = self.peek()
        if char == "" or char not in chars:
            found = "end of file" if char == "" else repr(char)
            raise ReadError(self.line, f"expected one of {chars!r}, found {found}")
        self.pos += 1
        return char

    def decode(self):
        """Decode the JSON value at the current position, reading more of the stream as needed."""
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
            except RecursionError:
                raise ReadError(self.line, "JSON nested too deeply; the rest of the file is skipped") from None
            except json.JSONDecodeError as exc:
                if self.eof:
                    line = self.line + self.buf.count("\n", self.pos, exc.pos)
                    raise ReadError(line, f"invalid JSON: {exc.msg}") from None
                self.fill()
                continue
            if end == len(self.buf) and not self.eof:
                self.fill()
                continue
            raw = self.buf[self.pos:end]
            item = Item(self.line, raw, value)
            self.line += raw.count("\n")
            self.pos = end
            return item


def _elements(buffer):
    """Yield the elements of the JSON array whose `[` was just consumed."""
    if buffer.peek() == "]":
        buffer.pos += 1
        return
    while True:
        yield buffer.decode()
        if buffer.expect(",]") == "]":
            return


def _read_document(stream, head):
    buffer = _Buffer(stream, head)
    while True:
        char = buffer.peek()
        if char == "":
            return
        if char == "[":
            buffer.pos += 1
            yield from _elements(buffer)
            continue
        while len(buffer.buf) - buffer.pos < 64 and not buffer.eof:
            buffer.fill()
        match = _RECORDS_START.match(buffer.buf, buffer.pos)
        if match:
            buffer.line += buffer.buf.count("\n", buffer.pos, match.end())
            buffer.pos = match.end()
            yield from _elements(buffer)
            if buffer.expect(",}") == ",":
                raise ReadError(buffer.line, 'unexpected key after the "Records" array')
            continue
        yield buffer.decode()


def _is_json_line(line):
    text = line.strip()
    if not text or text[0] not in "{[":
        return False
    try:
        orjson.loads(text)
    except orjson.JSONDecodeError:
        return False
    return True


def read_items(stream, line_filter=None):
    """Yield Items of a text stream; a malformed piece yields a ReadError instead (not raised).

    In a document, an error ends the file (the rest cannot be re-synchronised); in line modes
    only the bad line is lost. `line_filter` (JSON lines only): called with each JSON line's text before it is
    parsed; a line it rejects is skipped unparsed (replay/ingest/prefilter.py).
    """
    head = stream.read(64)
    start = head.lstrip(_WS)
    if start.startswith("[") or _RECORDS_START.match(start):
        yield from _guard(_read_document(stream, head))
        return
    consumed = head if "\n" in head else head + stream.readline(MAX_ITEM_CHARS)
    if start.startswith("{") and not _is_json_line(consumed.partition("\n")[0]):
        yield from _guard(_read_document(stream, consumed))
        return
    yield from _read_lines(stream, consumed, line_filter)


def not_utf8(item):
    """A ReadError when the item holds bytes that were not UTF-8, else None."""
    if item.raw.isascii():
        return None
    bad = _NOT_UTF8.search(item.raw)
    if bad is None:
        return None
    return ReadError(item.line, f"invalid UTF-8 byte 0x{ord(bad.group()) - 0xDC00:02x}; item skipped")


def _guard(items):
    try:
        for item in items:
            yield not_utf8(item) or item
    except ReadError as exc:
        yield exc


def _lines(stream, head):
    """(line number, text without its end, or None for a line longer than MAX_ITEM_CHARS) of each line.

    Splits at \n, \r\n and \r as the text stream's readline does, reading CHUNK characters at a time, so a
    file without line breaks never sits in memory whole. A buffer without \r (the usual case) is split with
    str.split, several times faster than the regular expression."""
    buf, line_no, overlong = head, 0, False
    while True:
        chunk = stream.read(CHUNK)
        buf += chunk
        if "\r" not in buf:
            lines = buf.split("\n")
            buf = lines.pop()
            for text in lines:
                line_no += 1
                yield line_no, None if overlong else text
                overlong = False
        position = 0
        for match in LINE_END.finditer(buf):
            if chunk and match.end() == len(buf) and match.group() == "\r":
                break  # a \r at the end of the buffer may be the first half of \r\n
            line_no += 1
            yield line_no, None if overlong else buf[position:match.start()]
            overlong, position = False, match.end()
        buf = buf[position:]
        if len(buf) > MAX_ITEM_CHARS:
            overlong, buf = True, ""
        if not chunk:
            if buf or overlong:
                yield line_no + 1, None if overlong else buf
            return


def _read_lines(stream, head, line_filter=None):
    for line_no, text in _lines(stream, head):
        item = line_item(line_no, text, line_filter)
        if item is not None:
            yield item


def line_item(line_no, text, line_filter=None):
    """The Item (or ReadError) of one line of a line-mode file, None for a blank line or one `line_filter`
    rejects; `text` is the line without its end, None for one longer than MAX_ITEM_CHARS."""
    if text is None:
        return ReadError(line_no, f"line longer than {MAX_ITEM_CHARS} characters; skipped")
    stripped = text.strip()
    if not stripped:
        return None
    if stripped[0] not in "{[":
        item = Item(line_no, text, None, is_json=False)
        return not_utf8(item) or item
    if line_filter is not None and not line_filter(stripped):
        return None
    item = Item(line_no, stripped)
    bad = not_utf8(item)
    if bad is not None:
        return bad
    try:
        item.value = orjson.loads(stripped)
    except orjson.JSONDecodeError as exc:
        return ReadError(line_no, f"invalid JSON line: {exc}")
    return item


def array_items(raw, key):
    """Verbatim Items of the array under `key` in the JSON object text `raw` (a container line)."""
    match = re.search(r'"%s"\s*:\s*\[' % re.escape(key), raw)
    if match is None:
        raise ReadError(1, f'no "{key}" array found')
    buffer = _Buffer(None, raw)
    buffer.eof = True
    buffer.line += raw.count("\n", 0, match.end())
    buffer.pos = match.end()
    return list(_elements(buffer))
