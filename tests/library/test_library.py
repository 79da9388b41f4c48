"""A group's file library: who reads it (every role, every privacy, every surface), what it
lists and in what order, uploads and their refusals, versions, previews, query counts.

Standing users come from tests/feeds/world.py (owner, leader, member, muted, former,
outsider, admin) plus `gone`, a member whose account was deactivated.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import ApplicationError
from feeds import services as feeds
from library import selectors, services
from library.models import FileVersion, LibraryFile
from tests.conftest import client_for
from tests.factories import make_person
from tests.feeds.world import PRIVACIES, READERS
from tests.images import bomb

from .conftest import pdf_bytes, png_bytes, png_upload, text_upload

pytestmark = pytest.mark.django_db

ROLES = ("owner", "leader", "member", "muted", "former", "outsider", "admin", "gone")


@pytest.fixture
def library(world, django_capture_on_commit_callbacks):
    """In each group: a library file by `member` (two versions) and a post's attachment."""
    from groups import services as group_services

    gone = make_person("gone", display_name="Gone").user
    for privacy in PRIVACIES:
        group_services.invite_member(actor=world.owner, group=world.groups[privacy], user=gone)
    gone.is_active = False
    gone.save()
    world.users["gone"] = gone
    files, attachments = {}, {}
    with django_capture_on_commit_callbacks(execute=True):
        for privacy in PRIVACIES:
            group = world.groups[privacy]
            f = services.add_file(
                actor=world.member,
                group=group,
                upload=text_upload(f"{privacy}-budget.txt", b"v1 " + privacy.encode()),
                description=f"The {privacy} budget",
            )
            services.add_version(
                actor=world.member,
                library_file=f,
                upload=png_upload(f"{privacy}-budget-v2.png"),
                note="Now a chart",
            )
            files[privacy] = f
            post = feeds.create_post(
                actor=world.member,
                group=group,
                body="See attached",
                attachments=[png_upload(f"{privacy}-attached-photo.png")],
            )
            attachments[privacy] = post.attachments.get()
    world.files, world.attachments = files, attachments
    return world


def _readers(privacy):
    return READERS[privacy]


# --- The permission matrix: every role x privacy x surface ----------------------------


@pytest.mark.parametrize("privacy", PRIVACIES)
def test_matrix(library, privacy):
    """Every role on every surface of one group's library."""
    for role in ROLES:
        _check_surfaces(library, privacy, role)


def _check_surfaces(w, privacy, role):
    user = w.users[role]
    client = client_for(user)
    group, f, a = w.groups[privacy], w.files[privacy], w.attachments[privacy]
    may_read = role in _readers(privacy)
    slug = group.slug
    surfaces = {
        "page": f"/groups/{slug}/files/",
        "detail": f"/groups/{slug}/files/{f.pk}/",
        "download v1": f"/groups/{slug}/files/{f.pk}/v1/download/",
        "download v2": f"/groups/{slug}/files/{f.pk}/v2/download/",
        "preview": f"/groups/{slug}/files/{f.pk}/v2/preview.png",
        "attachment preview": f"/groups/{slug}/files/attachments/{a.pk}/preview.png",
        "api list": f"/api/v1/groups/{slug}/files/",
        "api detail": f"/api/v1/groups/{slug}/files/{f.pk}/",
        "api download": f"/api/v1/groups/{slug}/files/{f.pk}/versions/1/download/",
    }
    for surface, url in surfaces.items():
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        where = (role, surface, response.status_code)
        if role == "gone":  # a deactivated account is signed out on its next request
            assert response.status_code in (302, 401, 403), where
            assert f.name.encode() not in body
            continue
        if may_read:
            assert response.status_code == 200, where
            continue
        if surface in ("page", "detail") and privacy == "private":
            # The private group's locked page: its name, never its files.
            assert response.status_code == 200, where
            assert b"Ask to join" in body or b"locked" in body
        else:
            assert response.status_code == 404, where
        assert f.name.encode() not in body, where
        assert a.name.encode() not in body, where
        assert b"budget" not in body, where
        if privacy == "secret":
            assert group.name.encode() not in body, where


