"""How the API reads a request body, in one place: a body it cannot read is the caller's error (400 or 415 with
`{"detail", "code"}`), never a 500.

Two halves, because Django parses form bodies before any API code runs:
- `ApiRequestBodyMiddleware` parses form and multipart bodies of `/api/` requests up front, so a missing or
  broken multipart boundary, an unknown charset or undecodable form data is answered here.
- `ApiParser` (django-ninja's parser) checks that a JSON endpoint got JSON and a form/upload endpoint got a form,
  and decodes JSON with the charset the caller named.
"""

import codecs
import json

from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError
from ninja.parser import Parser

API_PREFIX = "/api/"
JSON = "application/json"
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


class BodyRejected(Exception):
    """A request body the API cannot read. Raised while parsing; answered with its status and code."""

    def __init__(self, detail: str, *, status: int = 400, code: str = "malformed_body"):
        self.detail, self.status, self.code = detail, status, code
        super().__init__(detail)

    def as_response(self) -> JsonResponse:
        return JsonResponse({"detail": self.detail, "code": self.code}, status=self.status)


def unsupported_media_type(expected: str) -> BodyRejected:
    return BodyRejected(f"This endpoint takes {expected}.", status=415, code="unsupported_media_type")


def _check_charset(request) -> str | None:
    charset = request.content_params.get("charset")
    if charset is None:
        return None
    try:
        codecs.lookup(charset)
    except LookupError:
        raise BodyRejected(
            f"Unknown charset {charset[:40]!r}.", status=415, code="unsupported_media_type"
        ) from None
    return charset


def _is_json(content_type: str) -> bool:
    return content_type == JSON or (
        content_type.startswith("application/") and content_type.endswith("+json")
    )


class ApiRequestBodyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(API_PREFIX) and request.content_type in FORM_TYPES:
            try:
                _check_charset(request)
                # Parse now, where a broken body has an answer. (Streamed: uploads never sit in memory whole, so a
                # JSON endpoint sent a form finds the body read; see `json_expected`.)
                request.POST, request.FILES  # noqa: B018
            except BodyRejected as rejected:
                return rejected.as_response()
            except (MultiPartParserError, ValueError) as error:
                return BodyRejected(f"The form body cannot be read: {error}").as_response()
        return self.get_response(request)


def json_expected() -> BodyRejected:
    """A JSON endpoint got something else. (A `RawPostDataException` under /api/ means this too: the middleware
    parsed a form, and a JSON endpoint then wanted the raw body.)"""
    return unsupported_media_type(f"a JSON body (Content-Type: {JSON})")


class ApiParser(Parser):
    def parse_body(self, request) -> dict:
        if request.content_type in FORM_TYPES or not (
            _is_json(request.content_type) or not request.content_type
        ):
            raise json_expected()
        charset = _check_charset(request) or "utf-8"
        try:
            data = json.loads(request.body.decode(charset))
        except UnicodeDecodeError:
            raise BodyRejected(f"The body is not valid {charset} text.") from None
        except json.JSONDecodeError as error:
            raise BodyRejected(f"The body is not valid JSON: {error}.") from None
        _refuse_nul(data)
        return data

    def parse_querydict(self, data, list_fields, request) -> dict:
        # Called for the query string too; only a form or an upload must come as one.
        reads_the_body = data is not request.GET
        if reads_the_body and request.content_type not in FORM_TYPES and request.body:
            raise unsupported_media_type("a form (Content-Type: multipart/form-data)")
        parsed = super().parse_querydict(data, list_fields, request)
        _refuse_nul(parsed)
        return parsed


def _refuse_nul(value) -> None:
    """PostgreSQL cannot store a NUL character in text; say so instead of failing at the write."""
    if isinstance(value, str):
        if "\x00" in value:
            raise BodyRejected("Text may not contain NUL (\\u0000) characters.", code="invalid_character")
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_nul(key)
            _refuse_nul(item)
    elif isinstance(value, list):
        for item in value:
            _refuse_nul(item)
