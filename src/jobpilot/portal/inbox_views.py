"""The seeker's inbox page (`/inbox/`, public host): the forwarding address, the mailbox connection, and the
messages that came in with the status change each one suggests: one click confirms, one dismisses. Views parse,
call one service or selector, render."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST
from pydantic import ValidationError

from jobpilot.core.errors import DomainError, NotFound
from jobpilot.inbox import selectors, services
from jobpilot.inbox.models import ImapConnection
from jobpilot.inbox.schemas import ImapConnectionIn
from jobpilot.portal.seeker_views import seeker_page

INBOX_PATH = "/inbox/"
PAGE_SIZE = 50


@seeker_page
@require_GET
def inbox(request):
    has_plan = selectors.inbox_has_plan(request.user)
    securities = [
        choice
        for choice in ImapConnection.Security.choices
        if choice[0] != ImapConnection.Security.PLAIN or settings.INBOX_IMAP_ALLOW_PLAIN
    ]
    context = {"has_plan": has_plan, "securities": securities}
    if has_plan:
        address = selectors.forwarding_address_get(seeker=request.user)
        context.update(
            address=address,
            address_email=selectors.forwarding_email(address) if address else "",
            imap=selectors.imap_connection_get(seeker=request.user),
            inbox_messages=list(selectors.inbox_message_list(seeker=request.user)[:PAGE_SIZE]),
        )
    return render(request, "portal/seeker/inbox.html", context)


@seeker_page
@require_POST
def inbox_address(request):
    action = request.POST.get("action", "")
    calls = {
        "enable": services.forwarding_address_enable,
        "reset": services.forwarding_address_reset,
        "disable": services.forwarding_address_disable,
    }
    if action not in calls:
        messages.error(request, "Choose what to do with the address.")
        return redirect(INBOX_PATH)
    try:
        calls[action](seeker=request.user)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(
            request,
            {
                "enable": "Your forwarding address is on.",
                "reset": "You have a new forwarding address; the old one no longer takes mail.",
                "disable": "Your forwarding address is off; mail sent to it is refused.",
            }[action],
        )
    return redirect(INBOX_PATH)


@seeker_page
@require_POST
def inbox_decide(request, message_id: uuid.UUID, action: str):
    if action not in ("confirm", "dismiss"):
        raise Http404("Unknown action.")
    call = services.inbox_suggestion_confirm if action == "confirm" else services.inbox_suggestion_dismiss
    try:
        message = call(seeker=request.user, message_id=message_id)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        if action == "confirm":
            application = message.application
            messages.success(
                request,
                f"{application.title} at {application.company} is now {application.get_status_display()}.",
            )
        else:
            messages.info(request, "Suggestion dismissed; nothing changed.")
    return redirect(INBOX_PATH)


@seeker_page
@require_POST
def inbox_imap(request):
    action = request.POST.get("action", "save")
    try:
        if action == "delete":
            services.imap_connection_delete(seeker=request.user)
            messages.success(request, "Mailbox disconnected; its password is deleted.")
        elif action == "test":
            services.imap_connection_test(seeker=request.user)
            messages.success(request, "The mailbox answered.")
        else:
            payload = ImapConnectionIn(
                host=request.POST.get("host", ""),
                port=request.POST.get("port") or 993,
                security=request.POST.get("security") or ImapConnection.Security.SSL,
                username=request.POST.get("username", ""),
                password=request.POST.get("password", ""),
                mailbox=request.POST.get("mailbox") or "INBOX",
            )
            services.imap_connection_save(seeker=request.user, fields=payload.dict())
            messages.success(request, "Mailbox connected. It is read every few minutes, never changed.")
    except ValidationError as exc:
        fields = ", ".join(str(error["loc"][0]) for error in exc.errors() if error.get("loc"))
        messages.error(request, f"Check these fields: {fields}.")
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect(INBOX_PATH)