@pytest.mark.parametrize("privacy", PRIVACIES)
def test_library_lists_files_and_attachments_to_readers(library, privacy):
    w = library
    data = (
        client_for(w.outsider if privacy == "public" else w.muted)
        .get(f"/api/v1/groups/{w.groups[privacy].slug}/files/")
        .json()
    )
    names = {row["name"] for row in data["results"]}
    assert names == {f"{privacy}-budget.txt", f"{privacy}-attached-photo.png"}
    kinds = {row["kind"] for row in data["results"]}
    assert kinds == {"file", "attachment"}


def test_a_removed_post_takes_its_attachment_out_of_the_library(library):
    from feeds.models import Post

    w = library
    post = w.attachments["public"].post
    Post.objects.filter(pk=post.pk).update(deleted_at=post.created_at)
    data = client_for(w.member).get(f"/api/v1/groups/{w.groups['public'].slug}/files/").json()
    assert [r["kind"] for r in data["results"]] == ["file"]
    a = w.attachments["public"]
    url = f"/groups/{w.groups['public'].slug}/files/attachments/{a.pk}/preview.png"
    assert client_for(w.member).get(url).status_code == 404


def test_former_member_loses_the_library_at_once(library):
    from groups import services as group_services

    w = library
    group = w.groups["private"]
    client = client_for(w.muted)
    assert client.get(f"/api/v1/groups/{group.slug}/files/").status_code == 200
    group_services.remove_member(actor=w.owner, group=group, user=w.muted)
    assert client.get(f"/api/v1/groups/{group.slug}/files/").status_code == 404
    f = w.files["private"]
    assert client.get(f"/groups/{group.slug}/files/{f.pk}/v1/download/").status_code == 404


def test_a_file_of_another_group_is_not_found_through_this_one(library):
    w = library
    public, secret = w.groups["public"], w.groups["secret"]
    f = w.files["secret"]
    client = client_for(w.outsider)
    assert client.get(f"/groups/{public.slug}/files/{f.pk}/v1/download/").status_code == 404
    assert client.get(f"/api/v1/groups/{public.slug}/files/{f.pk}/").status_code == 404
    assert secret.slug not in client.get(f"/groups/{public.slug}/files/").content.decode()


# --- Versions -------------------------------------------------------------------------


def test_versions_history_and_any_version_downloads(library):
    w = library
    group, f = w.groups["private"], w.files["private"]
    data = client_for(w.leader).get(f"/api/v1/groups/{group.slug}/files/{f.pk}/").json()
    assert [v["number"] for v in data["versions"]] == [2, 1]
    assert data["versions"][0]["uploaded_by"]["username"] == "member"
    assert data["versions"][0]["note"] == "Now a chart"
    assert data["version_count"] == 2 and data["content_type"] == "image/png"
    response = client_for(w.leader).get(f"/groups/{group.slug}/files/{f.pk}/v1/download/")
    assert b"".join(response.streaming_content) == b"v1 private"
    assert response["Content-Disposition"] == 'attachment; filename="private-budget.txt"'
    assert response["Content-Type"] == "application/octet-stream"
    v2 = client_for(w.leader).get(f"/groups/{group.slug}/files/{f.pk}/v2/download/")
    assert b"".join(v2.streaming_content).startswith(b"\x89PNG")
    assert (
        client_for(w.leader).get(f"/groups/{group.slug}/files/{f.pk}/v3/download/").status_code
        == 404
    )


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("member", True), ("leader", True), ("owner", True), ("admin", True), ("muted", False)],
)
def test_who_uploads_a_new_version(library, role, allowed):
    w = library
    group, f = w.groups["private"], w.files["private"]
    response = client_for(w.users[role]).post(
        f"/api/v1/groups/{group.slug}/files/{f.pk}/versions/",
        {"file": text_upload("v3.txt", b"three"), "note": "third"},
    )
    assert response.status_code == (201 if allowed else 403), response.content
    f.refresh_from_db()
    assert f.version_count == (3 if allowed else 2)


def test_another_member_cannot_replace_or_delete_my_file(library):
    w = library
    group, f = w.groups["public"], w.files["public"]
    other = make_person("other.member").user
    from groups import services as group_services

    group_services.join_group(actor=other, group=group)
    client = client_for(other)
    url = f"/api/v1/groups/{group.slug}/files/{f.pk}/"
    assert client.post(url + "versions/", {"file": text_upload()}).status_code == 403
    assert client.delete(url).status_code == 403
    # ...but they add files of their own
    assert (
        client.post(f"/api/v1/groups/{group.slug}/files/", {"file": text_upload()}).status_code
        == 201
    )


