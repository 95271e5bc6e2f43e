"""Creating and editing an activity (a draft until published): every field checked,
and a message naming the field when one is wrong."""

import uuid

from django.db import transaction
from django.utils.translation import gettext as _

from dangqun.core import audit
from dangqun.core.errors import ValidationFailed
from dangqun.core.geo import parse_coordinate
from dangqun.core.numbers import whole_number
from dangqun.core.photos import checked_photo
from dangqun.core.text import clean_text
from dangqun.partners.selectors import partnership_for
from dangqun.people import access
from dangqun.people.models import VERIFIABLE_TAGS, PersonTag
from dangqun.places.models import ServiceCenter

from .models import Activity
from .services import activity_set_sessions, fill_free_places

FIELDS = [
    "title",
    "kind",
    "partner",
    "sub_brand",
    "venue",
    "space",
    "address",
    "latitude",
    "longitude",
    "online_url",
    "capacity",
    "registration_opens",
    "registration_closes",
    "eligible_tags",
    "requires_verified_tag",
    "min_age",
    "max_age",
    "eligible_region",
    "walk_ins",
    "promotion_confirm_hours",
    "reminder_minutes",
    "description",
]


def _text(data, field, max_length, *, required=False, multiline=False) -> str:
    return clean_text(
        data.get(field), field=field, max_length=max_length, required=required, multiline=multiline
    )


def _number(data, field, *, low, high, required=False) -> int | None:
    value = data.get(field)
    if value in (None, ""):
        if required:
            raise ValidationFailed(_("This field is required."), field=field)
        return None
    return whole_number(value, field=field, low=low, high=high)


def _venue(center: ServiceCenter, data: dict) -> dict:
    venue = data.get("venue") or Activity.Venue.SPACE
    clean = {
        "venue": venue,
        "space": None,
        "address": "",
        "latitude": None,
        "longitude": None,
        "online_url": "",
    }
    if venue == Activity.Venue.SPACE:
        space = data.get("space")
        if space is None or space.center_id != center.pk:
            raise ValidationFailed(_("Choose a space of the organising center."), field="space")
        clean["space"] = space
    elif venue == Activity.Venue.ADDRESS:
        clean["address"] = _text(data, "address", 200, required=True)
        if data.get("latitude") not in (None, "") or data.get("longitude") not in (None, ""):
            clean["latitude"] = parse_coordinate(
                data.get("latitude"), kind="latitude", field="latitude"
            )
            clean["longitude"] = parse_coordinate(
                data.get("longitude"), kind="longitude", field="longitude"
            )
    elif venue == Activity.Venue.ONLINE:
        url = _text(data, "online_url", 200, required=True)
        if not url.startswith("https://") or len(url) <= len("https://"):
            raise ValidationFailed(
                _("Enter a web address starting with https://."), field="online_url"
            )
        clean["online_url"] = url
    else:
        raise ValidationFailed(_("Choose where the activity takes place."), field="venue")
    return clean


def _verified_only(tags: list[str], data: dict) -> bool:
    """Verified groups only: meaningful when a group staff can verify is ticked."""
    wanted = bool(data.get("requires_verified_tag"))
    if wanted and not set(tags) & VERIFIABLE_TAGS:
        raise ValidationFailed(
            _(
                "Verified groups only needs party members, mobile party members or "
                "new-employment workers among the groups."
            ),
            field="requires_verified_tag",
        )
    return wanted


