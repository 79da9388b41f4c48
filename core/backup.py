"""Backups: the database and the uploaded files in one archive, and back again.

An archive is a plain tar file holding three members:

- `manifest.json`: the format, when and from what it was made, the database engine, the
  latest applied migration of each app, and for each member its size and sha256;
- `database.dump` (PostgreSQL: `pg_dump --format=custom`, restored with `pg_restore`) or
  `database.sqlite3` (SQLite: a consistent copy made with SQLite's online backup);
- `media.tar.gz`: everything under MEDIA_ROOT (photos, attachments).

It holds everything, password hashes and customers' personal data included: it is written
readable by its owner only, and belongs wherever the database's own backups go.

Restoring checks every member's checksum before it touches anything, then replaces the
database's contents (PostgreSQL: `pg_restore --clean --if-exists --single-transaction`, so a
failure changes nothing) and then MEDIA_ROOT's. Run `manage.py migrate` afterwards when the
code is newer than the backup. Both commands need the PostgreSQL client tools of the
server's major version (pg_dump refuses a newer server).
"""

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media.tar.gz"
DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


@dataclass(frozen=True)
class Summary:
    path: Path
    manifest: dict


def _engine(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(f"backups support PostgreSQL and SQLite, not {vendor}")
    return vendor


def _pg_env_and_args(alias: str = "default") -> tuple[dict, list[str]]:
    db = connections[alias].settings_dict
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return env, [*args, "--dbname", str(db["NAME"])]


def _run(argv: list[str], env: dict) -> None:
    try:
        subprocess.run(argv, env=env, check=True, capture_output=True, text=True)  # noqa: S603
    except FileNotFoundError as exc:
        raise BackupError(f"{argv[0]} is not installed (the PostgreSQL client tools)") from exc
    except subprocess.CalledProcessError as exc:
        raise BackupError(f"{argv[0]} failed: {exc.stderr.strip()[-2000:]}") from exc


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _describe(path: Path) -> dict:
    return {"file": path.name, "bytes": path.stat().st_size, "sha256": _sha256(path)}


def _dump_database(engine: str, target: Path) -> None:
    if engine == "postgresql":
        env, args = _pg_env_and_args()
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file",
              str(target), *args], env)  # fmt: skip
    else:
        source = sqlite3.connect(connections["default"].settings_dict["NAME"])
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()


def _pack_media(target: Path) -> dict:
    root = Path(settings.MEDIA_ROOT)
    files = total = 0
    with tarfile.open(target, "w:gz") as archive:
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    archive.add(path, arcname=str(path.relative_to(root)), recursive=False)
                    files += 1
                    total += path.stat().st_size
    return {"files": files, "content_bytes": total}


def _migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connections["default"]).applied_migrations():
        latest[app] = max(latest.get(app, name), name)
    return dict(sorted(latest.items()))


def default_path() -> Path:
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    return Path(settings.BACKUP_DIR) / f"socialhub-{stamp}.tar"


def create_backup(path: Path | None = None) -> Summary:
    """Write an archive of the database and MEDIA_ROOT to `path` (or BACKUP_DIR)."""
    path = Path(path or default_path())
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = _engine()
    with tempfile.TemporaryDirectory(dir=path.parent) as work:
        work = Path(work)
        database = work / DATABASE_FILES[engine]
        _dump_database(engine, database)
        media = work / MEDIA
        media_figures = _pack_media(media)
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "engine": engine,
            "migrations": _migrations(),
            "database": _describe(database),
            "media": {**_describe(media), **media_figures},
        }
        partial = path.with_name(path.name + ".partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w") as archive:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(dt.datetime.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
            archive.add(database, arcname=database.name)
            archive.add(media, arcname=MEDIA)
        partial.replace(path)  # only a complete archive carries the final name
    return Summary(path=path, manifest=manifest)


def read_manifest(path: Path) -> dict:
    try:
        with tarfile.open(path, "r:") as archive:
            member = archive.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            manifest = json.load(member)
    except (OSError, tarfile.TarError, KeyError, ValueError) as exc:
        raise BackupError(f"{path} is not a socialhub backup: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path} has backup format {manifest.get('format')}, not {FORMAT}")
    return manifest


def restore_backup(path: Path) -> Summary:
    """Replace the database's contents and MEDIA_ROOT's with the archive's."""
    path = Path(path)
    manifest = read_manifest(path)
    engine = _engine()
    if manifest["engine"] != engine:
        raise BackupError(
            f"this backup is of a {manifest['engine']} database; this site runs on {engine}"
        )
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        with tarfile.open(path, "r:") as archive:
            for name in (manifest["database"]["file"], MEDIA):
                archive.extract(name, work, filter="data")
        for key, name in (("database", manifest["database"]["file"]), ("media", MEDIA)):
            if _sha256(work / name) != manifest[key]["sha256"]:
                raise BackupError(f"{name} in {path} is damaged (its checksum differs)")
        _restore_database(engine, work / manifest["database"]["file"])
        _restore_media(work / MEDIA)
    return Summary(path=path, manifest=manifest)


def _restore_database(engine: str, dump: Path) -> None:
    connections.close_all()
    if engine == "postgresql":
        env, args = _pg_env_and_args()
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", "--exit-on-error", *args, str(dump)], env)  # fmt: skip
    else:
        source = sqlite3.connect(dump)
        target = sqlite3.connect(connections["default"].settings_dict["NAME"])
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()


def _restore_media(packed: Path) -> None:
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    # Emptied in place, not renamed: MEDIA_ROOT is often a mounted volume.
    for child in root.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    with tarfile.open(packed, "r:gz") as archive:
        archive.extractall(root, filter="data")