def test_delete_takes_the_file_and_its_versions_out(library):
    w = library
    group, f = w.groups["public"], w.files["public"]
    client = client_for(w.member)
    response = client.post(f"/groups/{group.slug}/files/{f.pk}/delete/")
    assert response.status_code == 302
    assert LibraryFile.objects.get(pk=f.pk).deleted_by == w.member
    assert client.get(f"/groups/{group.slug}/files/{f.pk}/v1/download/").status_code == 404
    names = [r["name"] for r in client.get(f"/api/v1/groups/{group.slug}/files/").json()["results"]]
    assert "public-budget.txt" not in names


def test_outsider_must_join_a_public_group_to_add_files(library):
    w = library
    response = client_for(w.outsider).post(
        f"/api/v1/groups/{w.groups['public'].slug}/files/", {"file": text_upload()}
    )
    assert response.status_code == 403
    assert "Join the group" in response.json()["non_field_errors"][0]


# --- Uploads: validated, with clear errors ---------------------------------------------


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("x.html", b"<script>", content_type="text/html"), "not a kind of file"),
        (SimpleUploadedFile("x.pdf", b"not a pdf", content_type="application/pdf"), "not a PDF"),
        (
            SimpleUploadedFile("x.png", b"not a png", content_type="image/png"),
            "not a readable image",
        ),
        (SimpleUploadedFile("x.txt", b"", content_type="text/plain"), "is empty"),
        (bomb(), "“huge.png” is too large in pixels"),  # 30000 x 30000: never decoded
    ],
)
def test_bad_uploads_are_refused_with_the_field(library, upload, message):
    w = library
    url = f"/api/v1/groups/{w.groups['public'].slug}/files/"
    response = client_for(w.member).post(url, {"file": upload})
    assert response.status_code == 400
    assert message in response.json()["file"][0]


def test_too_big_upload_says_the_limit(library, settings):
    settings.LIBRARY_MAX_UPLOAD_BYTES = 1024 * 1024
    w = library
    big = SimpleUploadedFile("big.txt", b"x" * (1024 * 1024 + 1), content_type="text/plain")
    page = client_for(w.member).post(f"/groups/{w.groups['public'].slug}/files/", {"file": big})
    assert page.status_code == 400
    assert "the library takes files up to 1 MB" in page.content.decode()


def test_missing_file_and_unknown_field_are_400s(library):
    w = library
    url = f"/api/v1/groups/{w.groups['public'].slug}/files/"
    client = client_for(w.member)
    assert "file" in client.post(url, {}).json()
    assert "colour" in client.post(url, {"file": text_upload(), "colour": "red"}).json()
    too_long = client.post(url, {"file": text_upload(), "description": "d" * 1001})
    assert too_long.status_code == 400 and "description" in too_long.json()


def test_bad_sort_and_cursor_are_400s(library):
    w = library
    url = f"/api/v1/groups/{w.groups['public'].slug}/files/"
    client = client_for(w.member)
    assert "sort" in client.get(url + "?sort=colour").json()
    assert "cursor" in client.get(url + "?cursor=nonsense").json()
    assert client.get(f"/groups/{w.groups['public'].slug}/files/?cursor=zzz").status_code == 400


# --- Order, search, pages -------------------------------------------------------------


@pytest.fixture
def shelf(world, django_capture_on_commit_callbacks):
    """A public group with 7 library files of different names, sizes and uploaders, and 3
    attachments."""
    group = world.groups["public"]
    uploaders = [world.member, world.leader, world.owner]
    for i, name in enumerate(
        [
            "delta.txt",
            "Alpha.txt",
            "charlie.txt",
            "echo.txt",
            "bravo.txt",
            "golf.txt",
            "foxtrot.txt",
        ]
    ):
        services.add_file(
            actor=uploaders[i % 3], group=group, upload=text_upload(name, b"x" * (10 * (i + 1)))
        )
    for name in ("hotel.txt", "india.txt", "juliet.txt"):
        feeds.create_post(
            actor=world.leader, group=group, body="file", attachments=[text_upload(name, b"yy")]
        )
    return world


