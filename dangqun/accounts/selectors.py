"""Reads of accounts: a person's own API tokens."""

from .models import ApiToken


def active_tokens(person):
    """The person's tokens that still work."""
    return ApiToken.objects.filter(person=person, revoked_at__isnull=True)


def active_token(person, *, pk) -> ApiToken | None:
    """One of the person's working tokens (None if it is not theirs, or revoked)."""
    return active_tokens(person).filter(pk=pk).first()
