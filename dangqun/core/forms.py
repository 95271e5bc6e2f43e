"""Helpers shared by the pages' forms."""

from django import forms

from .errors import DomainError


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's error beside the field it names, or above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error.message))