def _all_pages(client, url):
    names, next_url = [], url
    while next_url:
        data = client.get(next_url).json()
        names += [row["name"] for row in data["results"]]
        next_url = data["next"]
    return names


def test_sorted_by_name_across_files_and_attachments_over_pages(shelf):
    client = client_for(shelf.member)
    url = f"/api/v1/groups/{shelf.groups['public'].slug}/files/?sort=name&page_size=3"
    names = _all_pages(client, url)
    assert names == sorted(names, key=str.lower)
    assert len(names) == len(set(names)) == 10  # 7 files + 3 attachments


def test_sorted_by_size_and_date_and_uploader(shelf):
    client = client_for(shelf.member)
    base = f"/api/v1/groups/{shelf.groups['public'].slug}/files/?page_size=4"
    rows = []
    next_url = base + "&sort=size"
    while next_url:
        data = client.get(next_url).json()
        rows += data["results"]
        next_url = data["next"]
    sizes = [r["size"] for r in rows]
    assert sizes == sorted(sizes, reverse=True) and len(rows) == 10
    dated = _all_pages(client, base + "&sort=date")
    assert dated[:3] == ["juliet.txt", "india.txt", "hotel.txt"]
    data = client.get(base.replace("page_size=4", "page_size=50") + "&sort=uploader").json()
    who = [r["uploader"]["display_name"] for r in data["results"]]
    assert who == sorted(who)


def test_search_by_name(shelf):
    client = client_for(shelf.member)
    slug = shelf.groups["public"].slug
    data = client.get(f"/api/v1/groups/{slug}/files/?q=ALP").json()
    assert [r["name"] for r in data["results"]] == ["Alpha.txt"]
    page = client.get(f"/groups/{slug}/files/?q=uliet").content.decode()
    assert "juliet.txt" in page and "Alpha.txt" not in page


def test_query_counts_do_not_grow_with_the_library(shelf, django_assert_num_queries, world):
    client = client_for(shelf.member)
    slug = shelf.groups["public"].slug
    client.get(f"/groups/{slug}/files/")  # warm the session
    # the roles, my profile, the badge and the policy banner come with the user
    with django_assert_num_queries(7):
        client.get(f"/groups/{slug}/files/")
    with django_assert_num_queries(4):  # the roles come with the session's user
        client.get(f"/api/v1/groups/{slug}/files/")
    for i in range(12):
        services.add_file(
            actor=world.member, group=shelf.groups["public"], upload=text_upload(f"more{i}.txt")
        )
    # the roles, my profile, the badge and the policy banner come with the user
    with django_assert_num_queries(7):
        client.get(f"/groups/{slug}/files/")
    with django_assert_num_queries(4):  # the roles come with the session's user
        client.get(f"/api/v1/groups/{slug}/files/")


# --- Previews -------------------------------------------------------------------------


def test_image_preview_is_a_small_png(library):
    w = library
    group, f = w.groups["public"], w.files["public"]
    response = client_for(w.outsider).get(f"/groups/{group.slug}/files/{f.pk}/v2/preview.png")
    assert response["Content-Type"] == "image/png"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    # version 1 is text: no preview
    assert (
        client_for(w.outsider).get(f"/groups/{group.slug}/files/{f.pk}/v1/preview.png").status_code
        == 404
    )
    page = client_for(w.outsider).get(f"/groups/{group.slug}/files/").content.decode()
    assert f"/groups/{group.slug}/files/{f.pk}/v2/preview.png" in page
    assert (
        f"/groups/{group.slug}/files/attachments/{w.attachments['public'].pk}/preview.png" in page
    )


def test_pdf_first_page_preview(world, django_capture_on_commit_callbacks):
    pytest.importorskip("pypdfium2", reason="PDF previews need pypdfium2 (README, Files)")
    with django_capture_on_commit_callbacks(execute=True):
        f = services.add_file(
            actor=world.member,
            group=world.groups["public"],
            upload=SimpleUploadedFile("report.pdf", pdf_bytes(), content_type="application/pdf"),
        )
    version = FileVersion.objects.get(file=f)
    assert version.preview and version.previewed_at
    from PIL import Image

    with version.preview.open("rb") as handle:
        image = Image.open(handle)
        assert image.format == "PNG" and max(image.size) <= 640
    page = client_for(world.outsider).get(f"/groups/{world.groups['public'].slug}/files/{f.pk}/")
    assert "Preview of the first page of report.pdf" in page.content.decode()


