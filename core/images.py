"""Images read with Pillow, in one place: what size a browser shows a photo at, and which
files are refused before they are decoded.

- The size is read at upload and kept on the row, so pages give the <img> its width and
  height and the browser reserves the box before the photo arrives: nothing under the
  reader's pointer moves when it does. A camera's quarter turn (EXIF orientation 5-8) swaps
  width and height, as browsers turn the photo upright.
- A file whose header claims more than MAX_PIXELS is refused without decoding it (a 30000 x
  30000 PNG of a few hundred bytes would need gigabytes): Pillow raises
  DecompressionBombError above twice its limit and only warns between once and twice, so
  both, and our own count, end as TooManyPixels and a clear 400 naming the field.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from PIL import Image, UnidentifiedImageError

from .errors import ApplicationError

EXIF_ORIENTATION = 0x0112
QUARTER_TURNS = {5, 6, 7, 8}  # orientations a quarter turn away: width and height swap
MAX_PIXELS = Image.MAX_IMAGE_PIXELS  # 89,478,485: Pillow's own bomb limit (a 50 MP photo fits)
# What Pillow raises for a file it cannot read (truncated, not an image, a broken header).
UNREADABLE = (UnidentifiedImageError, OSError, SyntaxError, ValueError)


class TooManyPixels(Exception):
    """The image claims more pixels than the caller takes."""


@contextmanager
def open_image(fileobj, *, max_pixels: int = MAX_PIXELS) -> Iterator[Image.Image]:
    """Image.open, from the start of `fileobj`, refusing (TooManyPixels) an image of more
    than `max_pixels` before anything is decoded. Pillow's UNREADABLE errors pass through."""
    fileobj.seek(0)
    try:
        image = Image.open(fileobj)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # The warning is raised only where warnings are errors (python -W error); otherwise
        # it is printed once and the count below refuses the image all the same.
        raise TooManyPixels(str(exc)) from exc
    with image:
        if image.width * image.height > max_pixels:
            raise TooManyPixels(f"{image.width} x {image.height} pixels")
        yield image


def shown_size(image: Image.Image) -> tuple[int, int]:
    """(width, height) as a browser shows the image: turned upright as its EXIF says."""
    size = image.size
    if image.getexif().get(EXIF_ORIENTATION) in QUARTER_TURNS:
        size = size[::-1]
    return size


def check_image(upload, *, label: str, field: str, max_pixels: int = MAX_PIXELS) -> tuple[int, int]:
    """Refuse (ApplicationError naming `field`, `label` the subject of its sentence: "The
    photo", "“beach.png”") an upload that is not a readable image or has more than
    `max_pixels`; its shown (width, height) otherwise. Leaves `upload` at its start."""
    try:
        with open_image(upload, max_pixels=max_pixels) as image:
            image.verify()
        with open_image(upload, max_pixels=max_pixels) as image:  # verify() spends the image
            size = shown_size(image)
    except TooManyPixels as exc:
        raise ApplicationError(
            f"{label} is too large in pixels: images of up to "
            f"{max_pixels / 1_000_000:.0f} million pixels are taken.",
            field=field,
        ) from exc
    except UNREADABLE as exc:
        raise ApplicationError(f"{label} is not a readable image.", field=field) from exc
    finally:
        upload.seek(0)
    return size


def stored_size(stored) -> tuple[int, int] | None:
    """The shown (width, height) of a stored image file (a FieldFile), or None when it cannot
    be read (missing, damaged, too many pixels): for measuring files kept before sizes were."""
    try:
        with stored.open("rb") as handle, open_image(handle) as image:
            return shown_size(image)
    except (*UNREADABLE, TooManyPixels):
        return None


def measure_stored(rows, *, file_field: str, chunk: int = 200) -> None:
    """Give every row of `rows` (a migration's queryset, on the database being migrated)
    the image_width and image_height of its stored file `file_field`, in chunks; a file that
    cannot be read keeps no size (shown as before sizes were kept)."""
    measured = []
    for row in rows.only("pk", file_field).iterator(chunk_size=chunk):
        size = stored_size(getattr(row, file_field))
        if size is not None:
            row.image_width, row.image_height = size
            measured.append(row)
        if len(measured) >= chunk:
            rows.model.objects.using(rows.db).bulk_update(measured, ["image_width", "image_height"])
            measured = []
    rows.model.objects.using(rows.db).bulk_update(measured, ["image_width", "image_height"])


def display_box(
    width: int | None, height: int | None, *, max_height: int
) -> tuple[int, int] | None:
    """The (width, height) a page gives an <img> of this size shown at most `max_height`
    tall (the stylesheet narrows it further to fit its column, keeping the ratio with
    `height: auto`). None when the size is not known."""
    if not (width and height):
        return None
    if height > max_height:
        width, height = max(1, round(width * max_height / height)), max_height
    return width, height
