"""Forms of the registry's back office: centers and spaces with their opening hours and
photo, regions, kinds of space. The rules are the services'; the forms carry the input."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangqun.core.hours import WEEKDAYS

from . import selectors
from .models import Region

HOURS_HELP = _("Like 08:30-12:00,13:30-17:30, or 24h; empty means closed.")


def photo_field() -> forms.FileField:
    # The service checks the content with Pillow; the form only carries the file.
    return forms.FileField(
        label=_("Photo (JPEG, PNG or WebP, at most 5 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )


class HoursFields(forms.Form):
    """Seven inputs, Monday first, for opening hours."""

    def __init__(self, *args, hours_required=True, **kwargs):
        super().__init__(*args, **kwargs)
        for i, day in enumerate(WEEKDAYS):
            self.fields[f"hours_{i}"] = forms.CharField(
                label=day, required=False, max_length=60, help_text=HOURS_HELP if i == 0 else ""
            )
        self.hours_required = hours_required

    def hours_list(self) -> list[str] | None:
        week = [self.cleaned_data.get(f"hours_{i}", "") for i in range(7)]
        if not self.hours_required and not any(week):
            return None
        return week

    @staticmethod
    def hours_initial(week) -> dict:
        return {f"hours_{i}": spec for i, spec in enumerate(week or [])}

    def service_data(self) -> dict:
        """What the places services take: the fields, with the seven days as one list and
        without the photo (saved by its own service)."""
        data = {
            k: v
            for k, v in self.cleaned_data.items()
            if not k.startswith("hours_") and k != "photo"
        }
        data["opening_hours"] = self.hours_list()
        return data


class CenterForm(HoursFields):
    name = forms.CharField(label=pgettext_lazy("place", "Name"), max_length=120)
    name_en = forms.CharField(label=_("English name"), max_length=120, required=False)
    address = forms.CharField(label=_("Address"), max_length=200)
    latitude = forms.CharField(label=_("Latitude (WGS-84)"), max_length=20)
    longitude = forms.CharField(label=_("Longitude (WGS-84)"), max_length=20)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    brand = forms.CharField(label=_("Brand"), max_length=100, required=False)
    area_m2 = forms.CharField(label=_("Floor area (m²)"), max_length=12, required=False)
    is_integrated = forms.BooleanField(label=_("Integrated center"), required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    photo = photo_field()
    field_order = [
        "name",
        "name_en",
        "address",
        "latitude",
        "longitude",
        "phone",
        "brand",
        "area_m2",
        "is_integrated",
        "description",
        "photo",
    ]


class NewCenterForm(CenterForm):
    region = forms.ModelChoiceField(label=_("Region"), queryset=None)
    field_order = ["region", *CenterForm.field_order]

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.order_fields(self.field_order)

    def service_data(self) -> dict:
        data = super().service_data()
        data.pop("region")
        return data


class RegionForm(forms.Form):
    parent = forms.ModelChoiceField(label=_("Parent region"), queryset=None)
    level = forms.ChoiceField(label=_("Level"), choices=Region.Level.choices)
    name = forms.CharField(label=_("Name (Chinese)"), max_length=100)
    name_en = forms.CharField(label=_("English name"), max_length=100, required=False)

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = regions


class SpaceForm(HoursFields):
    name = forms.CharField(label=pgettext_lazy("place", "Name"), max_length=120)
    name_en = forms.CharField(label=_("English name"), max_length=120, required=False)
    kind = forms.ModelChoiceField(
        label=_("Kind"), queryset=selectors.space_kinds(), to_field_name="code"
    )
    area_m2 = forms.CharField(label=_("Area (m²)"), max_length=12, required=False)
    capacity = forms.CharField(label=_("Capacity (people)"), max_length=6, required=False)
    is_bookable = forms.BooleanField(label=_("Bookable"), required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    photo = photo_field()
    field_order = [
        "name",
        "name_en",
        "kind",
        "area_m2",
        "capacity",
        "is_bookable",
        "description",
        "photo",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, hours_required=False, **kwargs)
        self.fields["hours_0"].help_text = _("Leave all seven empty to use the center's hours.")


class SpaceKindForm(forms.Form):
    name = forms.CharField(label=_("Name (Chinese)"), max_length=60)
    name_en = forms.CharField(label=_("English name"), max_length=60, required=False)
