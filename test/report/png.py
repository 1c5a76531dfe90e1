# Minimal PNG reader/writer (zlib + struct only) for the HTML report tests: decodes the 8-bit,
# non-interlaced grayscale/RGB/RGBA/palette images Chromium writes, and writes RGB or palette PNGs.
import struct
import zlib

_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def read(path):
    """-> (width, height, rows): rows[y] is a bytes object of width * 3 RGB values."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG")
    pos, idat, palette, ihdr = 8, [], None, None
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"PLTE":
            palette = body
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        pos += 12 + length
    if ihdr is None:
        raise ValueError(f"{path}: no IHDR")
    width, height, depth, color, _, _, interlace = ihdr
    if depth != 8 or interlace != 0 or color not in _CHANNELS:
        raise ValueError(f"{path}: unsupported PNG (depth {depth}, color type {color}, interlace {interlace})")
    bpp = _CHANNELS[color]
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        ftype = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 255
            elif ftype == 2:
                line[i] = (line[i] + b) & 255
            elif ftype == 3:
                line[i] = (line[i] + ((a + b) >> 1)) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
            elif ftype != 0:
                raise ValueError(f"{path}: bad filter {ftype} in row {y}")
        prev = line
        if color == 2:
            rgb = bytes(line)
        elif color == 6:
            rgb = bytes(v for i in range(width) for v in line[i * 4:i * 4 + 3])
        elif color == 0:
            rgb = bytes(v for v in line for _ in range(3))
        elif color == 4:
            rgb = bytes(line[i * 2] for i in range(width) for _ in range(3))
        else:
            rgb = b"".join(palette[v * 3:v * 3 + 3] for v in line)
        rows.append(rgb)
    return width, height, rows


def _chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def write(path, width, rows, palette_max=256):
    """Writes RGB rows; as a palette image when they hold at most palette_max colors (smaller)."""
    colors = {}
    for r in rows:
        for i in range(0, len(r), 3):
            colors.setdefault(r[i:i + 3], len(colors))
            if len(colors) > palette_max:
                break
        if len(colors) > palette_max:
            break
    if len(colors) <= palette_max:
        raw = b"".join(b"\x00" + bytes(colors[r[i:i + 3]] for i in range(0, len(r), 3)) for r in rows)
        header = struct.pack(">IIBBBBB", width, len(rows), 8, 3, 0, 0, 0)
        extra = _chunk(b"PLTE", b"".join(sorted(colors, key=colors.get)))
    else:
        raw = b"".join(b"\x00" + r for r in rows)
        header = struct.pack(">IIBBBBB", width, len(rows), 8, 2, 0, 0, 0)
        extra = b""
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + extra + _chunk(b"IDAT", zlib.compress(raw, 9)) +
                _chunk(b"IEND", b""))
