"""Shapes of the ATS connections API (`/api/v1/employer/ats/`)."""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from jobpilot.atsync import examples
from jobpilot.atsync.models import AtsConnection
from jobpilot.atsync.selectors import ats_connection_posting_counts
from jobpilot.atsync.services import board_url
from jobpilot.core.openapi import schema_example


class AtsConnectionIn(Schema):
    model_config = schema_example(examples.CONNECTION_IN)

    kind: Literal["greenhouse", "lever", "ashby"]
    board: str = Field(
        min_length=1,
        max_length=300,
        description="Greenhouse board token, Lever site name or Ashby job board name (or the board's URL).",
    )
    enabled: bool = True


class AtsConnectionPatch(Schema):
    model_config = schema_example(examples.CONNECTION_PATCH)

    enabled: bool


class AtsPostingCountsOut(Schema):
    published: int
    draft: int
    closed: int


class AtsProblemOut(Schema):
    ref: str
    title: str
    reason: str


class AtsConnectionOut(Schema):
    model_config = schema_example(examples.CONNECTION)

    id: int
    kind: str
    board: str
    board_url: str
    enabled: bool
    healthy: bool
    last_sync_at: datetime | None
    last_success_at: datetime | None
    last_status: str
    last_counts: dict
    last_problems: list[AtsProblemOut]
    last_error: str
    consecutive_failures: int
    postings: AtsPostingCountsOut
    created_at: datetime

    @staticmethod
    def resolve_board_url(connection: AtsConnection) -> str:
        return board_url(connection)

    @staticmethod
    def resolve_postings(connection: AtsConnection) -> dict:
        return ats_connection_posting_counts(connection_id=connection.pk)
