"""Sync with the server over HTTP (no Qt): the API client and the sync engine."""
