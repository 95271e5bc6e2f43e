"""Forms of the back-office booking pages. They only parse what was typed; the rules
(who may, which values fit together) are checked by the services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangqun.core.forms import LocalizedChoiceField
from dangqun.core.templatetags.dq import loc
from dangqun.people.selectors import tag_choices

from .forms import day_kept
from .models import Booking
from .services import RULE_FIELDS, SLOT_CHOICES


class SpaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{loc(obj.center)} · {loc(obj)}"


class BookingFilterForm(forms.Form):
    center = LocalizedChoiceField(
        label=_("Center"), queryset=None, required=False, to_field_name="slug"
    )
    space = SpaceChoiceField(label=_("Space"), queryset=None, required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *Booking.Status.choices],
    )
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[day_kept],
    )
    date_to = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[day_kept],
    )

    def __init__(self, *args, centers, spaces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["center"].queryset = centers
        self.fields["center"].empty_label = _("All centers")
        self.fields["space"].queryset = spaces
        self.fields["space"].empty_label = _("All spaces")

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return data

    def filters(self) -> dict:
        """Keyword arguments of selectors.bookings_for_staff."""
        return {name: self.cleaned_data.get(name) or None for name in self.fields}

    def described(self) -> dict:
        """The filters as plain values, for the audit log and file names."""
        data = self.filters()
        return {
            "center": data["center"].slug if data["center"] else None,
            "space": data["space"].pk if data["space"] else None,
            "status": data["status"],
            "date_from": data["date_from"].isoformat() if data["date_from"] else None,
            "date_to": data["date_to"].isoformat() if data["date_to"] else None,
        }


class RejectForm(forms.Form):
    # Not required here: the service says why an empty reason is refused, beside the field.
    reason = forms.CharField(
        label=_("Reason for rejecting (sent to the booker)"), required=False, max_length=200
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=200)


class RuleForm(forms.Form):
    slot_minutes = forms.TypedChoiceField(
        label=_("Slot length (minutes)"),
        coerce=int,
        choices=[(n, str(n)) for n in SLOT_CHOICES],
        help_text=_("Bookings start and end on this grid."),
    )
    min_minutes = forms.IntegerField(label=_("Shortest booking (minutes)"))
    max_minutes = forms.IntegerField(label=_("Longest booking (minutes)"))
    max_days_ahead = forms.IntegerField(label=_("Bookable days ahead"))
    requires_approval = forms.BooleanField(label=_("Staff must approve"), required=False)
    max_headcount = forms.IntegerField(
        label=_("Headcount limit"),
        required=False,
        help_text=_("Empty means the space's capacity."),
    )
    open_to_residents = forms.BooleanField(label=_("Residents may book"), required=False)
    open_to_partners = forms.BooleanField(label=_("Partners may book"), required=False)
    required_tags = forms.MultipleChoiceField(
        label=_("Only for these groups"),
        required=False,
        choices=tag_choices(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Residents need one of these group tags; none ticked means everyone."),
    )

    @classmethod
    def initial_from(cls, rule) -> dict:
        # The form edits what booking_rule_save checks and saves.
        return {name: getattr(rule, name) for name in RULE_FIELDS}


class ClosedDateForm(forms.Form):
    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}), validators=[day_kept]
    )
    reason = forms.CharField(label=_("Reason (shown to residents)"), required=False, max_length=120)

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later date."))
        return day
