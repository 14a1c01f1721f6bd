#!/usr/bin/env python3
"""Draw the app icons Splunk expects in appserver/static (stdlib only, deterministic output).

Sizes per Splunk's app packaging guidance: appIcon 36x36, appIcon_2x 72x72, appIconAlt(_2x) the same on a
dark background, appLogo 160x40, appLogo_2x 320x80. The motif: a pickaxe-like diagonal over a chip grid.
"""
import struct
import zlib
from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent / "appserver" / "static"
ORANGE = (236, 112, 20)
DARK = (33, 37, 41)
WHITE = (255, 255, 255)


def _png(width, height, pixel):
    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def _icon(size, background, foreground):
    def pixel(x, y):
        u, v = x / size, y / size
        on_chip = 0.22 < u < 0.78 and 0.22 < v < 0.78
        on_grid = on_chip and (int(u * 12) % 2 == 0 or int(v * 12) % 2 == 0)
        on_diagonal = abs(u - (1 - v)) < 0.07
        if on_diagonal:
            return foreground
        if on_grid:
            return ORANGE
        return background
    return _png(size, size, pixel)


def _logo(width, height):
    def pixel(x, y):
        u, v = x / height, y / height
        if u < 1.0:
            on_chip = 0.2 < u < 0.8 and 0.2 < v < 0.8
            return ORANGE if on_chip and (int(u * 10) % 2 == 0 or int(v * 10) % 2 == 0) else DARK
        bar = 0.35 < v < 0.65 and int(u * 2) % 3 != 2
        return WHITE if bar else DARK
    return _png(width, height, pixel)


def main():
    STATIC.mkdir(parents=True, exist_ok=True)
    outputs = {
        "appIcon.png": _icon(36, WHITE, DARK), "appIcon_2x.png": _icon(72, WHITE, DARK),
        "appIconAlt.png": _icon(36, DARK, WHITE), "appIconAlt_2x.png": _icon(72, DARK, WHITE),
        "appLogo.png": _logo(160, 40), "appLogo_2x.png": _logo(320, 80),
    }
    for name, data in outputs.items():
        (STATIC / name).write_bytes(data)


if __name__ == "__main__":
    main()
