"""core.images: the size a browser shows an image at, and images refused before they are
decoded (a header claiming tens of thousands of pixels a side)."""

import warnings

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from PIL import Image

from core.errors import ApplicationError
from core.images import check_image, display_box, stored_size

from .images import bomb, photo

TOO_LARGE = "“huge.png” is too large in pixels: images of up to 89 million pixels are taken."


@pytest.mark.parametrize(
    ("width", "height"),
    [
        (30_000, 30_000),  # over twice Pillow's limit: Pillow raises DecompressionBombError
        (10_000, 10_000),  # between once and twice: Pillow only warns; refused all the same
    ],
)
@pytest.mark.parametrize("bomb_warning", ["ignore", "error"])  # python -W error, or not
def test_a_header_claiming_too_many_pixels_is_refused_naming_the_field(width, height, bomb_warning):
    with warnings.catch_warnings():
        warnings.simplefilter(bomb_warning, Image.DecompressionBombWarning)
        with pytest.raises(ApplicationError) as refused:
            check_image(bomb(width=width, height=height), label="“huge.png”", field="attachments")
    assert (refused.value.field, refused.value.status) == ("attachments", 400)
    assert refused.value.message == TOO_LARGE


@pytest.mark.parametrize(
    ("size", "orientation", "shown"),
    [
        ((640, 360), None, (640, 360)),
        ((640, 360), 3, (640, 360)),  # upside down: the same box
        ((1600, 1200), 6, (1200, 1600)),  # a camera's quarter turn: shown upright
        ((1600, 1200), 8, (1200, 1600)),
    ],
)
def test_the_size_is_the_one_a_browser_shows(size, orientation, shown):
    upload = photo(size, orientation=orientation)
    assert check_image(upload, label="The photo", field="image") == shown
    assert upload.tell() == 0  # left at its start, ready to be stored


def test_a_file_that_is_not_an_image_is_refused_naming_the_field():
    with pytest.raises(ApplicationError) as refused:
        check_image(ContentFile(b"<svg onload=alert(1)>"), label="The photo", field="image")
    assert (refused.value.field, refused.value.message) == (
        "image",
        "The photo is not a readable image.",
    )


@pytest.mark.parametrize(
    ("size", "box"),
    [
        ((640, 360), (640, 360)),
        ((1200, 1600), (315, 420)),  # scaled to 420 px tall, the ratio kept
        ((5000, 10), (5000, 10)),  # a wide banner: the stylesheet narrows it to its column
        ((1, 10_000), (1, 420)),  # never 0 px wide
        ((None, None), None),  # not known: no attributes, as before
        ((640, None), None),
    ],
)
def test_display_box(size, box):
    assert display_box(*size, max_height=420) == box


def test_stored_size_reads_stored_files_and_skips_what_it_cannot_read(tmp_path):
    storage = FileSystemStorage(location=tmp_path)
    good = storage.save("a.jpg", photo((1600, 1200), orientation=6))
    broken = storage.save("b.png", ContentFile(b"not an image"))
    huge = storage.save("c.png", bomb())

    class Row:  # what a migration's historical model hands over: a FieldFile-like file
        def __init__(self, name):
            self.name = name

        def open(self, mode):
            return storage.open(self.name, mode)

    assert stored_size(Row(good)) == (1200, 1600)
    assert stored_size(Row(broken)) is None
    assert stored_size(Row(huge)) is None
    assert stored_size(Row("missing.png")) is None
