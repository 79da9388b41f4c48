"""Backup and restore drill: seed, back up, wipe, restore, compare.

On PostgreSQL (the services suite) it drives pg_dump and pg_restore; embedded, the SQLite
file copy. Both are transactional tests: the rows must be committed for pg_dump to see them.
"""

import io
import json
import tarfile
from io import StringIO

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from feeds import services as feeds
from groups import services as groups
from notifications.models import Notification

from ..factories import make_person

pytestmark = pytest.mark.django_db(transaction=True)

PHOTO = bytes(range(256)) * 40  # not an image anyone looks at: bytes to compare


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def seed():
    ana = make_person("ana.garcia", display_name="Ana Garcia")
    ben = make_person("ben.okafor", display_name="Ben Okafor")
    ana.avatar.save("ana.png", ContentFile(PHOTO), save=True)
    group = groups.create_group(actor=ana.user, name="Guild")
    groups.invite_member(actor=ana.user, group=group, user=ben.user)
    feeds.create_post(actor=ana.user, group=group, body="Backups matter, @ben.okafor")
    return ana


def wipe(media):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    else:
        with connection.cursor() as cursor:
            tables = connection.introspection.table_names(cursor)
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in tables:
                cursor.execute(f'DROP TABLE "{table}"')
    for path in sorted(media.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()


def test_full_drill(media, tmp_path):
    ana = seed()
    before = row_counts()
    assert before["feeds.Post"] == 1 and before["notifications.Notification"] >= 1
    photo_path = media / ana.avatar.name
    assert photo_path.read_bytes() == PHOTO

    archive = tmp_path / "backups" / "drill.tar"
    out = StringIO()
    call_command("backup", "--output", str(archive), stdout=out)
    assert f"backup written to {archive}" in out.getvalue()
    assert archive.stat().st_mode & 0o777 == 0o600
    with tarfile.open(archive) as packed:
        manifest = json.load(packed.extractfile("manifest.json"))
        assert set(packed.getnames()) == {
            "manifest.json",
            manifest["database"]["file"],
            "media.tar.gz",
        }
    assert manifest["engine"] == connection.vendor
    assert manifest["media"]["files"] == 1
    assert manifest["migrations"]["feeds"]

    wipe(media)
    assert not photo_path.exists()
    with connection.cursor() as cursor:
        assert "feeds_post" not in connection.introspection.table_names(cursor)

    call_command("restore", str(archive), "--yes", stdout=StringIO())

    assert row_counts() == before
    assert photo_path.read_bytes() == PHOTO
    assert Notification.objects.filter(recipient__username="ben.okafor").exists()
    # The restored site works: new rows get fresh ids (sequences came back too).
    make_person("cleo.new", display_name="Cleo New")


def test_a_damaged_archive_is_refused_before_anything_changes(media, tmp_path):
    seed()
    archive = tmp_path / "drill.tar"
    call_command("backup", "--output", str(archive), stdout=StringIO())
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "media.tar.gz":
                data = data[:-10] + b"0123456789"
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    before = row_counts()
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(damaged), "--yes", stdout=StringIO())
    assert row_counts() == before


def test_not_a_backup_and_no_confirmation(media, tmp_path, monkeypatch):
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"hello")
    with pytest.raises(CommandError, match="not a socialhub backup"):
        call_command("restore", str(junk), "--yes")
    archive = tmp_path / "ok.tar"
    call_command("backup", "--output", str(archive), stdout=StringIO())
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="Not restored"):
        call_command("restore", str(archive), stdout=StringIO())
