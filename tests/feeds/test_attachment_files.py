"""Attachment files (leak class 8 of ../shared/SECURITY.md): a file leaves the application
only through its row and the visibility selector, never through a path in a URL.

The attack that worked before: `GET /media/avatars/../attachments/<year>/<month>/<name>`
(also `%2e%2e`) returned a secret group's attachment to any signed-in employee, because the
avatar view only checked the `avatars/` prefix and let `serve()` resolve `..`, and the
stored name was the uploader's own (guessable).
"""

import http.client
import importlib
import io
import os
import re
from types import SimpleNamespace
from urllib.parse import unquote

import pytest
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.http import Http404
from PIL import Image

from core.files import content_disposition, stored_path
from feeds import live, services
from feeds.models import Attachment
from tests.conftest import client_for
from tests.feeds.world import PRIVACIES, READERS
from tests.images import photo

pytestmark = pytest.mark.django_db

SECRET = b"SECRET-BYTES the acquisition closes on Friday"
STORED = re.compile(r"attachments/\d{4}/\d{2}/[0-9a-f]{32}\.(txt|png)")


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), (10, 200, 10)).save(out, format="PNG")
    return out.getvalue()


def _attach(world, privacy: str, *uploads: SimpleUploadedFile):
    post = services.create_post(
        actor=world.member,
        group=world.groups[privacy],
        body=f"Files in the {privacy} group",
        attachments=list(uploads),
    )
    return list(post.attachments.all())


def _secret_file(world, settings, tmp_path) -> Attachment:
    settings.MEDIA_ROOT = tmp_path
    (item,) = _attach(
        world, "secret", SimpleUploadedFile("acquisition.txt", SECRET, content_type="text/plain")
    )
    return item


@pytest.fixture
def secret_file(world, settings, tmp_path):
    return _secret_file(world, settings, tmp_path)


def attack_paths(item: Attachment) -> list[str]:
    """Every way a URL might name the stored file (or another file) by its path."""
    name = item.file.name  # attachments/2026/11/<random>.txt
    enc = name.replace("/", "%2f")
    back = name.replace("/", "\\")
    return [
        f"/media/{name}",
        f"/media/avatars/../{name}",
        f"/media/avatars/%2e%2e/{name}",
        f"/media/avatars/%2E%2E%2F{enc}",
        f"/media/avatars/..%2f{enc}",
        f"/media/avatars/%252e%252e/{name}",
        f"/media/avatars/%252e%252e%252f{name.replace('/', '%252f')}",
        f"/media/avatars\\..\\{back}",
        f"/media/avatars/..\\{back}",
        f"/media/avatars/..%5c{name.replace('/', '%5c')}",
        f"/media/avatars/%2e%2e%5c{name.replace('/', '%5c')}",
        f"/media/avatars/{os.path.basename(name)}",
        f"/media/avatars/{item.name}",
        "/media/avatars/..",
        "/media/avatars/%2e%2e",
        "/media//etc/passwd",
        "/media/avatars//etc/passwd",
        "/media/avatars/%2fetc%2fpasswd",
        "/media/avatars/..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/media/%2fetc%2fpasswd",
        f"/media/avatars/{item.file.path.replace('/', '%2f')}",
        "/media/avatars/x.png%00",
        f"/media/avatars/%00/../{name}",
        f"/media/avatars/..%00/{name}",
        "/media/avatars/%00",
        "/media/",
    ]


