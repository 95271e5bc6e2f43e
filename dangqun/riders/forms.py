from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangqun.core import geo
from dangqun.core.choices import grouped_by_parent
from dangqun.people.models import PersonTag

from . import amenities, services, travel
from .models import Station


def coord_choices():
    return list(geo.SYSTEMS.items())


class ReachForm(forms.Form):
    """The riders' search. Everything optional: without a point, the list of all stations."""

    lat = forms.CharField(label=_("Latitude"), required=False, max_length=20)
    lng = forms.CharField(label=_("Longitude"), required=False, max_length=20)
    coord = forms.ChoiceField(label=_("Coordinates from"), choices=coord_choices, required=False)
    minutes = forms.CharField(label=_("Within (minutes)"), required=False, initial="10")
    mode = forms.ChoiceField(
        label=pgettext_lazy("travel mode", "How"),
        choices=list(travel.MODES.items()),
        required=False,
    )
    amenities = forms.MultipleChoiceField(
        label=_("Must have"),
        choices=amenities.AMENITIES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    open_now = forms.BooleanField(label=_("Open now"), required=False)


class StationForm(forms.Form):
    name = forms.CharField(label=_("Station name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=Station.Kind.choices)
    region = forms.ModelChoiceField(label=_("Region"), queryset=None)
    center = forms.ChoiceField(label=_("Service center"), required=False)
    operator = forms.CharField(label=_("Run by"), max_length=120, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    coord = forms.ChoiceField(label=_("Coordinates from"), choices=coord_choices, initial="gcj02")
    latitude = forms.CharField(label=_("Latitude"), max_length=20)
    longitude = forms.CharField(label=_("Longitude"), max_length=20)
    amenities = forms.MultipleChoiceField(
        label=_("Amenities"),
        choices=amenities.AMENITIES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    opening_hours = forms.CharField(
        label=_("Opening hours"),
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_("Seven lines, Monday first: 24h, or 08:30-12:00,13:30-17:30, or empty."),
    )
    capacity = forms.IntegerField(label=_("Capacity (people)"), required=False, min_value=1)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    photo = forms.ImageField(label=_("Photo"), required=False)
    is_open = forms.BooleanField(label=_("In service"), required=False, initial=True)

    def __init__(self, *args, regions, centers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["center"].choices = [("", "—")] + [(c.slug, c.name) for c in centers]

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("photo", None)
        data["region"] = data["region"].pk
        lines = (data.get("opening_hours") or "").replace("\r", "").split("\n")
        data["opening_hours"] = (lines + [""] * 7)[:7] if len(lines) <= 7 else lines
        return data

    @staticmethod
    def initial_from(station: Station) -> dict:
        return {
            "name": station.name,
            "kind": station.kind,
            "region": station.region_id,
            "center": station.center.slug if station.center_id else "",
            "operator": station.operator,
            "phone": station.phone,
            "address": station.address,
            "coord": geo.WGS84,
            "latitude": station.latitude,
            "longitude": station.longitude,
            "amenities": station.amenities,
            "opening_hours": "\n".join(station.opening_hours),
            "capacity": station.capacity,
            "description": station.description,
            "is_open": station.is_open,
        }


class RiderForm(forms.Form):
    trade = forms.ChoiceField(label=_("Trade"), choices=PersonTag.Trade.choices)
    platform = forms.CharField(label=_("Platform"), max_length=60, required=False)
    location_consent = forms.BooleanField(
        label=_("I agree that my usual work area is stored, to plan stations near riders."),
        required=False,
    )
    work_lat = forms.CharField(label=_("Latitude"), required=False, max_length=20)
    work_lng = forms.CharField(label=_("Longitude"), required=False, max_length=20)
    coord = forms.ChoiceField(label=_("Coordinates from"), choices=coord_choices, initial="wgs84")
    work_region = forms.ChoiceField(label=_("Or your village or community"), required=False)
    volunteer = forms.BooleanField(label=_("I join the rider volunteer team"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work_region"].choices = grouped_by_parent(services.work_regions())


class CoverageForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Region"), queryset=None)
    minutes = forms.CharField(label=_("Within (minutes)"), initial="10")
    mode = forms.ChoiceField(
        label=pgettext_lazy("travel mode", "How"), choices=list(travel.MODES.items())
    )
    k = forms.CharField(label=_("New sites to suggest"), initial="3")
    use_riders = forms.BooleanField(
        label=_("Count riders' registered work areas"), required=False, initial=True
    )
    demand = forms.ChoiceField(label=_("Imported demand"), required=False)

    def __init__(self, *args, regions, demand_sets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["demand"].choices = [("", "—")] + [
            (str(d.public_id), f"{d.name} ({d.region})") for d in demand_sets
        ]


class DemandImportForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Region"), queryset=None)
    name = forms.CharField(label=_("Name of the import"), max_length=120, required=False)
    coord = forms.ChoiceField(label=_("Coordinates from"), choices=coord_choices, initial="wgs84")
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_("First row: lat, lng, count. One row per place."),
    )

    def __init__(self, *args, regions, **kwargs):
        # Its own ids: it shares the coverage page with CoverageForm (both have a region).
        kwargs.setdefault("auto_id", "import_%s")
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
