"""A person's data: what each app puts in their copy, and what it does when their account is
deleted. The ground floor only keeps the lists; the apps register (AppConfig.ready), so no
lower app imports a higher one, as with core.retention.

- `register_exporter(name, records)`: `records(user)` yields one JSON-ready dict per thing
  the person wrote or chose (never what others wrote), read in chunks (`.iterator()`). A
  record may carry `"_files": [(zip_path, FieldFile), ...]`: the files go into the zip
  under `files/<name>/` and the record keeps their paths under `"files"`.
- `register_erasure(name, policy=..., describe=..., erase=...)`: one row of the deletion
  policy table (README, "My data"): `erase(user)` runs inside the deletion's transaction.

`write_zip` streams every exporter into one zip: each JSON file is written record by record
and each attachment copied in blocks, so memory does not grow with the person's history.
"""

import datetime as dt
import json
import posixpath
import shutil
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from .files import content_disposition

KEEP = "kept"
ANONYMISE = "anonymised"
DELETE = "deleted"
POLICIES = (KEEP, ANONYMISE, DELETE)

COPY_BLOCK = 1024 * 1024


@dataclass(frozen=True)
class Exporter:
    name: str
    records: Callable[[Any], Iterable[dict]]
    describe: str


@dataclass(frozen=True)
class Erasure:
    name: str
    policy: str
    describe: str
    erase: Callable[[Any], object] | None
    order: int


_exporters: dict[str, Exporter] = {}
_erasures: dict[str, Erasure] = {}


def register_exporter(name: str, records: Callable[[Any], Iterable[dict]], *, describe: str):
    """For the apps: `records(user)` yields the person's own rows of one kind as dicts."""
    if not name.replace("_", "").replace("-", "").isalnum():
        raise ValueError(f"an exporter name is letters, digits, - and _: {name!r}")
    _exporters[name] = Exporter(name=name, records=records, describe=describe)


def register_erasure(
    name: str,
    *,
    policy: str,
    describe: str,
    erase: Callable[[Any], object] | None = None,
    order: int = 100,
):
    """For the apps: what an account deletion does to one kind of content (`policy`: kept,
    anonymised or deleted; `describe` says it in a sentence for the admin's confirmation
    page and the README). `erase(user)` does it; lower `order` runs first."""
    if policy not in POLICIES:
        raise ValueError(f"policy must be one of {POLICIES}")
    _erasures[name] = Erasure(name=name, policy=policy, describe=describe, erase=erase, order=order)


def in_chunks(queryset, size: int = 500) -> Iterator[list]:
    """The rows of `queryset` in lists of `size`, by primary key (keyset: each chunk is one
    query on the index, whatever the table's size). For exporters that load what hangs on a
    chunk's rows in one query per chunk, rather than prefetch_related, whose per-row
    querysets cost more than the rows themselves at this scale."""
    last = None
    while True:
        page = queryset.order_by("pk")
        if last is not None:
            page = page.filter(pk__gt=last)
        rows = list(page[:size])
        if not rows:
            return
        yield rows
        last = rows[-1].pk


def grouped(rows, key: str) -> dict:
    """{each row's `key`: [rows]}, for rows as objects or dicts (a chunk's files by parent)."""
    found: dict = {}
    for row in rows:
        value = row[key] if isinstance(row, dict) else getattr(row, key)
        found.setdefault(value, []).append(row)
    return found


def exporters() -> list[Exporter]:
    return sorted(_exporters.values(), key=lambda e: e.name)


def erasures() -> list[Erasure]:
    return sorted(_erasures.values(), key=lambda e: (e.order, e.name))


def _safe_name(name: str) -> str:
    """A file name inside the zip: the uploader's name without folders or control marks."""
    disposition = content_disposition(name, inline=False)
    # content_disposition has already cleaned it; read its ASCII fallback back.
    return disposition.split('filename="', 1)[1].split('"', 1)[0]


class _Files:
    """The attachments named by records, copied into the zip after the JSON files."""

    def __init__(self) -> None:
        self.pending: list[tuple[str, Any]] = []
        self.taken: set[str] = set()

    def claim(self, exporter: str, path: str, field) -> str:
        base = posixpath.join("files", exporter, _safe_name(path))
        name, n = base, 1
        while name in self.taken:
            stem, ext = posixpath.splitext(base)
            name, n = f"{stem}-{n}{ext}", n + 1
        self.taken.add(name)
        self.pending.append((name, field))
        return name


def _records(exporter: Exporter, user, files: _Files) -> Iterator[dict]:
    for record in exporter.records(user):
        attached = record.pop("_files", None)
        if attached is not None:
            record["files"] = [
                files.claim(exporter.name, path, field) for path, field in attached if field
            ]
        yield record


def write_zip(user, out: IO[bytes], *, person_label: str) -> dict[str, int]:
    """Write `user`'s copy into the binary file `out`; {kind: records} for the manifest."""
    counts: dict[str, int] = {}
    files = _Files()
    encoder = DjangoJSONEncoder(ensure_ascii=False, indent=None)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for exporter in exporters():
            n = 0
            with archive.open(f"{exporter.name}.json", "w") as stream:
                stream.write(b"[")
                for record in _records(exporter, user, files):
                    stream.write((b",\n" if n else b"\n") + encoder.encode(record).encode())
                    n += 1
                stream.write(b"\n]\n" if n else b"]\n")
            counts[exporter.name] = n
        copied = 0
        for name, field in files.pending:
            try:
                with field.open("rb") as source, archive.open(name, "w") as target:
                    shutil.copyfileobj(source, target, COPY_BLOCK)
                copied += 1
            except (FileNotFoundError, OSError):
                continue  # a file gone from storage: its record still names it
        counts["files"] = copied
        manifest = {
            "person": person_label,
            "generated_at": timezone.now().astimezone(dt.UTC).isoformat(),
            "contents": {e.name: e.describe for e in exporters()},
            "counts": counts,
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
    return counts
