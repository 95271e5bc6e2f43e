from datetime import date, datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangqun.core.forms import TimeOfDayField
from dangqun.core.schemas import LAST_DAY
from dangqun.places import selectors as places

from .schemas import FIRST_CALENDAR_DAY


def day_kept(day) -> None:
    """A date field's bound: the days a booking's times can be shown for (1901-2100)."""
    if day is not None and not FIRST_CALENDAR_DAY <= day <= LAST_DAY:
        raise forms.ValidationError(
            _("Enter a date from %(first)s to %(last)s.")
            % {"first": FIRST_CALENDAR_DAY.isoformat(), "last": LAST_DAY.isoformat()}
        )


def day_or_today(value: str | None):
    """The day a page shows (`?date=`): today for none, one not a date, or one out of range."""
    try:
        day = date.fromisoformat(value) if value else None
    except ValueError:
        day = None
    if day is None or not FIRST_CALENDAR_DAY <= day <= LAST_DAY:
        return timezone.localdate()
    return day


class BookingForm(forms.Form):
    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}), validators=[day_kept]
    )
    start_time = TimeOfDayField(label=_("From"))
    end_time = TimeOfDayField(label=_("Until"))
    purpose = forms.CharField(label=_("What for"), max_length=200)
    headcount = forms.IntegerField(
        label=_("How many people"), min_value=1, max_value=100000, initial=1
    )
    weeks = forms.IntegerField(
        label=_("Repeat every week for how many weeks"),
        required=False,
        min_value=1,
        max_value=26,
        help_text=_("Leave empty for a single booking."),
    )
    on_behalf_mobile = forms.CharField(
        label=_("Book for (mobile number of the person; staff only)"), required=False, max_length=20
    )

    # The person at the counter, by their opaque public id (no mobile number in a URL).
    on_behalf = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args, slot_minutes: int = 30, is_staff: bool = False, for_person=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        for name in ("start_time", "end_time"):
            self.fields[name].widget.attrs["step"] = slot_minutes * 60
        self.for_person = for_person
        if for_person is not None:
            self.fields["on_behalf"].initial = for_person.public_id
            del self.fields["on_behalf_mobile"]
        else:
            del self.fields["on_behalf"]
        if not is_staff:
            self.fields.pop("on_behalf_mobile", None)

    def times(self) -> tuple[datetime, datetime]:
        day = self.cleaned_data["date"]
        start = timezone.make_aware(datetime.combine(day, self.cleaned_data["start_time"]))
        end = timezone.make_aware(datetime.combine(day, self.cleaned_data["end_time"]))
        return start, end


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=200)


class SearchForm(forms.Form):
    kind = forms.ModelChoiceField(
        label=_("Kind of space"),
        queryset=places.space_kinds(),
        required=False,
        to_field_name="code",
        empty_label=_("Any kind"),
    )
    street = forms.ModelChoiceField(
        label=_("Street"),
        required=False,
        empty_label=_("All streets"),
        queryset=places.streets(),
    )
    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}), validators=[day_kept]
    )
    start_time = TimeOfDayField(label=_("From"))
    end_time = TimeOfDayField(label=_("Until"))
    people = forms.IntegerField(
        label=pgettext_lazy("headcount", "People"), min_value=1, max_value=100000, initial=1
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("start_time")
            and data.get("end_time")
            and (data["end_time"] <= data["start_time"])
        ):
            self.add_error("end_time", _("The end must be after the start."))
        return data

    def times(self) -> tuple[datetime, datetime]:
        return BookingForm.times(self)