def clean_activity(center: ServiceCenter, data: dict, *, kept=(None, None)) -> dict:
    """Every field checked; `kept` is the activity's current partner and sub-brand."""
    kind = data.get("kind")
    if kind not in Activity.Kind.values:
        raise ValidationFailed(_("Choose a kind from the list."), field="kind")
    tags = list(data.get("eligible_tags") or [])
    if set(tags) - set(PersonTag.Tag.values):
        raise ValidationFailed(_("Choose groups from the list."), field="eligible_tags")
    opens, closes = data.get("registration_opens"), data.get("registration_closes")
    if not opens or not closes:
        raise ValidationFailed(_("Give when sign-up opens and closes."), field="registration_opens")
    if closes <= opens:
        raise ValidationFailed(_("Sign-up must close after it opens."), field="registration_closes")
    clean = {
        "title": _text(data, "title", 120, required=True),
        "kind": kind,
        "capacity": _number(data, "capacity", low=1, high=100000, required=True),
        "registration_opens": opens,
        "registration_closes": closes,
        "eligible_tags": tags,
        "requires_verified_tag": _verified_only(tags, data),
        "min_age": _number(data, "min_age", low=0, high=120),
        "max_age": _number(data, "max_age", low=0, high=120),
        "eligible_region": data.get("eligible_region"),
        "walk_ins": bool(data.get("walk_ins")),
        "promotion_confirm_hours": _number(data, "promotion_confirm_hours", low=1, high=168),
        "reminder_minutes": _number(data, "reminder_minutes", low=0, high=14 * 24 * 60) or 0,
        "description": _text(data, "description", 5000, multiline=True),
        **_venue(center, data),
    }
    clean["partner"], clean["sub_brand"] = partnership_for(
        [center], partner=data.get("partner"), sub_brand=data.get("sub_brand"), kept=kept
    )
    if (
        clean["min_age"] is not None
        and clean["max_age"] is not None
        and (clean["min_age"] > clean["max_age"])
    ):
        raise ValidationFailed(_("The minimum age is above the maximum."), field="max_age")
    return clean


@transaction.atomic
def activity_create(*, actor, center: ServiceCenter, data: dict) -> Activity:
    access.require(actor, access.MANAGERS, center)
    activity = Activity.objects.create(
        center=center, created_by=actor, **clean_activity(center, data)
    )
    audit.record(actor, "activity.create", activity, {"title": activity.title})
    return activity


@transaction.atomic
def activity_update(*, actor, activity: Activity, data: dict) -> Activity:
    """Edit a draft or a published activity; capacity cannot drop below places taken."""
    access.require(actor, access.MANAGERS, activity.center)
    if activity.status not in (Activity.Status.DRAFT, Activity.Status.PUBLISHED):
        raise ValidationFailed(
            _("A cancelled or finished activity cannot be edited."), field="status"
        )
    clean = clean_activity(activity.center, data, kept=(activity.partner, activity.sub_brand))
    current = Activity.objects.select_for_update().get(pk=activity.pk)
    if clean["capacity"] < current.taken:
        raise ValidationFailed(
            _("%(n)d people have a place already: the capacity cannot be lower.")
            % {"n": current.taken},
            field="capacity",
        )
    if activity.status == Activity.Status.PUBLISHED and clean["space"] != current.space:
        raise ValidationFailed(
            _("The place of a published activity cannot change; cancel it and publish a copy."),
            field="space",
        )
    for key, value in clean.items():
        setattr(current, key, value)
    current.save()
    fill_free_places(current)
    audit.record(actor, "activity.update", current, {})
    return current


@transaction.atomic
def activity_set_cover(*, actor, activity: Activity, upload) -> Activity:
    """The cover image: a JPEG, PNG or WebP photo by its content, stored under a random name
    (the uploader's file name may carry personal details)."""
    access.require(actor, access.MANAGERS, activity.center)
    extension, content = checked_photo(upload, field="cover")
    activity.cover.save(f"{uuid.uuid4().hex}.{extension}", content, save=False)
    activity.save(update_fields=["cover"])
    audit.record(actor, "activity.set_cover", activity, {})
    return activity


@transaction.atomic
def activity_save(
    *,
    actor,
    data: dict,
    center: ServiceCenter | None = None,
    activity: Activity | None = None,
    sessions=None,
    cover=None,
) -> Activity:
    """A new draft at `center`, or `activity` changed; then its sessions when given and
    different from what it has, and its cover when given: all of it, or nothing. The
    back-office page and the API both save through here."""
    created = activity is None
    if created:
        activity = activity_create(actor=actor, center=center, data=data)
    else:
        activity = activity_update(actor=actor, activity=activity, data=data)
    current = [(s.start, s.end) for s in activity.sessions.all()]
    if sessions is not None and (created or sorted(sessions) != current):
        activity_set_sessions(actor=actor, activity=activity, sessions=sessions)
    if cover:
        activity_set_cover(actor=actor, activity=activity, upload=cover)
    return activity
