"""Pages for people trying Afterglow on their machine; not registered in production."""

from app.dev.outbox import bp

__all__ = ["bp"]
