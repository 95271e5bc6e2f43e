"""The fixed vocabulary of station amenities. Each has a bit in Station.amenity_mask so that
"stations with water and a microwave" is one integer test; the order is append-only."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangqun.core.errors import ValidationFailed

AMENITIES: list[tuple[str, object]] = [
    ("rest", pgettext_lazy("amenity", "Rest")),
    ("water", _("Drinking water")),
    ("microwave", _("Microwave")),
    ("toilet", _("Toilet")),
    ("phone_charging", _("Phone charging")),
    ("battery_charging", _("E-bike battery charging")),
    ("battery_swap", _("Battery swap")),
    ("first_aid", _("First-aid kit")),
    ("legal_aid", _("Legal aid")),
    ("wifi", _("Wi-Fi")),
    ("air_conditioning", _("Air conditioning")),
    ("repair_tools", _("Repair tools")),
    ("umbrella", _("Umbrella loan")),
    ("books", _("Books")),
    ("parking", _("E-bike parking")),
]
CODES = [code for code, _label in AMENITIES]
LABELS = dict(AMENITIES)
BITS = {code: 1 << index for index, code in enumerate(CODES)}


def normalize(codes, *, field: str = "amenities") -> list[str]:
    """Known codes, each once, in vocabulary order; an unknown code is refused on `field`."""
    if isinstance(codes, str):
        codes = [c for c in codes.replace("，", ",").split(",") if c.strip()]
    wanted = {str(c).strip() for c in codes or []}
    unknown = sorted(wanted - set(CODES))
    if unknown:
        raise ValidationFailed(
            _("Unknown amenity: %(codes)s. Known: %(known)s.")
            % {"codes": ", ".join(unknown), "known": ", ".join(CODES)},
            field=field,
        )
    return [code for code in CODES if code in wanted]


def mask_of(codes) -> int:
    mask = 0
    for code in codes or []:
        mask |= BITS.get(code, 0)
    return mask


def labelled(codes) -> list[dict]:
    return [{"code": code, "label": LABELS[code]} for code in codes if code in LABELS]
