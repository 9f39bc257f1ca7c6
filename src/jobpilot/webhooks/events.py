"""The events an employer can subscribe to. Their names are part of the public contract: never rename one."""

from django.db import models


class EventType(models.TextChoices):
    APPLICATION_RECEIVED = "application.received", "A candidate applied"
    APPLICATION_STAGE_MOVED = "application.stage_moved", "An application moved to another stage"
    APPLICATION_OFFERED = "application.offered", "An application reached an offer stage"
    APPLICATION_HIRED = "application.hired", "An application reached a hired stage"
    APPLICATION_REJECTED = "application.rejected", "An application was rejected"
    APPLICATION_WITHDRAWN = "application.withdrawn", "The candidate withdrew"
    INTERVIEW_SCHEDULED = "interview.scheduled", "An interview was scheduled"
    INTERVIEW_UPDATED = "interview.updated", "An interview was changed"
    INTERVIEW_CANCELLED = "interview.cancelled", "An interview was cancelled"
    SCORECARD_SUBMITTED = "scorecard.submitted", "A reviewer submitted or replaced a scorecard"
    JOB_PUBLISHED = "job.published", "A job was published (or re-opened)"
    JOB_CLOSED = "job.closed", "A job was closed or archived"
    JOB_EXPIRED = "job.expired", "A job closed at its expiry or deadline"
    MEMBER_ADDED = "member.added", "Someone joined the team"
    MEMBER_REMOVED = "member.removed", "Someone left the team"
    # Sent by "Send a test event"; nobody subscribes to it, it goes to the one endpoint tested.
    PING = "webhook.ping", "A test event"


SUBSCRIBABLE = [event for event in EventType if event != EventType.PING]
