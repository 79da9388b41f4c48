"""Uploaded files: stored under random names, sent only after a view found their row.

No URL names a file on disk. A view finds the row through its app's visibility selector
(`feeds.selectors.get_attachment`, `people.selectors.get_profile_by_avatar`) and hands the
row's stored name to `serve_stored_file`, which refuses any name that leaves its folder
(`..`, absolute, backslash, NUL, a symlink out of the folder) and then either streams the
file or, in production, tells the web server to send it (`MEDIA_DELIVERY`):

- `django` (default): Django streams the file (FileResponse).
- `nginx`: `X-Accel-Redirect: <MEDIA_ACCEL_PREFIX><name>`; nginx maps that prefix to
  MEDIA_ROOT in an `internal` location, so only a URL the application answered is served.
- `sendfile`: `X-Sendfile: <absolute path>` (Apache mod_xsendfile, lighttpd).

Stored names are `<folder>/<uuid4 hex><.ext>` (`RandomName`): they say nothing of the
original name, which the row keeps and `Content-Disposition` sends back.
"""

import os
import posixpath
import re
import unicodedata
import uuid
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404, HttpResponse
from django.utils import timezone
from django.utils.deconstruct import deconstructible

DELIVERY_MODES = ("django", "nginx", "sendfile")

# Everything but letters, digits and a few marks becomes "_" in the ASCII fallback name.
_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9 ._()\[\]+,=@!#$&'~-]")


@deconstructible
class RandomName:
    """`upload_to` that stores a file as `<folder>/<uuid4 hex><.ext>`.

    `folder` may hold strftime codes (`attachments/%Y/%m/`). The extension is kept from the
    uploaded name only when it is one of `extensions`, so a file never lands on disk as
    `.html` or `.svg` whatever its uploader called it.
    """

    def __init__(self, folder: str, extensions: tuple[str, ...] = ()):
        self.folder = folder
        self.extensions = tuple(extensions)

    def __call__(self, instance, filename: str) -> str:
        return posixpath.join(timezone.now().strftime(self.folder), self.name_for(filename))

    def name_for(self, filename: str) -> str:
        extension = os.path.splitext(filename or "")[1].lower().lstrip(".")
        suffix = f".{extension}" if extension in self.extensions else ""
        return f"{uuid.uuid4().hex}{suffix}"

    def __eq__(self, other) -> bool:
        return (
            isinstance(other, RandomName)
            and self.folder == other.folder
            and self.extensions == other.extensions
        )

    def __hash__(self) -> int:
        return hash((self.folder, self.extensions))


def stored_path(name: str, folder: str) -> Path:
    """The absolute path of the stored file `name`, which must lie inside `folder` of
    MEDIA_ROOT and be a regular file; Http404 otherwise.

    The name comes from a row, never from a URL; this is the second wall in case a row
    ever holds something odd (or a symlink was planted on disk).
    """
    folder = folder.strip("/")
    if (
        not name
        or "\x00" in name
        or "\\" in name
        or name.startswith("/")
        or posixpath.normpath(name) != name
        or ".." in name.split("/")
        or not name.startswith(folder + "/")
    ):
        raise Http404("No such file.")
    root = Path(settings.MEDIA_ROOT).resolve()
    base = (root / folder).resolve()
    try:
        real = (root / name).resolve(strict=True)
    except (OSError, RuntimeError) as exc:  # missing, or a symlink loop
        raise Http404("No such file.") from exc
    if not real.is_relative_to(base) or not real.is_file():
        raise Http404("No such file.")
    return real


def content_disposition(filename: str, *, inline: bool) -> str:
    """`inline`/`attachment` with the name the uploader gave (RFC 6266).

    Control and format characters (newlines, NUL, right-to-left overrides) and path
    separators are dropped; a name that is not plain ASCII is sent as `filename*`
    (RFC 5987, UTF-8) after an ASCII `filename` for old clients.
    """
    kind = "inline" if inline else "attachment"
    clean = "".join(
        " " if unicodedata.category(ch)[0] == "Z" else ch
        for ch in unicodedata.normalize("NFC", filename or "")
        if unicodedata.category(ch)[0] != "C"
    )
    clean = clean.replace("/", "_").replace("\\", "_").strip(" .") or "download"
    if clean.isascii() and not _UNSAFE_ASCII.search(clean):
        return f'{kind}; filename="{clean}"'
    stem, extension = os.path.splitext(clean)
    fallback = (_ascii(stem) or "download") + (f".{_ascii(extension)}" if extension else "")
    if fallback == clean:
        return f'{kind}; filename="{fallback}"'
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(clean, safe='')}"


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _UNSAFE_ASCII.sub("_", text).strip(" .")


def serve_stored_file(
    *,
    name: str,
    folder: str,
    filename: str,
    content_type: str,
    inline: bool,
    max_age: int,
) -> HttpResponse:
    """The response that sends the stored file `name` (found through its row)."""
    path = stored_path(name, folder)
    mode = settings.MEDIA_DELIVERY
    if mode == "nginx":
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_PREFIX + quote(name)
    elif mode == "sendfile":
        response = HttpResponse(content_type=content_type)
        response["X-Sendfile"] = str(path)
    else:
        response = FileResponse(path.open("rb"), content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = f"private, max-age={max_age}"
    # Opened as a page by itself, a file runs nothing and loads nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- Checking uploads ------------------------------------------------------------------

# The kinds of file people attach (to posts, to messages): images, PDF, text, CSV and
# Office documents, by declared type, with the extensions a stored name may keep.
UPLOAD_TYPES = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    "application/pdf": "pdf",
    "text/plain": "txt",
    "text/csv": "csv",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
}
UPLOAD_EXTENSIONS = (*sorted(set(UPLOAD_TYPES.values())), "jpeg")


class CheckedUpload(NamedTuple):
    """An upload check_uploads let through; an image's shown size in pixels (None for
    other files), kept on its row so pages reserve the image's box (core.images)."""

    upload: UploadedFile
    width: int | None = None
    height: int | None = None


def check_uploads(
    uploads, *, max_count: int, max_bytes: int, field: str = "attachments"
) -> list[CheckedUpload]:
    """Refuse (ApplicationError naming `field`) too many files, a kind we do not keep, a
    file over `max_bytes`, or an "image" that does not decode or has too many pixels."""
    from .errors import ApplicationError
    from .images import check_image

    if len(uploads) > max_count:
        raise ApplicationError(f"Attach at most {max_count} files.", field=field)
    checked = []
    for upload in uploads:
        label = (upload.name or "file")[:60]
        if upload.content_type not in UPLOAD_TYPES:
            raise ApplicationError(
                f"“{label}” is not a kind of file we keep: images, PDF, text, CSV and Office "
                "documents are.",
                field=field,
            )
        if upload.size > max_bytes:
            raise ApplicationError(f"“{label}” is over {max_bytes // 1048576} MB.", field=field)
        if upload.content_type.startswith("image/"):
            width, height = check_image(upload, label=f"“{label}”", field=field)
            checked.append(CheckedUpload(upload, width, height))
        else:
            checked.append(CheckedUpload(upload))
    return checked
