from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RoomForm(forms.Form):
    station = forms.ModelChoiceField(label=_("Station"), queryset=None)
    name = forms.CharField(label=pgettext_lazy("place", "Name"), max_length=120)
    name_en = forms.CharField(label=_("Name in English"), max_length=120, required=False)
    is_24h = forms.BooleanField(label=_("Open 24 hours"), required=False, initial=True)

    def __init__(self, *args, stations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations


class CabinetForm(forms.Form):
    code = forms.SlugField(label=_("Device code"), max_length=40)
    charging_slots = forms.IntegerField(
        label=_("Charging slots"), min_value=0, max_value=64, initial=8
    )
    swap_slots = forms.IntegerField(label=_("Swap slots"), min_value=0, max_value=64, initial=0)


class UsageForm(forms.Form):
    start = forms.DateField(
        label=pgettext_lazy("period", "From"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=pgettext_lazy("period", "To"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    MAX_DAYS = 366

    @classmethod
    def initial_range(cls) -> dict:
        today = timezone.localdate()
        return {"start": today - timedelta(days=13), "end": today}

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and (end < start or (end - start).days > self.MAX_DAYS):
            raise forms.ValidationError(
                _("Choose a range of at most a year, ending after it starts.")
            )
        return data