def test_stored_names_are_random_and_keep_the_original_as_data(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    first, second = _attach(
        world,
        "public",
        SimpleUploadedFile("Q4 salaries.txt", b"one", content_type="text/plain"),
        SimpleUploadedFile("Q4 salaries.txt", b"two", content_type="text/plain"),
    )
    assert first.file.name != second.file.name
    for item in (first, second):
        assert STORED.fullmatch(item.file.name), item.file.name
        assert "salaries" not in item.file.name.lower()
        assert item.name == "Q4 salaries.txt"
        assert item.file.path.startswith(str(tmp_path))


def test_a_stored_name_keeps_only_a_known_extension(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (page, noext) = _attach(
        world,
        "public",
        SimpleUploadedFile("page.html", b"<script>x</script>", content_type="text/plain"),
        SimpleUploadedFile("README", b"plain", content_type="text/plain"),
    )
    assert re.fullmatch(r"attachments/\d{4}/\d{2}/[0-9a-f]{32}", page.file.name)
    assert re.fullmatch(r"attachments/\d{4}/\d{2}/[0-9a-f]{32}", noext.file.name)
    assert page.name == "page.html"


def test_content_disposition_carries_the_original_name(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    plain, unicode_, hostile, image = _attach(
        world,
        "public",
        SimpleUploadedFile("Budget 2027.txt", b"a", content_type="text/plain"),
        SimpleUploadedFile("Отчёт «итоги» 2026.txt", b"b", content_type="text/plain"),
        SimpleUploadedFile('a"b\\c;d\u202egnp.txt', b"c", content_type="text/plain"),
        SimpleUploadedFile("Chart é.png", _png(), content_type="image/png"),
    )
    client = client_for(world.outsider)
    response = client.get(plain.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="Budget 2027.txt"'
    assert b"".join(response.streaming_content) == b"a"

    header = client.get(unicode_.get_absolute_url())["Content-Disposition"]
    assert header.startswith('attachment; filename="')
    star = header.split("filename*=", 1)[1]
    assert star.startswith("UTF-8''")
    assert unquote(star.removeprefix("UTF-8''")) == "Отчёт «итоги» 2026.txt"
    assert header.isascii()

    header = client.get(hostile.get_absolute_url())["Content-Disposition"]
    fallback = header.split('filename="', 1)[1].split('"', 1)[0]
    assert "\\" not in fallback and ";" not in fallback
    assert header.count('"') == 2  # the name cannot close the quoted string
    assert "%E2%80%AE" not in header  # no right-to-left override in the name

    response = client.get(image.get_absolute_url())
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith('inline; filename="Chart e.png"')
    assert "filename*=UTF-8''Chart%20%C3%A9.png" in response["Content-Disposition"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("line\r\nSet-Cookie: x=1.txt", 'attachment; filename="lineSet-Cookie_ x=1.txt"; '),
        ("nul\x00.txt", 'attachment; filename="nul.txt"'),
        ("../../etc/passwd", 'attachment; filename="_.._etc_passwd"'),
        ("", 'attachment; filename="download"'),
        ("\n\r", 'attachment; filename="download"'),
        (
            "résumé.pdf",
            "attachment; filename=\"resume.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf",
        ),
        (
            "报告.pdf",
            "attachment; filename=\"download.pdf\"; filename*=UTF-8''%E6%8A%A5%E5%91%8A.pdf",
        ),
    ],
)
def test_content_disposition_neutralises_hostile_names(name, expected):
    header = content_disposition(name, inline=False)
    assert header.startswith(expected)
    assert header.isascii() and not set(header) & {"\r", "\n", "\x00"}


def test_file_responses_are_private_nosniff_and_sandboxed(world, secret_file):
    response = client_for(world.member).get(secret_file.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == SECRET
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("private")
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Content-Disposition"] == 'attachment; filename="acquisition.txt"'


@pytest.mark.parametrize("role", ["member", "outsider", "former"])
def test_no_path_form_reaches_an_attachment(world, secret_file, role):
    """Even a reader of the post gets the file only from its own URL: every path form is 404
    for everyone, and never carries the bytes."""
    client = client_for(world.users[role])
    for path in attack_paths(secret_file):
        response = client.get(path)
        assert response.status_code == 404, (path, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert SECRET not in body, path


def test_an_outsider_never_gets_a_secret_attachment(world, secret_file, client):
    urls = [secret_file.get_absolute_url(), *attack_paths(secret_file)]
    # The file under the URL of a post the outsider may read.
    public = world.posts["public"]
    urls.append(f"/posts/{public.pk}/attachments/{secret_file.pk}/")
    for role in ("outsider", "former"):
        for url in urls:
            response = client_for(world.users[role]).get(url)
            assert response.status_code == 404, (role, url)
            assert not response.has_header("X-Accel-Redirect")
    for url in urls:  # signed out: the sign-in page, nothing else
        response = client.get(url)
        assert response.status_code in (302, 404), url
        assert SECRET not in response.content


def test_a_symlink_planted_in_the_folder_is_not_served(world, secret_file, settings, tmp_path):
    """A symlink inside MEDIA_ROOT pointing at another folder or out of MEDIA_ROOT: no row
    names it, and a row that did would still be refused (its real path leaves the folder)."""
    avatars = tmp_path / "avatars"
    avatars.mkdir()
    (avatars / "evil.png").symlink_to(secret_file.file.path)
    (avatars / "passwd.png").symlink_to("/etc/passwd")
    client = client_for(world.outsider)
    for name in ("evil.png", "passwd.png"):
        assert client.get(f"/media/avatars/{name}").status_code == 404
    # A row pointing at the planted link (as if someone had written it by hand).
    profile = world.outsider.profile
    for name in ("evil.png", "passwd.png"):
        profile.avatar.name = f"avatars/{name}"
        profile.save(update_fields=["avatar"])
        response = client.get(f"/media/avatars/{name}")
        assert response.status_code == 404
        assert not response.has_header("Content-Disposition")
    # An attachment row whose stored file became a link out of its folder.
    target = tmp_path / "elsewhere.txt"
    target.write_bytes(b"not an attachment")
    os.remove(secret_file.file.path)
    os.symlink(target, secret_file.file.path)
    assert client_for(world.member).get(secret_file.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    "name",
    [
        "attachments/../avatars/x.png",
        "attachments/2026/../../etc/passwd",
        "/etc/passwd",
        "attachments//x.txt",
        "attachments/./x.txt",
        "attachments\\..\\x.txt",
        "attachments/x\x00.txt",
        "avatars/x.png",
        "attachments",
        "",
    ],
)
def test_stored_path_refuses_names_that_leave_their_folder(settings, tmp_path, name):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(Http404):
        stored_path(name, "attachments/")


def test_rows_stored_under_original_names_keep_working(world, settings, tmp_path):
    """Files uploaded before random names stay where they are and are served by their row."""
    settings.MEDIA_ROOT = tmp_path
    folder = tmp_path / "attachments" / "2026" / "11"
    folder.mkdir(parents=True)
    (folder / "Plan_Q4.txt").write_bytes(b"old file")
    post = world.posts["private"]
    item = Attachment.objects.create(
        post=post,
        file="attachments/2026/11/Plan_Q4.txt",
        name="Plan Q4.txt",
        content_type="text/plain",
        size=8,
    )
    response = client_for(world.member).get(item.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"old file"
    assert response["Content-Disposition"] == 'attachment; filename="Plan Q4.txt"'
    for role in ("outsider", "former"):
        client = client_for(world.users[role])
        assert client.get(item.get_absolute_url()).status_code == 404
        assert client.get("/media/avatars/../attachments/2026/11/Plan_Q4.txt").status_code == 404


@pytest.mark.parametrize("mode", ["nginx", "sendfile"])
def test_the_web_server_sends_only_what_the_application_authorised(
    world, secret_file, settings, tmp_path, mode
):
    settings.MEDIA_DELIVERY = mode
    response = client_for(world.member).get(secret_file.get_absolute_url())
    assert response.status_code == 200
    assert SECRET not in response.content
    if mode == "nginx":
        assert response["X-Accel-Redirect"] == f"/protected-media/{secret_file.file.name}"
    else:
        assert response["X-Sendfile"] == str((tmp_path / secret_file.file.name).resolve())
    assert response["Content-Disposition"] == 'attachment; filename="acquisition.txt"'
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("private")
    for role in ("outsider", "former"):
        for url in [secret_file.get_absolute_url(), *attack_paths(secret_file)]:
            refused = client_for(world.users[role]).get(url)
            assert refused.status_code == 404
            assert not refused.has_header("X-Accel-Redirect")
            assert not refused.has_header("X-Sendfile")


@pytest.fixture
def app_server(settings, monkeypatch):
    """The application behind a real HTTP server, as in production. pytest-django's
    `live_server` also answers /media/ from MEDIA_ROOT by path (Django's test-only
    _MediaFilesHandler), which would hide what the application does."""
    from django.test import testcases
    from pytest_django.live_server_helper import LiveServer

    monkeypatch.setattr(testcases, "_MediaFilesHandler", lambda app: app)
    server = LiveServer("localhost", start=False)
    server.thread.static_handler = lambda app: app
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    server.start()
    yield server
    server.stop()


def test_raw_paths_over_http_never_reach_an_attachment(
    committed_world, settings, tmp_path, app_server
):
    """The same forms sent byte for byte to a real WSGI server (no client-side
    normalisation: what `curl --path-as-is` sends). Committed: the server reads the rows on
    its own connection."""
    world = committed_world
    secret_file = _secret_file(world, settings, tmp_path)
    host = app_server.url.removeprefix("http://")
    name = secret_file.file.name
    raw = [
        f"/media/avatars/../{name}",
        f"/media/avatars/%2e%2e/{name}",
        f"/media/avatars/%2e%2e%2f{name.replace('/', '%2f')}",
        f"/media/avatars/%252e%252e/{name}",
        f"/media/avatars/..%5c{name.replace('/', '%5c')}",
        f"/media/avatars\\..\\{name.replace('/', chr(92))}",
        "/media//etc/passwd",
        "/media/avatars/..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/media/avatars/x%00.png",
        f"/media/{name}",
    ]

    def get(path: str, user) -> tuple[int, bytes]:
        cookie = f"sessionid={client_for(user).cookies['sessionid'].value}"
        connection = http.client.HTTPConnection(host, timeout=10)
        connection.putrequest("GET", path, skip_accept_encoding=True)
        connection.putheader("Cookie", cookie)
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, body

    # The server does serve the file, through its row, to a reader.
    assert get(secret_file.get_absolute_url(), world.member) == (200, SECRET)
    for user in (world.outsider, world.member):
        for path in raw:
            status, body = get(path, user)
            assert status in (400, 404), (path, status)
            assert SECRET not in body and b"root:" not in body, path


def test_rename_attachment_files_moves_old_names_to_random_ones(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    folder = tmp_path / "attachments" / "2025" / "03"
    folder.mkdir(parents=True)
    (folder / "Layoffs_March.txt").write_bytes(b"legacy bytes")
    legacy = Attachment.objects.create(
        post=world.posts["secret"],
        file="attachments/2025/03/Layoffs_March.txt",
        name="Layoffs March.txt",
        content_type="text/plain",
        size=12,
    )
    (fresh,) = _attach(
        world, "secret", SimpleUploadedFile("new.txt", b"new", content_type="text/plain")
    )
    before = fresh.file.name
    out = io.StringIO()
    call_command("rename_attachment_files", stdout=out)
    assert out.getvalue().strip() == "1 renamed, 1 unchanged."
    legacy.refresh_from_db()
    assert re.fullmatch(r"attachments/2025/03/[0-9a-f]{32}\.txt", legacy.file.name)
    assert not (folder / "Layoffs_March.txt").exists()
    assert Attachment.objects.get(pk=fresh.pk).file.name == before
    response = client_for(world.member).get(legacy.get_absolute_url())
    assert b"".join(response.streaming_content) == b"legacy bytes"
    assert response["Content-Disposition"] == 'attachment; filename="Layoffs March.txt"'
    out = io.StringIO()
    call_command("rename_attachment_files", stdout=out)  # again: nothing left to do
    assert out.getvalue().strip() == "0 renamed, 2 unchanged."


def test_the_permission_matrix_holds_for_attachment_files(world, settings, tmp_path):
    """Roles x privacies (tests/feeds/world.py): the file's URL answers 200 with its bytes
    exactly for the readers of the post, 404 for everyone else; no path form answers anyone."""
    settings.MEDIA_ROOT = tmp_path
    files = {}
    for privacy in PRIVACIES:
        body = f"{privacy} file".encode()
        (files[privacy],) = _attach(
            world, privacy, SimpleUploadedFile("f.txt", body, content_type="text/plain")
        )
    for role, user in world.users.items():
        client = client_for(user)
        for privacy, item in files.items():
            response = client.get(item.get_absolute_url())
            if role in READERS[privacy]:
                assert response.status_code == 200, (role, privacy)
                assert b"".join(response.streaming_content) == f"{privacy} file".encode()
            else:
                assert response.status_code == 404, (role, privacy)
            for path in attack_paths(item)[:12]:
                assert client.get(path).status_code == 404, (role, path)


# --- Images keep their box while they load ----------------------------------------------


@pytest.mark.parametrize(
    ("size", "orientation", "shown", "box"),
    [
        ((640, 360), None, (640, 360), (640, 360)),
        ((1200, 1600), None, (1200, 1600), (315, 420)),  # the card shows 420 px tall at most
        ((1600, 1200), 6, (1200, 1600), (315, 420)),  # a camera's quarter turn: shown upright
    ],
)
def test_a_post_image_keeps_its_size_so_every_card_reserves_its_box(
    world, settings, tmp_path, size, orientation, shown, box
):
    """Without width and height the image takes no room until it arrives, then pushes
    everything under it down: a click aimed at a button below lands elsewhere."""
    settings.MEDIA_ROOT = tmp_path
    image, notes = _attach(
        world,
        "public",
        photo(size, orientation=orientation, name="floor-plan.jpg"),
        SimpleUploadedFile("notes.txt", b"notes", content_type="text/plain"),
    )
    image.refresh_from_db()
    assert (image.image_width, image.image_height) == shown
    assert (notes.image_width, notes.image_height) == (None, None)
    sized = f'alt="floor-plan.jpg" width="{box[0]}" height="{box[1]}" loading="lazy"'
    page = client_for(world.outsider).get(f"/posts/{image.post_id}/").content.decode()
    assert sized in page
    assert sized in live._shared_card(image.post_id)["html"]  # the card sent to open pages


def test_the_migration_measures_images_stored_before_sizes_were_kept(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    image, broken, notes = _attach(
        world,
        "public",
        photo((1600, 1200), orientation=6, name="plan.jpg"),
        SimpleUploadedFile("broken.png", _png(), content_type="image/png"),
        SimpleUploadedFile("notes.txt", b"notes", content_type="text/plain"),
    )
    (tmp_path / broken.file.name).write_bytes(b"damaged on disk")
    Attachment.objects.update(image_width=None, image_height=None)
    page = client_for(world.member).get(f"/posts/{image.post_id}/").content.decode()
    assert 'alt="plan.jpg" loading="lazy"' in page  # unknown: no box, as before

    migration = importlib.import_module("feeds.migrations.0010_attachment_image_size")
    migration.measure_stored_images(django_apps, SimpleNamespace(connection=connection))

    sizes = dict(Attachment.objects.values_list("name", "image_width"))
    assert sizes == {"plan.jpg": 1200, "broken.png": None, "notes.txt": None}
    page = client_for(world.member).get(f"/posts/{image.post_id}/").content.decode()
    assert 'alt="plan.jpg" width="315" height="420" loading="lazy"' in page