def test_preview_task_runs_twice_without_a_second_file(library):
    version = library.files["public"].current_version
    assert services.make_version_preview(version_id=version.pk) is True
    before = FileVersion.objects.get(pk=version.pk).preview.name
    assert services.make_version_preview(version_id=version.pk) is True
    assert FileVersion.objects.get(pk=version.pk).preview.name == before


def test_unreadable_pdf_gets_no_preview_and_no_error():
    from library.previews import make_preview

    assert make_preview(b"%PDF-1.4 broken", "application/pdf") is None
    assert make_preview(png_bytes((4000, 10)), "image/png").startswith(b"\x89PNG")


def test_selectors_refuse_unknown_sort(world):
    from core.errors import ApplicationError

    with pytest.raises(ApplicationError):
        selectors.library_page(world.member, world.groups["public"], sort="x", cursor=None, size=5)


# --- XSS: names, descriptions and notes are text ----------------------------------------


def test_xss_vectors_in_names_descriptions_and_notes_render_inert(world):
    from tests.xss import assert_inert, payloads

    group = world.groups["public"]
    client = client_for(world.outsider)
    for payload in payloads():
        f = services.add_file(
            actor=world.member,
            group=group,
            upload=text_upload("x.txt"),
            name=payload[:200].strip() or "x",
            description=payload[:1000],
        )
        services.add_version(
            actor=world.member,
            library_file=f,
            upload=text_upload(payload[:200].strip() or "x"),
            note=payload[:300],
        )
        page = client.get(f"/groups/{group.slug}/files/{f.pk}/")
        assert page.status_code == 200
        assert_inert(page.content.decode())
    next_url = f"/groups/{group.slug}/files/?sort=name"
    pages = 0
    while next_url:
        response = client.get(next_url, headers={"HX-Request": "true"} if pages else {})
        html = response.content.decode()
        assert_inert(html, fragment=bool(pages))
        pages += 1
        marker = 'hx-get="'
        next_url = None
        if marker in html and "Load more files" in html:
            start = html.rindex(marker) + len(marker)
            query = html[start : html.index('"', start)].replace("&amp;", "&")
            next_url = f"/groups/{group.slug}/files/{query}"
    assert pages > 1
    data = client.get(f"/api/v1/groups/{group.slug}/files/?page_size=100").json()
    assert len(data["results"]) >= 2


def test_the_policy_gate_holds_uploads_back_and_says_so_first(library, admin_user):
    """Adding a file shares it with the group as a post does: the acknowledgement gate
    holds it back, and the Files tab says why before anyone picks a file."""
    from policies import services as policies
    from policies.models import PolicySettings

    version = policies.create_version(
        actor=admin_user, title="Social media policy", body="Be kind."
    )
    version = policies.publish_version(actor=admin_user, version=version)
    policies.update_settings(
        actor=admin_user,
        acknowledgement_gate=PolicySettings.Gate.POSTING,
        engagement_model=PolicySettings.Engagement.COMMAND_AND_CONTROL,
        reminder_days=7,
        designated_departments=[],
    )
    group = library.groups["public"]
    before = LibraryFile.objects.count()
    page = client_for(library.member).get(f"/groups/{group.slug}/files/").content.decode()
    assert 'id="upload-gate"' in page and 'name="file"' not in page
    with pytest.raises(ApplicationError) as refused:
        services.add_file(actor=library.member, group=group, upload=text_upload())
    assert refused.value.status == 403 and "social media policy" in refused.value.message
    with pytest.raises(ApplicationError) as again:
        services.add_version(
            actor=library.member, library_file=library.files["public"], upload=text_upload()
        )
    assert again.value.status == 403
    assert LibraryFile.objects.count() == before
    policies.acknowledge_version(actor=library.member, version=version)
    page = client_for(library.member).get(f"/groups/{group.slug}/files/").content.decode()
    assert 'id="upload-gate"' not in page and 'name="file"' in page
    services.add_file(actor=library.member, group=group, upload=text_upload("later.txt"))
    assert LibraryFile.objects.count() == before + 1
