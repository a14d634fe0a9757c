"""The merchant admin's JSON API. No merchant authentication exists yet (session tokens come with the embedded
admin), so these endpoints answer only outside production."""

from app.admin.notifications import bp

__all__ = ["bp"]
