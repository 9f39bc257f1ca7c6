"""ASGI: refuse a request body over `MAX_REQUEST_BODY_BYTES` before it is read.

Django's ASGI handler reads the whole body (spooling it to disk) before the first middleware runs, so a size
check in Django, or in a view, comes after the upload has already cost its bandwidth and disk. Here a declared
`Content-Length` over the limit is answered 413 at once; a body sent without one (chunked) is cut off when it
passes the limit (Django then sees the client go away and answers nothing)."""

import json

from django.conf import settings
from django.template.defaultfilters import filesizeformat


class RequestBodyLimit:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = settings.MAX_REQUEST_BODY_BYTES
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None:
            if not declared.isdigit() or int(declared) > limit:
                return await _too_large(scope, send, limit)
            return await self.app(scope, receive, send)
        return await self.app(scope, _counted(receive, limit), send)


def _counted(receive, limit: int):
    received = 0

    async def receive_within_limit():
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                return {"type": "http.disconnect"}
        return message

    return receive_within_limit


async def _too_large(scope, send, limit: int):
    size = filesizeformat(limit).replace("\xa0", " ")
    if scope["path"].startswith("/api/"):
        body = json.dumps(
            {"detail": f"The request is larger than {size}.", "code": "request_too_large"}
        ).encode()
        content_type = b"application/json"
    else:
        body = f"The upload is larger than {size}.".encode()
        content_type = b"text/plain; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", content_type), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
