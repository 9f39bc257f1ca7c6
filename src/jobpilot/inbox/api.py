"""`/api/v1/inbox/`: the seeker's forwarding address, IMAP connection, incoming messages and their suggestions.
A plan feature (402 `feature_not_in_plan` without it); switching things off is allowed on any plan. Every route
works on the caller's own rows: another seeker's message is a 404."""

import uuid

from ninja import Query, Router, Status
from ninja.pagination import paginate

from jobpilot.accounts.auth import user_auth
from jobpilot.core.errors import NotFound
from jobpilot.core.openapi import response_example
from jobpilot.inbox import selectors, services
from jobpilot.inbox.schemas import (
    MESSAGE_PAGE_EXAMPLE,
    ForwardingAddressOut,
    ImapConnectionIn,
    ImapConnectionOut,
    ImapStateOut,
    ImapTestOut,
    InboxMessageDetailOut,
    InboxMessageOut,
    MessageFilters,
)
from jobpilot.tracker.pagination import PageNumberResults

router = Router(auth=user_auth, tags=["inbox"])


@router.get("/address/", response=ForwardingAddressOut, summary="Your forwarding address")
def address_get(request):
    selectors.inbox_require_plan(request.auth)
    return ForwardingAddressOut.from_address(selectors.forwarding_address_get(seeker=request.auth))


@router.post("/address/", response=ForwardingAddressOut, summary="Make or switch on your forwarding address")
def address_enable(request):
    return ForwardingAddressOut.from_address(services.forwarding_address_enable(seeker=request.auth))


@router.post(
    "/address/reset/", response=ForwardingAddressOut, summary="A new forwarding address (the old one stops)"
)
def address_reset(request):
    return ForwardingAddressOut.from_address(services.forwarding_address_reset(seeker=request.auth))


@router.delete("/address/", response=ForwardingAddressOut, summary="Switch your forwarding address off")
def address_disable(request):
    return ForwardingAddressOut.from_address(services.forwarding_address_disable(seeker=request.auth))


@router.get("/imap/", response=ImapConnectionOut, summary="Your IMAP connection")
def imap_get(request):
    selectors.inbox_require_plan(request.auth)
    connection = selectors.imap_connection_get(seeker=request.auth)
    if connection is None:
        raise NotFound("No IMAP connection.")
    return connection


@router.put("/imap/", response=ImapConnectionOut, summary="Connect a mailbox (tried before it is saved)")
def imap_save(request, payload: ImapConnectionIn):
    return services.imap_connection_save(seeker=request.auth, fields=payload.dict())


@router.post("/imap/test/", response=ImapTestOut, summary="Try the saved IMAP connection")
def imap_test(request):
    services.imap_connection_test(seeker=request.auth)
    return {"ok": True}


@router.delete("/imap/", response=ImapStateOut, summary="Disconnect the mailbox (the password is deleted)")
def imap_delete(request):
    """Answers the state, now disconnected."""
    services.imap_connection_delete(seeker=request.auth)
    return {"connected": False}


@router.get(
    "/messages/",
    response=list[InboxMessageOut],
    summary="Messages that came in, newest first",
    openapi_extra=response_example(MESSAGE_PAGE_EXAMPLE),
)
@paginate(PageNumberResults)
def message_list(request, filters: Query[MessageFilters]):
    selectors.inbox_require_plan(request.auth)
    return selectors.inbox_message_list(seeker=request.auth, state=filters.state)


@router.get(
    "/messages/{uuid:message_id}/", response=InboxMessageDetailOut, summary="One message with its text"
)
def message_get(request, message_id: uuid.UUID):
    selectors.inbox_require_plan(request.auth)
    return selectors.inbox_message_get(seeker=request.auth, message_id=message_id)


@router.post(
    "/messages/{uuid:message_id}/confirm/",
    response=InboxMessageOut,
    summary="Apply the suggested status to the tracked application",
)
def message_confirm(request, message_id: uuid.UUID):
    return services.inbox_suggestion_confirm(seeker=request.auth, message_id=message_id)


@router.post(
    "/messages/{uuid:message_id}/dismiss/", response=InboxMessageOut, summary="Dismiss the suggestion"
)
def message_dismiss(request, message_id: uuid.UUID):
    return services.inbox_suggestion_dismiss(seeker=request.auth, message_id=message_id)


@router.delete("/messages/{uuid:message_id}/", response={204: None}, summary="Delete a message")
def message_delete(request, message_id: uuid.UUID):
    services.inbox_message_delete(seeker=request.auth, message_id=message_id)
    return Status(204, None)
