"""The one application error type. Services raise these; the API turns them into `{"detail", "code"}` answers."""

from http import HTTPStatus


class DomainError(Exception):
    """A request that cannot be carried out. `status` is the HTTP status the API answers with."""

    status: int = HTTPStatus.BAD_REQUEST
    code: str = "bad_request"
    detail: str = "The request cannot be carried out."

    def __init__(
        self, detail: str | None = None, *, code: str | None = None, status: int | None = None, **extra
    ):
        self.detail = detail or self.detail
        self.code = code or self.code
        self.status = status or self.status
        self.extra = extra
        super().__init__(self.detail)

    def as_dict(self) -> dict:
        return {"detail": self.detail, "code": self.code, **self.extra}


class NotFound(DomainError):
    status = HTTPStatus.NOT_FOUND
    code = "not_found"
    detail = "Not found."


class PermissionDenied(DomainError):
    status = HTTPStatus.FORBIDDEN
    code = "permission_denied"
    detail = "You do not have permission to do this."


class Conflict(DomainError):
    status = HTTPStatus.CONFLICT
    code = "conflict"
    detail = "This conflicts with the current state."


class Invalid(DomainError):
    status = HTTPStatus.UNPROCESSABLE_ENTITY
    code = "invalid"
    detail = "The request is not valid."
