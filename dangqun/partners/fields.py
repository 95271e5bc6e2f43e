"""The partner and sub-brand fields of the forms of records held at centers (an activity,
an intake item, a volunteer team): the choices come from partnership_choices, and what is
chosen is checked again by the service through partnership_for."""

from django.utils.translation import gettext_lazy as _

from dangqun.core.forms import LocalizedChoiceField

from .selectors import partnership_choices


class SubBrandChoiceField(LocalizedChoiceField):
    def label_from_instance(self, obj):
        return f"{super().label_from_instance(obj)} · {super().label_from_instance(obj.partner)}"


def partnership_fields(form, centers, *, kept=(None, None), sub_brand: bool = True) -> None:
    """Put the partner (and sub-brand) choice on `form`; `kept` is the record's own pair,
    offered even after it ended."""
    partners, sub_brands = partnership_choices(centers, kept=kept)
    form.fields["partner"] = LocalizedChoiceField(
        label=_("Partner"),
        queryset=partners,
        to_field_name="public_id",
        required=False,
        empty_label="—",
    )
    if sub_brand:
        form.fields["sub_brand"] = SubBrandChoiceField(
            label=_("Service sub-brand"),
            queryset=sub_brands.select_related("partner"),
            to_field_name="public_id",
            required=False,
            empty_label="—",
            help_text=_("Choosing a sub-brand alone also chooses its partner."),
        )
