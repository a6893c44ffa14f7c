"""Email: every message the platform sends is a row first (never lost, visible to staff), then
sent by a background job through the library's mail server, or written to an outbox folder."""
