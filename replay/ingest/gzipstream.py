"""A gzip reader that keeps what a truncated or damaged file still holds.

`gzip.GzipFile` raises EOFError when a file ends before its end-of-stream marker, and the text layer above it
drops the part it had decompressed but not yet handed out: a responder's half-copied `.json.gz` would lose the
records it still holds. `TolerantGzip` decompresses with zlib itself, member after member (concatenated gzip
members are one file, as `gzip` reads them), and at a cut or a corrupt block returns everything decompressed so
far, then end of file; `damage` then says where the data stopped, so the reader can report how much was read.
"""
import io
import zlib

CHUNK = 1 << 16


class TolerantGzip(io.RawIOBase):
    """Readable raw stream of the decompressed bytes of the gzip file object `raw`."""

    def __init__(self, raw):
        super().__init__()
        self._raw = raw
        self._inflate = zlib.decompressobj(wbits=31)
        self._pending = b""
        self._done = False
        self._at_end = False
        self.compressed_read = 0
        self.decompressed = 0
        self.newlines = 0
        self.damage = None   # None, or why the data stopped early ("truncated ...", "corrupt ...")

    def readable(self):
        return True

    def readinto(self, buffer):
        while not self._pending and not self._done:
            self._pending = self._next_piece()
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    def _next_piece(self):
        if self._inflate.eof:   # a member ended: another member may follow (NUL padding is ignored, as gzip does)
            data = self._inflate.unused_data.lstrip(b"\0") or self._read_raw().lstrip(b"\0")
            while not data and not self._at_end:
                data = self._read_raw().lstrip(b"\0")
            if not data:
                self._done = True
                return b""
            self._inflate = zlib.decompressobj(wbits=31)
        else:
            data = self._inflate.unconsumed_tail or self._read_raw()
            if not data:
                self._done = True
                self.damage = "truncated: the compressed data ends before the gzip end-of-stream marker"
                return self._count(self._inflate.flush())
        try:
            return self._count(self._inflate.decompress(data, CHUNK))
        except zlib.error as exc:
            self._done = True
            self.damage = f"corrupt compressed data ({exc})"
            return b""

    def _read_raw(self):
        data = self._raw.read(CHUNK)
        self.compressed_read += len(data)
        self._at_end = not data
        return data

    def _count(self, piece):
        self.decompressed += len(piece)
        self.newlines += piece.count(b"\n")
        return piece

    def close(self):
        self._raw.close()
        super().close()
