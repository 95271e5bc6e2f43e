"""Forms of the partners' back office. They carry what was typed; the services check it
(dates, pledges, amounts, centers, the mobile number) and their refusals come back beside
the field they name."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dangqun.core.forms import day_field

from .models import Partner, Receipt

_DATE = {"type": "date"}


def _date_field(label, *, required=True) -> forms.DateField:
    return day_field(label, required=required)


def _number_field(label, *, required=False, help_text="") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=20,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


class PartnerForm(forms.Form):
    name = forms.CharField(label=_("Name of the partner"), max_length=120)
    name_en = forms.CharField(label=_("English name"), required=False, max_length=120)
    kind = forms.ChoiceField(label=_("Kind of organisation"), choices=Partner.Kind.choices)
    region = forms.ChoiceField(
        label=_("Region running the partnership"),
        help_text=_("The street (or the district) whose staff run it."),
    )
    centers = forms.MultipleChoiceField(
        label=_("Co-building centers"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Centers within the region."),
    )
    contact_name = forms.CharField(label=_("Contact person"), required=False, max_length=60)
    contact_mobile = forms.CharField(
        label=_("Contact mobile"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel", "type": "tel", "autocomplete": "off"}),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, regions, centers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = regions
        self.fields["centers"].choices = centers


class AgreementForm(forms.Form):
    start = _date_field(_("Start"))
    end = _date_field(_("End"))
    pledged_hours = _number_field(_("Volunteer hours pledged"), help_text=_("0 when none."))
    pledged_sessions = _number_field(_("Sessions pledged per year"))
    pledged_money = _number_field(_("Money or goods pledged (¥)"))
    text = forms.CharField(
        label=_("What the partner pledges"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReceiptForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Money or goods"), choices=Receipt.Kind.choices, widget=forms.RadioSelect
    )
    received_on = _date_field(_("Received on"))
    amount = _number_field(_("Value (¥)"), required=True)
    description = forms.CharField(label=_("What was received"), max_length=200)
    agreement = forms.ChoiceField(label=_("Under the agreement"), required=False)
    evidence = forms.FileField(
        label=_("Evidence"),
        required=False,
        help_text=_("A photo or a PDF (a receipt, a delivery note)."),
    )

    def __init__(self, *args, agreements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].choices = [("", "—"), *agreements]


class SubBrandForm(forms.Form):
    name = forms.CharField(label=_("Name of the sub-brand"), max_length=120)
    name_en = forms.CharField(label=_("English name"), required=False, max_length=120)
    center = forms.ChoiceField(label=_("Center"))
    description = forms.CharField(label=_("Short description"), required=False, max_length=300)
    brand = forms.ChoiceField(label=_("Under the brand"), required=False)
    logo = forms.FileField(
        label=_("Logo"), required=False, help_text=_("A JPEG, PNG or WebP picture, at most 5 MB.")
    )

    def __init__(self, *args, centers, brands, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["center"].choices = centers
        self.fields["brand"].choices = [("", "—"), *brands]


class BrandForm(forms.Form):
    name = forms.CharField(label=_("Name of the brand"), max_length=120)
    name_en = forms.CharField(label=_("English name"), required=False, max_length=120)
    region = forms.ChoiceField(label=_("The district or a street"))
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    sub_brands = forms.MultipleChoiceField(
        label=_("Sub-brands under the brand"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, regions, sub_brands, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = regions
        self.fields["sub_brands"].choices = sub_brands


class MergeForm(forms.Form):
    merged = forms.ChoiceField(
        label=_("Partner to merge into this one"),
        help_text=_(
            "Its centers, agreements, receipts, sub-brands, activities, service items and "
            "teams move here; it ends, marked as merged."
        ),
    )

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["merged"].choices = partners


class EndForm(forms.Form):
    ended_on = _date_field(_("Ended on"), required=False)
    confirm = forms.BooleanField(label=_("Yes, the partnership has ended."))


class RevealForm(forms.Form):
    reason = forms.CharField(label=_("Why do you need the full number?"), max_length=200)
