"""Pagination shapes of the tracker's lists: page numbers for the tracker (`{"results", "pagination"}`, like the
marketplace's job list) and a cursor for the activity feed, which grows while it is read."""

import math
from datetime import datetime
from typing import Any

from ninja import Field, Schema
from ninja.pagination import CursorPagination, PaginationBase

from jobpilot.core.errors import Invalid


class PageInfo(Schema):
    page: int
    limit: int
    total: int
    pages: int


class PageNumberResults(PaginationBase):
    items_attribute = "results"

    class Input(Schema):
        page: int = Field(1, ge=1, le=10_000)
        limit: int = Field(20, ge=1, le=100)

    class Output(Schema):
        results: list[Any]
        pagination: PageInfo

    def paginate_queryset(self, queryset, pagination: Input, request, **params):
        total = queryset.count()
        offset = (pagination.page - 1) * pagination.limit
        return {
            "results": list(queryset[offset : offset + pagination.limit]),
            "pagination": {
                "page": pagination.page,
                "limit": pagination.limit,
                "total": total,
                "pages": math.ceil(total / pagination.limit),
            },
        }


class FeedCursorPagination(CursorPagination):
    """Ninja's cursor pagination over a datetime position, refusing a forged cursor with a 422 (not a 500)."""

    def _find_position(self, queryset, cursor):
        if cursor.p is not None:
            try:
                datetime.fromisoformat(cursor.p)
            except ValueError as error:
                raise Invalid("The cursor is not valid.", code="invalid_cursor", field="cursor") from error
        return super()._find_position(queryset, cursor)
