import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def png_bytes(size=(40, 30), colour=(10, 120, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def pdf_bytes() -> bytes:
    """A one-page PDF, written by Pillow (no fixture file to keep)."""
    out = io.BytesIO()
    Image.new("RGB", (200, 280), (240, 240, 240)).save(out, format="PDF")
    return out.getvalue()


def text_upload(name="notes.txt", body=b"meeting notes") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="text/plain")


def png_upload(name="chart.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path, monkeypatch):
    from config.celery import app

    settings.MEDIA_ROOT = tmp_path
    # Previews are made by a task after commit: run it here, with or without a broker.
    monkeypatch.setitem(app.conf, "task_always_eager", True)
