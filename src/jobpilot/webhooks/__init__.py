"""Outbound webhooks for employers: subscriptions per event type, an outbox written in the transaction of the
event, signed deliveries sent after commit and retried for a day, and a delivery log (docs/adr/0012)."""
