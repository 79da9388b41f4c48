"""Small PNG previews of images and of a PDF's first page, made from the stored file.

Images through Pillow (as avatars and covers are), PDFs through pypdfium2 (PDFium, the PDF
engine of Chromium: prebuilt wheels, no system library, no network). A file that cannot be
read — a damaged or password-protected PDF, an image bomb — gets no preview, never an error
the uploader sees: the library then shows the file's kind instead.
"""

import io
import logging

from PIL import Image

from core.images import MAX_PIXELS, TooManyPixels

log = logging.getLogger(__name__)

PREVIEW_BOX = (480, 640)  # the largest preview, width x height, in pixels
# A page rendered bigger than this (a poster-sized PDF page) is scaled down first.
MAX_RENDER_PIXELS = 4_000_000
IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}
PDF_TYPE = "application/pdf"


def can_preview(content_type: str) -> bool:
    return content_type in IMAGE_TYPES or content_type == PDF_TYPE


def make_preview(data: bytes, content_type: str) -> bytes | None:
    """The PNG preview of a file's bytes, or None when there is none to make."""
    try:
        if content_type in IMAGE_TYPES:
            return _png(_open_image(data))
        if content_type == PDF_TYPE:
            image = _first_page(data)
            return _png(image) if image is not None else None
    except Exception:  # any unreadable file: no preview, logged
        log.info("no preview for a %s file", content_type, exc_info=True)
    return None


def _open_image(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))  # over twice MAX_PIXELS: DecompressionBombError
    if image.width * image.height > MAX_PIXELS:  # between once and twice: only a warning
        raise TooManyPixels(f"{image.width} x {image.height} pixels")
    image.seek(0)  # the first frame of an animation
    image.load()
    return image


def _first_page(data: bytes) -> Image.Image | None:
    try:
        import pypdfium2 as pdfium
    except ImportError:  # the dependency is missing: previews of PDFs are off
        return None
    pdf = pdfium.PdfDocument(data)
    try:
        if len(pdf) == 0:
            return None
        page = pdf[0]
        try:
            width, height = page.get_size()
            if width <= 0 or height <= 0:
                return None
            scale = min(PREVIEW_BOX[0] / width, PREVIEW_BOX[1] / height, 4.0)
            scale = min(scale, (MAX_RENDER_PIXELS / (width * height)) ** 0.5)
            bitmap = page.render(scale=scale)
            try:
                return bitmap.to_pil().copy()
            finally:
                bitmap.close()
        finally:
            page.close()
    finally:
        pdf.close()


def _png(image: Image.Image) -> bytes:
    image.thumbnail(PREVIEW_BOX)
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
