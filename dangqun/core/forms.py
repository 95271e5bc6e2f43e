"""Helpers shared by the pages' forms: a service's domain error is shown beside the field
it names (or above the form), or as a message at the top of the page."""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages

from .errors import DomainError


@dataclass(frozen=True)
class Outcome:
    """What calling a service from a page gave: ok and its result, or the error shown."""

    ok: bool
    value: Any = None
    error: DomainError | None = None


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's error beside the field it names, or above the form. A form whose
    fields are named otherwise than the service's (a request's extra fields, a booking's
    times) says where each goes in its own `place_domain_error(error)`."""
    place = getattr(form, "place_domain_error", None)
    if place is not None:
        place(error)
        return
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error.message))


def attempt(service, /, **kwargs) -> Outcome:
    """Call a service; a domain error it raises is returned, for the page to show where it
    belongs (the two helpers below are the usual places)."""
    try:
        return Outcome(True, service(**kwargs))
    except DomainError as error:
        return Outcome(False, error=error)


def call_for_form(form: forms.Form, service, /, **kwargs) -> Outcome:
    """Call a service; a domain error it raises goes beside the form's field."""
    outcome = attempt(service, **kwargs)
    if outcome.error is not None:
        add_domain_error(form, outcome.error)
    return outcome


def call_with_message(request, service, /, **kwargs) -> Outcome:
    """Call a service from a button (no form to show): its domain error becomes an error
    message at the top of the next page."""
    outcome = attempt(service, **kwargs)
    if outcome.error is not None:
        messages.error(request, str(outcome.error.message))
    return outcome
