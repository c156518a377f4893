#!/usr/bin/env python3
"""Draws assets/icon.png: a table of items, key column highlighted (no dependencies)."""
import struct, zlib, pathlib

S = 256
BG, KEY, CELL, EDGE = (30, 58, 95), (255, 153, 0), (226, 232, 240), (15, 30, 50)

def inside_rounded(x, y, x0, y0, x1, y1, r):
    if not (x0 <= x < x1 and y0 <= y < y1):
        return False
    cx = min(max(x, x0 + r), x1 - 1 - r)
    cy = min(max(y, y0 + r), y1 - 1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r

rows = []
for y in range(S):
    row = bytearray([0])
    for x in range(S):
        px = (0, 0, 0, 0)
        if inside_rounded(x, y, 8, 8, S - 8, S - 8, 40):
            px = BG + (255,)
            for r in range(4):
                for c in range(3):
                    x0, y0 = 40 + c * 62, 48 + r * 42
                    if inside_rounded(x, y, x0, y0, x0 + 54, y0 + 34, 6):
                        px = (KEY if c == 0 else CELL) + (255,)
                    elif r == 0 and y0 + 36 <= y < y0 + 40 and 40 <= x < 216:
                        px = EDGE + (255,)
        row += bytes(px)
    rows.append(bytes(row))

def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", S, S, 8, 6, 0, 0, 0))
png += chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b"")
out = pathlib.Path(__file__).resolve().parent.parent / "assets" / "icon.png"
out.write_bytes(png)
print(out)
