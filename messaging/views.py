"""The Messages pages: the inbox, a conversation, and the small forms around them. Thin:
parse, call a selector or service, render. Errors from services become the error page or
an inline alert (core.middleware)."""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from core.errors import ApplicationError
from core.files import serve_stored_file
from core.pagination import InvalidCursor, paginate_keyset

from . import selectors, services
from .models import MESSAGE_FILE_FOLDER, EmailDelay

PAGE = 30
THREAD_PAGE = 50


def _section(request) -> None:
    request.active_section = "messages"


def _names(raw: str) -> list[str]:
    return [part for part in (raw or "").split(",") if part.strip()]


def _page(queryset, request, *, ordering, types, size):
    try:
        return paginate_keyset(
            queryset, ordering=ordering, types=types, cursor=request.GET.get("cursor"), size=size
        )
    except InvalidCursor as exc:
        raise ApplicationError(str(exc), field="cursor") from exc


@require_GET
def inbox(request):
    _section(request)
    page = _page(
        selectors.inbox(request.user),
        request,
        ordering=selectors.INBOX_ORDER,
        types=selectors.INBOX_TYPES,
        size=PAGE,
    )
    seats = selectors.load_last_messages(page.items)
    context = {
        "seats": seats,
        "next_cursor": page.next_cursor,
        "email_delay": selectors.email_delay_of(request.user),
        "delays": EmailDelay.choices,
        "to": request.GET.get("to", ""),
    }
    template = "messaging/_inbox_page.html" if request.htmx else "messaging/inbox.html"
    return render(request, template, context)


@require_POST
def start(request):
    people = services.find_people(_names(request.POST.get("to", "")))
    conversation = services.start_conversation(
        actor=request.user, people=people, title=request.POST.get("title", "")
    )
    return redirect(conversation.get_absolute_url())


@require_GET
def conversation(request, conversation_id: int):
    _section(request)
    seat = selectors.get_seat(request.user, conversation_id)
    page = _page(
        selectors.thread(seat),
        request,
        ordering=selectors.THREAD_ORDER,
        types=selectors.THREAD_TYPES,
        size=THREAD_PAGE,
    )
    messages = selectors.decorate(list(reversed(page.items)), request.user)
    if not request.GET.get("cursor"):
        services.mark_read(actor=request.user, seat=seat)
    mine = [m for m in messages if m.author_id == request.user.pk and not m.is_deleted]
    context = {
        "seat": seat,
        "conversation": seat.conversation,
        "thread": messages,
        "older_cursor": page.next_cursor,
        "newest_id": messages[-1].pk if messages else seat.first_visible_id,
        "seen_by": selectors.seen_by(seat, mine[-1]) if mine else [],
        "seen_message": mine[-1] if mine else None,
    }
    template = (
        "messaging/_older.html" if request.GET.get("cursor") else "messaging/conversation.html"
    )
    return render(request, template, context)


@require_POST
def send(request, conversation_id: int):
    seat = selectors.get_seat(request.user, conversation_id)
    message = services.send_message(
        actor=request.user,
        seat=seat,
        body=request.POST.get("body", ""),
        attachments=request.FILES.getlist("attachments"),
    )
    if request.htmx:
        selectors.decorate([message], request.user)
        return render(request, "messaging/_message.html", {"message": message, "me": request.user})
    return redirect(f"{seat.conversation.get_absolute_url()}#message-{message.pk}")


@require_GET
def since(request, conversation_id: int):
    """The catch-up after a gap in the socket: messages after the `after` id (fragments)."""
    seat = selectors.get_seat(request.user, conversation_id)
    try:
        after = int(request.GET.get("after", "0"))
    except ValueError as exc:
        raise ApplicationError("Give the last message id you have.", field="after") from exc
    messages = selectors.decorate(selectors.messages_after(seat, after), request.user)
    return render(request, "messaging/_since.html", {"thread": messages, "me": request.user})


