"""Ingest as jobs: a queue in PostgreSQL and the worker loop that empties it (see ``queue`` and ``worker``)."""
