"""Forms of a team leader's pages. They parse what was typed (dates, times, numbers, the
member chosen); the rules (who may, how many hours, which day) are the services'."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangqun.core.forms import TimeOfDayField
from dangqun.core.templatetags.dq import loc

# Dates are parsed within these years (anything else cannot be a shift's or a service's
# day, and a year 1 or 9999 would overflow when moved to UTC).
FIRST_YEAR, LAST_YEAR = 2000, 2100
NOTE_MAX = 300


def _date_field(label) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date as YYYY-MM-DD.")},
    )


def _within_years(day: date | None) -> date | None:
    if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise forms.ValidationError(
            _("Give a date between %(first)d and %(last)d.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return day


def member_choices(memberships) -> list[tuple[str, str]]:
    """(public id, "name · masked mobile") of members, for a select."""
    return [("", _("Choose a member"))] + [
        (str(m.person.public_id), f"{m.person.name or '—'} · {m.person.masked_mobile}")
        for m in memberships
    ]


class SpaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return loc(obj)


class TaskForm(forms.Form):
    title = forms.CharField(label=_("What is to be done"), max_length=120)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    skills = forms.CharField(
        label=_("Skills wanted"),
        required=False,
        max_length=200,
        help_text=_("For example: first aid, sign language, driving."),
    )
    space = SpaceChoiceField(
        label=_("Space of the center"),
        queryset=None,
        required=False,
        empty_label=_("(not in a space: give the address)"),
    )
    address = forms.CharField(
        label=_("Or an address"),
        required=False,
        max_length=200,
        help_text=_("Where the volunteers meet, when it is not a space of the center."),
    )

    def __init__(self, *args, spaces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["space"].queryset = spaces
        if not spaces.exists():
            del self.fields["space"]
            self.fields["address"].label = _("Address")


class ShiftForm(forms.Form):
    day = _date_field(_("Date"))
    start = TimeOfDayField(label=_("Starts at"))
    end = TimeOfDayField(label=_("Ends at"))
    places = forms.IntegerField(
        label=pgettext_lazy("shift", "Places"),
        min_value=1,
        max_value=1000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("How many volunteers the shift needs; others may join the waiting list."),
    )

    def clean_day(self):
        return _within_years(self.cleaned_data["day"])

    def moments(self) -> tuple[datetime, datetime]:
        day = self.cleaned_data["day"]
        zone = timezone.get_current_timezone()
        start = timezone.make_aware(datetime.combine(day, self.cleaned_data["start"]), zone)
        end = timezone.make_aware(datetime.combine(day, self.cleaned_data["end"]), zone)
        return start, end

    def place_domain_error(self, error):
        field = {"start": "start", "end": "end", "places": "places"}.get(error.field)
        self.add_error(field, str(error.message))


class ReasonForm(forms.Form):
    """Calling off a shift: why (everyone signed up is told by text message)."""

    reason = forms.CharField(
        label=_("Why is the shift called off?"),
        max_length=200,
        help_text=_("Everyone signed up gets this reason in a text message."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MemberForm(forms.Form):
    member = forms.ChoiceField(label=_("Member"))

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = member_choices(members)
        self.fields["member"].error_messages["invalid_choice"] = _(
            "Choose a member of the team from the list."
        )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Six-letter check-in code"),
        max_length=400,  # a scanned personal QR code's address is long
        help_text=_("The code on the volunteer's shift page, or the address their QR code holds."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "class": "code-input",
                "enterkeyhint": "go",
            }
        ),
    )

    def clean_code(self):
        return self.cleaned_data["code"].strip()


class HonourForm(forms.Form):
    member = forms.ChoiceField(label=_("Member"))
    day = _date_field(_("Day of the service"))
    hours = forms.DecimalField(
        # "小时数" alone reads as a column heading; a field asks for a length of time.
        label=pgettext_lazy("length of a service", "Hours"),
        required=False,
        min_value=0,
        max_value=24,
        max_digits=4,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )
    minutes = forms.IntegerField(
        label=_("and minutes"),
        required=False,
        min_value=0,
        max_value=24 * 60,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("Give the hours, the minutes or both: at most 24 hours on one day."),
    )
    reason = forms.CharField(
        label=_("For what service"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence = forms.FileField(
        label=_("Evidence (a photo or a PDF)"),
        help_text=_("A photo of the event, a letter of thanks, a signed sheet: at most 5 MB."),
        error_messages={"required": _("Attach a photo or a PDF as evidence.")},
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,.pdf"}),
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = member_choices(members)
        self.fields["member"].error_messages["invalid_choice"] = _(
            "Choose a member of the team from the list."
        )

    def clean_day(self):
        return _within_years(self.cleaned_data["day"])

    def clean(self):
        cleaned = super().clean()
        hours, minutes = cleaned.get("hours"), cleaned.get("minutes")
        if "hours" in cleaned and "minutes" in cleaned:
            total = int((hours or Decimal(0)) * 60) + (minutes or 0)
            if total <= 0:
                self.add_error("hours", _("Give the hours, the minutes or both."))
            cleaned["total_minutes"] = total
        return cleaned

    def place_domain_error(self, error):
        field = {"person": "member", "date": "day"}.get(error.field, error.field)
        self.add_error(field if field in self.fields else None, str(error.message))


class DecisionForm(forms.Form):
    """Approve or refuse (honour hours), accept or refuse (a correction): a note, required
    when refusing (the service says so)."""

    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when refusing: the volunteer reads it."),
    )

    def place_domain_error(self, error):
        field = "note" if error.field in ("note", "answer") else None
        self.add_error(field, str(error.message))


class AnswerForm(DecisionForm):
    """Answering a volunteer's correction request: the answer, required when refusing."""

    note = forms.CharField(
        label=_("Answer to the volunteer"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when refusing: the volunteer reads it."),
    )


class CorrectForm(forms.Form):
    minutes = forms.IntegerField(
        label=_("The right minutes"),
        min_value=0,
        max_value=24 * 60,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("0 takes the line out; 90 is an hour and a half."),
    )
    reason = forms.CharField(
        label=_("Why"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LeftForm(forms.Form):
    """A missed check-out: when the volunteer left (empty: at the shift's end)."""

    left = TimeOfDayField(
        label=_("Left at"),
        required=False,
        help_text=_("Empty: at the end of the shift."),
    )

    def moment(self, shift) -> datetime | None:
        """The time typed on the shift's day (the next day's for a shift past midnight)."""
        clock: time | None = self.cleaned_data.get("left")
        if clock is None:
            return None
        start = timezone.localtime(shift.start)
        left = timezone.make_aware(datetime.combine(start.date(), clock), start.tzinfo)
        if left < shift.start:
            left += timedelta(days=1)
        return left
