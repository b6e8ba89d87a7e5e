"""Alembic migrations, applied on start by resilience.db.migrate."""
