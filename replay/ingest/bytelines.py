"""JSON lines read as bytes under a prefilter (hunt.py --search): only the lines that may match are decoded.

With a `prefilter.LineFilter` most lines of an NDJSON export are skipped unparsed, and what was left of the time
was decoding every byte as UTF-8 and splitting the text into one str per line (issue 21). Here each block of
whole lines is lower-cased and searched as bytes (C loops over the block, no per-line Python step): a line holding
none of the filter's anchors, no `\\u` escape and no byte >= 0x80 is exactly a line the filter rejects
(`bytes.lower` and `str.lower` agree on ASCII, and the anchors are ASCII), so it is counted as left out without
being decoded. Every other line is decoded and handed to `reader.line_item` with the filter, the text path's own
step, so what is kept, parsed and reported is what the text path gives. A block in which some line does not start
with `{` or `[` (text lines, blank or indented lines) or that holds a `\\r` is decoded whole and read line by line
as the text path reads it (`\\r`, `\\r\\n` and `\\n` end lines).
"""
import re

import orjson

from .reader import LINE_END, MAX_ITEM_CHARS, ReadError, line_item

BLOCK = 1 << 20
_BOM = b"\xef\xbb\xbf"
_RECORDS_START = re.compile(rb'\{\s*"Records"\s*:\s*\[')
_NON_ASCII = re.compile(rb"[\x80-\xff]")
_NOT_JSON_START = re.compile(rb"\n[^{\[]")   # a line (after the first) that does not start a JSON value
_JSON_START = b"{["
_NL = ord("\n")


def byte_anchors(line_filter):
    """The filter's anchors as bytes, or None when the bytes path cannot stand for it (no filter; an anchor that
    is not ASCII, empty or holds a line break)."""
    if not line_filter or not all(a.isascii() and a and "\n" not in a and "\r" not in a for a in line_filter.anchors):
        return None
    return tuple(a.encode() for a in line_filter.anchors)


def json_lines_head(binary):
    """The bytes read so far (the first line at least, a UTF-8 BOM removed) when `binary` is a JSON-lines file
    (its first line a JSON object, without `\\r`, not a `{"Records": [` document); None otherwise, and the caller
    reads the file from its start as text (`reader.read_items`)."""
    head = binary.read(64)
    if head.startswith(_BOM):
        head = head[len(_BOM):]
    if not head.startswith(b"{") or _RECORDS_START.match(head):
        return None
    if b"\n" not in head:
        head += binary.readline(MAX_ITEM_CHARS)
    first = head.partition(b"\n")[0]
    if b"\r" in first:
        return None
    try:
        orjson.loads(first)
    except orjson.JSONDecodeError:
        return None
    return head


def read_lines(binary, head, line_filter, anchors):
    """Yield the Items and ReadErrors of the JSON-lines file whose first bytes `head` were read from `binary`.

    One buffer is reused (`readinto`; the unfinished last line moved to its front): no block is copied or
    allocated per read, only its lower-cased copy."""
    buf = bytearray(max(BLOCK, 2 * len(head)))
    buf[:len(head)] = head
    filled, line_no, overlong = len(head), 0, False
    while True:
        if filled == len(buf):
            buf.extend(bytes(len(buf)))   # a line longer than the buffer (MAX_ITEM_CHARS bounds it below)
        with memoryview(buf) as view:
            got = binary.readinto(view[filled:])
        filled += got
        cut = buf.rfind(b"\n", 0, filled) + 1 if got else filled
        begin = 0
        if overlong and cut:
            begin = buf.find(b"\n", 0, cut) + 1 or cut
            line_no += 1
            yield ReadError(line_no, f"line longer than {MAX_ITEM_CHARS} characters; skipped")
            overlong = False
        if cut > begin:
            line_no = yield from _block(buf, begin, cut, line_no, line_filter, anchors)
        buf[:filled - cut] = buf[cut:filled]
        filled -= cut
        if filled > MAX_ITEM_CHARS:
            overlong, filled = True, 0
        if not got:
            if overlong:
                yield ReadError(line_no + 1, f"line longer than {MAX_ITEM_CHARS} characters; skipped")
            return


def _block(buf, begin, end, line_no, line_filter, anchors):
    """Yield the items of the whole lines buf[begin:end] that follow line `line_no`; return the last one's number."""
    if (buf[begin] not in _JSON_START or _NOT_JSON_START.search(buf, begin, end)
            or buf.find(b"\r", begin, end) >= 0):
        texts = LINE_END.split(buf[begin:end].decode("utf-8", "surrogateescape"))
        if texts[-1] == "":
            texts.pop()
        for offset, text in enumerate(texts, line_no + 1):
            item = line_item(offset, text, line_filter)
            if item is not None:
                yield item
        return line_no + len(texts)
    low = buf.lower()
    starts = set()
    for anchor in anchors:
        _mark(low, anchor, begin, end, starts)
    if buf.find(b"\\", begin, end) >= 0:   # memchr: most blocks of an export hold no backslash, so no \u escape
        _mark(buf, b"\\u", begin, end, starts)
    found = None if buf.isascii() else _NON_ASCII.search(buf, begin, end)
    while found:
        starts.add(buf.rfind(b"\n", begin, found.start()) + 1 or begin)
        stop = buf.find(b"\n", found.start(), end)
        found = _NON_ASCII.search(buf, stop, end) if stop >= 0 else None
    number, counted = line_no + 1, begin
    for start in sorted(starts):
        number += buf.count(b"\n", counted, start)
        counted = start
        stop = buf.find(b"\n", start, end)
        item = line_item(number, buf[start:stop if stop >= 0 else end].decode("utf-8", "surrogateescape"),
                         line_filter)
        if item is not None:
            yield item
    last = number + buf.count(b"\n", counted, end) - (buf[end - 1] == _NL)   # the block's last line
    line_filter.skipped += last - line_no - len(starts)
    return last


def _mark(haystack, needle, begin, end, starts):
    """Add to `starts` the start offset of every line of haystack[begin:end] that holds `needle`."""
    find = haystack.find
    position = find(needle, begin, end)
    while position >= 0:
        starts.add(haystack.rfind(b"\n", begin, position) + 1 or begin)
        stop = find(b"\n", position, end)
        if stop < 0:
            return
        position = find(needle, stop, end)
