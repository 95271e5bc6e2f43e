"""Helpers shared by the pages' forms: a service's domain error is shown beside the field
it names (or above the form), or as a message at the top of the page; the one time-of-day
field (and date-and-time field) every form uses."""

import re
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from django import forms
from django.contrib import messages
from django.forms.utils import from_current_timezone
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .errors import DomainError
from .schemas import FIRST_DAY, LAST_DAY
from .templatetags.dq import loc


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


# "10:00", "10.00", "10：00" (a Chinese keyboard's colon), "1000", "930", "9:30", "10", "10点".
_CLOCK = re.compile(r"^\s*(?P<h>\d{1,2})(?:\s*[:.：点时]\s*(?P<m>\d{2})?|(?P<m2>\d{2}))?\s*分?\s*$")


class TimeOfDayInput(forms.TextInput):
    """A 24-hour time typed as digits: the same field in both languages (Chromium's
    <input type=time> shows AM/PM in either and drops "1000" typed into it)."""

    def __init__(self, attrs=None):
        base = {
            "inputmode": "numeric",
            "autocomplete": "off",
            "placeholder": "HH:MM",
            "maxlength": 8,
            "size": 6,
            "class": "time-of-day",
        }
        super().__init__(attrs={**base, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, time):
            return value.strftime("%H:%M")
        return super().format_value(value)


class TimeOfDayField(forms.TimeField):
    """A time of day on the 24-hour clock, HH:MM; also takes 1000, 10.00, 10：00 and 9:30."""

    widget = TimeOfDayInput
    default_error_messages = {
        "invalid": _("Enter a time on the 24-hour clock, such as 09:30 or 14:00."),
    }

    def prepare_value(self, value):
        # A refused form shows the time as understood ("0100" back as "01:00").
        if isinstance(value, str):
            try:
                understood = self.to_python(value)
            except forms.ValidationError:
                return value
            return understood.strftime("%H:%M") if understood else value
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, time):
            return value
        found = _CLOCK.match(str(value)[:20])
        if found:
            hour = int(found["h"])
            minute = int(found["m"] or found["m2"] or 0)
            if hour == 24 and minute == 0:
                hour = 0
            if hour < 24 and minute < 60:
                return time(hour, minute)
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class DateAndTimeWidget(forms.MultiWidget):
    """A date (the browser's date picker, ISO) and a 24-hour time typed as digits, side by
    side. A form posted as one value ("2025-05-01T09:30" or "2025-05-01 09:30", as a
    datetime-local field sends it) is read too."""

    def __init__(self, attrs=None):
        super().__init__(
            [
                forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                TimeOfDayInput(attrs={"aria-label": _("Time (24-hour, HH:MM)")}),
            ],
            attrs,
        )

    # One label for the pair, on the date; the time has its own aria-label. Not a fieldset,
    # so that the field's help and error describe both inputs.
    use_fieldset = False

    def id_for_label(self, id_):
        return f"{id_}_0" if id_ else id_

    def decompress(self, value):
        if value is None:
            return [None, None]
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return [value.date(), value.time().replace(second=0, microsecond=0)]

    def value_from_datadict(self, data, files, name):
        if name in data:
            whole = str(data.get(name) or "").strip()
            day, _sep, clock = whole.replace("T", " ", 1).partition(" ")
            return [day, clock.strip()]
        return super().value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and super().value_omitted_from_data(data, files, name)


class DateAndTimeField(forms.MultiValueField):
    """A moment in local time entered as a date and a 24-hour time, the same in every
    language (Chromium's datetime-local shows AM/PM in English and Chinese alike)."""

    widget = DateAndTimeWidget
    default_error_messages = {
        "invalid_date": _("Enter a date as YYYY-MM-DD."),
        "incomplete": _("Enter both the date and the time."),
    }

    def __init__(self, **kwargs):
        fields = (
            forms.DateField(
                input_formats=["%Y-%m-%d"],
                error_messages={"invalid": self.default_error_messages["invalid_date"]},
            ),
            TimeOfDayField(),
        )
        super().__init__(fields, require_all_fields=True, **kwargs)

    def compress(self, data_list):
        if not data_list or None in data_list[:2]:
            return None
        return from_current_timezone(datetime.combine(data_list[0], data_list[1]))


class LocalizedChoiceField(forms.ModelChoiceField):
    """Options named in the language shown (name_en in English, when filled)."""

    def label_from_instance(self, obj):
        return loc(obj)


def _day_in_range(day) -> None:
    """A date the platform can count with (1900-01-01..2100-12-31; year 9999 is refused)."""
    if day is not None and not FIRST_DAY <= day <= LAST_DAY:
        raise forms.ValidationError(
            _("Enter a date from %(first)s to %(last)s.")
            % {"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()}
        )


def day_field(
    label, *, required: bool = False, help_text="", error_messages: dict | None = None
) -> forms.DateField:
    """The one date field of the pages' forms: a date picker with an ISO value, a clear
    message for a text that is not a date, and the platform's range of dates."""
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[_day_in_range],
        error_messages={"invalid": _("Enter a date as YYYY-MM-DD."), **(error_messages or {})},
    )
