"""The local SQLite store (no Qt): tables, placements, libraries and the sync outbox."""
