"""Work that a service hands to the worker once its transaction commits. The tasks module
registers what to do for each kind of work when the app is ready, so services never import
the tasks (and the tasks, which call services, are imported by nobody below them)."""

from collections.abc import Callable

from django.db import transaction

_HANDLERS: dict[str, Callable[..., None]] = {}

REMINDERS = "reminders"  # an activity was published: remind before each session
OFFER_MADE = "offer_made"  # a place was offered: let the offer lapse at its time


def handle(kind: str, schedule: Callable[..., None]) -> None:
    _HANDLERS[kind] = schedule


def after_commit(kind: str, *args) -> None:
    """Schedule the work of `kind` once the current transaction commits."""
    schedule = _HANDLERS[kind]
    transaction.on_commit(lambda: schedule(*args))
