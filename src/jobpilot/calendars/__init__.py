"""Interview calendars: iCalendar events for interviews (same UID, rising SEQUENCE, so an update or a cancellation
replaces the event) and a private subscribable ICS feed per user (docs/adr/0014)."""