def edit(request, message_id: int):
    _section(request)
    seat, message = selectors.get_visible_message(request.user, message_id)
    if request.method == "POST":
        services.edit_message(
            actor=request.user, seat=seat, message=message, body=request.POST.get("body", "")
        )
        return redirect(f"{seat.conversation.get_absolute_url()}#message-{message.pk}")
    if message.author_id != request.user.pk or message.is_deleted or not seat.is_current:
        raise ApplicationError("Only its author may change a message.", status=403)
    return render(request, "messaging/edit.html", {"message": message, "seat": seat})


@require_POST
def delete(request, message_id: int):
    seat, message = selectors.get_visible_message(request.user, message_id)
    services.delete_message(actor=request.user, seat=seat, message=message)
    if request.htmx:
        selectors.decorate([message], request.user)
        return render(request, "messaging/_message.html", {"message": message, "me": request.user})
    return redirect(f"{seat.conversation.get_absolute_url()}#message-{message.pk}")


@require_POST
def react(request, message_id: int):
    """Add or take back my reaction (htmx: the message's reaction bar comes back)."""
    seat, message = selectors.get_visible_message(request.user, message_id)
    services.react_to_message(
        actor=request.user, seat=seat, message=message, kind=request.POST.get("kind", "")
    )
    if request.htmx:
        selectors.decorate([message], request.user)
        return render(request, "messaging/_reactions.html", {"message": message, "seat": seat})
    return redirect(f"{seat.conversation.get_absolute_url()}#message-{message.pk}")


@require_GET
def attachment(request, message_id: int, attachment_id: int):
    """A message's file, to the participants who may read the message; images inline,
    everything else as a download (core.files)."""
    item = selectors.get_message_attachment(request.user, message_id, attachment_id)
    return serve_stored_file(
        name=item.file.name,
        folder=MESSAGE_FILE_FOLDER,
        filename=item.name,
        content_type=item.content_type if item.is_image else "application/octet-stream",
        inline=item.is_image,
        max_age=3600,
    )


@require_POST
def read(request, conversation_id: int):
    seat = selectors.get_seat(request.user, conversation_id)
    try:
        through = int(request.POST.get("through", "")) if request.POST.get("through") else None
    except ValueError as exc:
        raise ApplicationError("Give a message id.", field="through") from exc
    services.mark_read(actor=request.user, seat=seat, through=through)
    return HttpResponse(status=204)


@require_POST
def add_people(request, conversation_id: int):
    seat = selectors.get_seat(request.user, conversation_id)
    services.add_participants(
        actor=request.user,
        seat=seat,
        people=services.find_people(_names(request.POST.get("to", ""))),
    )
    return redirect(seat.conversation.get_absolute_url())


@require_POST
def remove_person(request, conversation_id: int):
    seat = selectors.get_seat(request.user, conversation_id)
    person = services.find_people([request.POST.get("username", "")])[0]
    if person is None:
        raise ApplicationError("This person is not in the conversation.", field="username")
    services.remove_participant(actor=request.user, seat=seat, user=person)
    if person.pk == request.user.pk:
        return redirect("messaging:inbox")
    return redirect(seat.conversation.get_absolute_url())


@require_POST
def leave(request, conversation_id: int):
    seat = selectors.get_seat(request.user, conversation_id)
    services.leave_conversation(actor=request.user, seat=seat)
    return redirect("messaging:inbox")


@require_POST
def email_settings(request):
    try:
        minutes = int(request.POST.get("email_delay", ""))
    except ValueError as exc:
        raise ApplicationError("Choose one of the offered delays.", field="email_delay") from exc
    services.set_email_delay(actor=request.user, minutes=minutes)
    return redirect(reverse("messaging:inbox"))


@require_GET
def badge(request):
    """The Messages count in the navigation, for the page script to refresh."""
    count = selectors.unread_conversation_count(request.user)
    return HttpResponse(str(count), content_type="text/plain")
