"""Image files for upload tests, made in memory in a few milliseconds."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def png_claiming(width: int, height: int) -> bytes:
    """A PNG of a few dozen bytes whose header claims `width` x `height` pixels (its data is
    empty): what a decompression bomb looks like to a reader that does not decode it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


def bomb(name: str = "huge.png", width: int = 30_000, height: int = 30_000) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_claiming(width, height), content_type="image/png")


def photo(
    size: tuple[int, int], *, orientation: int | None = None, name: str = "photo.jpg"
) -> SimpleUploadedFile:
    """A JPEG of `size` pixels, with an EXIF orientation when given."""
    out = io.BytesIO()
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    Image.new("RGB", size, "teal").save(out, "JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")
