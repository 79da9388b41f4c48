"""Files and reactions on direct messages: sent through core.files, served to the
participants who may read the message only (not outsiders, not admins, not a removed person
for what came after), gone with a deleted message; reactions by participants, live to the
current ones (ids and counts only); every typed field inert."""

import importlib
import io
import re
from types import SimpleNamespace

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from PIL import Image

from messaging import live, selectors, services
from messaging.models import MessageAttachment, MessageReaction

from ..conftest import client_for
from ..images import bomb, photo
from ..realtime.sockets import open_socket
from ..xss import assert_inert, payloads
from .conftest import say, seat_of

pytestmark = pytest.mark.django_db

STORED = re.compile(r"message-files/\d{4}/\d{2}/[0-9a-f]{32}\.(txt|png)")


def png(name="chart.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), (10, 200, 10)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def text_file(name="notes.txt", content=b"launch notes") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/plain")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def send_files(user, conversation, *files, body=""):
    return services.send_message(
        actor=user, seat=seat_of(user, conversation), body=body, attachments=list(files)
    )


def test_page_sends_files_stored_under_random_names(employee, ben, group_chat):
    client = client_for(employee)
    response = client.post(
        f"/messages/{group_chat.pk}/send/",
        {"body": "See attached", "attachments": [text_file(), png()]},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    files = list(MessageAttachment.objects.order_by("id"))
    assert [f.name for f in files] == ["notes.txt", "chart.png"]
    assert all(STORED.fullmatch(f.file.name) for f in files)
    assert b"notes.txt" in response.content and b"attachment-image" in response.content
    # Ben reads it on the page and downloads it.
    page = client_for(ben).get(f"/messages/{group_chat.pk}/")
    assert files[0].get_absolute_url().encode() in page.content
    got = client_for(ben).get(files[0].get_absolute_url())
    assert got.status_code == 200
    assert b"".join(got.streaming_content) == b"launch notes"
    assert got["Content-Type"] == "application/octet-stream"
    assert got["Content-Disposition"].startswith('attachment; filename="notes.txt"')
    assert got["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_a_message_of_files_alone_and_bad_files_name_the_field(employee, ben, group_chat):
    message = send_files(employee, group_chat, text_file())
    assert message.body == "" and message.attachments.count() == 1
    client = client_for(employee)
    api = f"/api/v1/messages/conversations/{group_chat.pk}/messages/"
    for files, needle in [
        ([SimpleUploadedFile("x.html", b"<script>", content_type="text/html")], "kind of file"),
        ([SimpleUploadedFile("x.png", b"not an image", content_type="image/png")], "readable"),
        ([bomb()], "“huge.png” is too large in pixels"),  # 30000 x 30000: never decoded
        ([text_file(f"{i}.txt") for i in range(6)], "5"),
    ]:
        response = client.post(api, {"body": "x", "attachments": files})
        assert response.status_code == 400, response.content
        assert needle in response.json()["attachments"][0]
        page = client.post(f"/messages/{group_chat.pk}/send/", {"body": "x", "attachments": files})
        assert page.status_code == 400
    assert client.post(api, {"body": ""}, content_type="application/json").status_code == 400
    assert MessageAttachment.objects.count() == 1


def test_api_sends_files_and_lists_them(employee, ben, group_chat):
    client = client_for(employee)
    api = f"/api/v1/messages/conversations/{group_chat.pk}/messages/"
    created = client.post(api, {"body": "Report", "attachments": [text_file("r.txt")]})
    assert created.status_code == 201, created.content
    files = created.json()["attachments"]
    assert [(f["name"], f["size"], f["content_type"]) for f in files] == [
        ("r.txt", 12, "text/plain")
    ]
    listed = client_for(ben).get(api).json()["results"][0]
    assert listed["attachments"][0]["url"] == files[0]["url"]
    assert client_for(ben).get(files[0]["url"]).status_code == 200


@pytest.mark.parametrize("who", ["outsider", "admin"])
def test_outsiders_and_admins_never_get_a_file(who, colleague, admin_user, ben, group_chat):
    message = send_files(ben, group_chat, text_file())
    item = message.attachments.get()
    client = client_for(colleague if who == "outsider" else admin_user)
    assert client.get(item.get_absolute_url()).status_code == 404
    assert client.get(f"/messages/m/{message.pk}/files/{item.pk + 99}/").status_code == 404
    for method, url in [
        ("post", f"/messages/m/{message.pk}/react/"),
        ("post", f"/api/v1/messages/{message.pk}/reactions/"),
        ("delete", f"/api/v1/messages/{message.pk}/reactions/like/"),
    ]:
        response = getattr(client, method)(url, {"kind": "like"}, content_type="application/json")
        assert response.status_code == 404, url
    assert not MessageReaction.objects.exists()


def test_a_removed_person_gets_earlier_files_and_nothing_after(employee, ben, cleo, group_chat):
    before = send_files(ben, group_chat, text_file("before.txt"))
    services.remove_participant(actor=employee, seat=seat_of(employee, group_chat), user=cleo)
    after = send_files(ben, group_chat, text_file("after.txt"))
    client = client_for(cleo)
    assert client.get(before.attachments.get().get_absolute_url()).status_code == 200
    assert client.get(after.attachments.get().get_absolute_url()).status_code == 404
    # Nor can they react any more, even to what they still read.
    url = f"/api/v1/messages/{before.pk}/reactions/"
    response = client.post(url, {"kind": "like"}, content_type="application/json")
    assert response.status_code == 403
    assert not MessageReaction.objects.exists()


def test_deleting_a_message_deletes_its_files(
    employee, ben, group_chat, settings, django_capture_on_commit_callbacks
):
    message = send_files(employee, group_chat, text_file(), body="oops")
    item = message.attachments.get()
    path = settings.MEDIA_ROOT / item.file.name
    assert path.exists()
    url = item.get_absolute_url()
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_message(actor=employee, seat=seat_of(employee, group_chat), message=message)
    assert not path.exists()
    assert not MessageAttachment.objects.exists()
    assert client_for(ben).get(url).status_code == 404
    body = client_for(ben).get(f"/api/v1/messages/conversations/{group_chat.pk}/messages/")
    assert body.json()["results"][0]["attachments"] == []


def test_reactions_toggle_on_page_and_api(employee, ben, group_chat):
    message = say(ben, group_chat, "Shipped!")
    client = client_for(employee)
    page = client.post(
        f"/messages/m/{message.pk}/react/", {"kind": "celebrate"}, headers={"HX-Request": "true"}
    )
    assert page.status_code == 200
    assert b'data-kind="celebrate" aria-pressed="true"' in page.content
    api = f"/api/v1/messages/{message.pk}/reactions/"
    added = client_for(ben).post(api, {"kind": "celebrate"}, content_type="application/json")
    assert added.json()["reactions"] == [{"kind": "celebrate", "count": 2, "mine": True}]
    # Adding again changes nothing; removing takes mine back.
    client_for(ben).post(api, {"kind": "celebrate"}, content_type="application/json")
    removed = client_for(ben).delete(f"{api}celebrate/")
    assert removed.json()["reactions"] == [{"kind": "celebrate", "count": 1, "mine": False}]
    toggled = client.post(f"/messages/m/{message.pk}/react/", {"kind": "celebrate"})
    assert toggled.status_code == 302
    assert not MessageReaction.objects.exists()
    for bad in ({"kind": "angry"}, {"kind": ""}, {"emoji": "like"}, {"kind": ["like"]}):
        response = client.post(api, bad, content_type="application/json")
        assert response.status_code == 400, bad
    assert client.delete(f"{api}angry/").status_code == 400
    assert client.post(f"/messages/m/{message.pk}/react/", {"kind": "x"}).status_code == 400


@pytest.mark.django_db(transaction=True)
def test_reactions_reach_current_participants_live_with_counts_only(
    employee, ben, cleo, colleague, group_chat
):
    message = say(ben, group_chat, "secret plan")

    async def go():
        cleos = await open_socket(cleo)
        outsider = await open_socket(colleague)
        await sync_to_async(
            lambda: services.react_to_message(
                actor=employee, seat=seat_of(employee, group_chat), message=message, kind="like"
            )
        )()
        got = await cleos.receive_json_from(timeout=3)
        assert got == {
            "type": "message.reactions",
            "conversation": group_chat.pk,
            "message": message.pk,
            "user": employee.pk,
            "kind": "like",
            "on": True,
            "counts": {"like": 1},
        }
        assert await outsider.receive_nothing(timeout=0.5)
        await cleos.disconnect()
        await outsider.disconnect()

    async_to_sync(go)()


@pytest.mark.django_db(transaction=True)
def test_a_removed_participant_hears_no_reactions(employee, ben, cleo, group_chat):
    message = say(ben, group_chat, "after")
    services.remove_participant(actor=employee, seat=seat_of(employee, group_chat), user=cleo)

    async def go():
        cleos = await open_socket(cleo)
        await sync_to_async(
            lambda: services.react_to_message(
                actor=ben, seat=seat_of(ben, group_chat), message=message, kind="like"
            )
        )()
        assert await cleos.receive_nothing(timeout=0.5)
        await cleos.disconnect()

    async_to_sync(go)()


def test_xss_vectors_are_inert_in_file_names_and_bodies(employee, ben, group_chat):
    vectors = payloads()
    for vector in vectors[:25]:
        send_files(employee, group_chat, text_file(vector[:150] + ".txt"), body=vector)
    client = client_for(ben)
    page = client.get(f"/messages/{group_chat.pk}/?")
    assert page.status_code == 200
    assert_inert(page.content.decode())
    since = client.get(f"/messages/{group_chat.pk}/since/?after=0")
    assert_inert(since.content.decode(), fragment=True)
    item = MessageAttachment.objects.first()
    response = client.get(item.get_absolute_url())
    assert (
        "\n" not in response["Content-Disposition"]
        and "<" not in response["Content-Disposition"].split("filename*=")[0]
    )
    # The live event's HTML is inert too.
    from messaging.live import message_event

    event = message_event(item.message_id)
    assert_inert(event["html"], fragment=True)
    # The API carries names as plain text, never as HTML.
    api = client.get(f"/api/v1/messages/conversations/{group_chat.pk}/messages/?page_size=5")
    for row in api.json()["results"]:
        assert_inert(row["body_html"], fragment=True)


def test_files_and_reactions_cost_no_query_per_message(employee, ben, group_chat):
    seat = seat_of(employee, group_chat)
    for i in range(3):
        message = send_files(ben, group_chat, text_file(f"{i}.txt"), body=f"m{i}")
        services.react_to_message(actor=employee, seat=seat, message=message, kind="like")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            messages = selectors.decorate(list(selectors.thread(seat)), employee)
            [list(m.attachments.all()) for m in messages]
        return len(ctx)

    small = count()
    for i in range(10):
        message = send_files(ben, group_chat, text_file(f"x{i}.txt"), body=f"n{i}")
        services.react_to_message(actor=employee, seat=seat, message=message, kind="support")
    assert count() == small == 3  # the messages, their files, their reactions


def test_an_image_keeps_its_size_so_the_thread_reserves_its_box(employee, ben, group_chat):
    """Without width and height an image takes no room until it arrives, then pushes the
    messages under it down (and the thread's scroll position with them)."""
    client = client_for(employee)
    sent = client.post(
        f"/messages/{group_chat.pk}/send/",
        {"body": "The stand", "attachments": [photo((1600, 1200), orientation=6, name="s.jpg")]},
        headers={"HX-Request": "true"},
    )
    assert sent.status_code == 200
    item = MessageAttachment.objects.get()
    assert (item.image_width, item.image_height) == (1200, 1600)  # upright, as shown
    sized = 'alt="s.jpg" width="180" height="240" loading="lazy"'  # 240 px tall at most
    assert sized in sent.content.decode()
    assert sized in client_for(ben).get(f"/messages/{group_chat.pk}/").content.decode()
    assert sized in live.message_event(item.message_id)["html"]  # what open threads get


def test_the_migration_measures_images_stored_before_sizes_were_kept(employee, group_chat):
    send_files(employee, group_chat, png("chart.png"), text_file())
    MessageAttachment.objects.update(image_width=None, image_height=None)
    migration = importlib.import_module("messaging.migrations.0003_attachment_image_size")
    migration.measure_stored_images(django_apps, SimpleNamespace(connection=connection))
    sizes = dict(MessageAttachment.objects.values_list("name", "image_width"))
    assert sizes == {"chart.png": 20, "notes.txt": None}
    assert MessageAttachment.objects.get(name="chart.png").image_box == (20, 10)
