"""Who may sign up for an activity, and when: each rule answers in plain words."""

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dangqun.people import groups
from dangqun.people.models import VERIFIABLE_TAGS, PersonTag

from .models import Activity


def window_refusal(activity: Activity, now=None) -> str | None:
    now = now or timezone.now()
    if activity.status == Activity.Status.CANCELLED:
        return _("This activity is cancelled.")
    if activity.status == Activity.Status.FINISHED:
        return _("This activity is over.")
    if activity.status != Activity.Status.PUBLISHED:
        return _("This activity is not open yet.")
    if now < activity.registration_opens:
        opens = timezone.localtime(activity.registration_opens)
        return _("Sign-up opens on %(when)s.") % {"when": f"{opens:%Y-%m-%d %H:%M}"}
    if now >= activity.registration_closes:
        return _("Sign-up has closed.")
    return None


# The gates of activities another app runs (Activity.owner): owner -> a function
# (activity, person) giving why this person may not sign up, or None. Filled by the owning
# apps when they start (a registry, so that activities imports none of them).
GATES: dict = {}


def gate_register(owner: str, refusal) -> None:
    GATES[owner] = refusal


def person_refusal(activity: Activity, person, today=None, *, to_staff: bool = False) -> str | None:
    """Why this person is not among those the activity is for; None if they are. Said to
    the person themselves, or (`to_staff`) to staff acting for them at the counter, who add
    a missing group or birth date on the person's record, not on "your profile"."""
    today = today or timezone.localdate()
    if activity.owner:
        gate = GATES.get(activity.owner)
        refusal = gate(activity, person) if gate else _("Sign-up is not open here.")
        if refusal:
            return refusal
    if activity.eligible_tags:
        held = list(person.tags.all())  # read once when the caller prefetched them
        tags = groups.held_tags(person)
        names = "、".join(
            str(PersonTag.Tag(t).label) for t in activity.eligible_tags if t in PersonTag.Tag.values
        )
        if not tags & set(activity.eligible_tags):
            if to_staff:
                return _(
                    "This person is not recorded as: %(groups)s. If that is wrong, add it "
                    "on their record in the back office."
                ) % {"groups": names}
            return _(
                "This activity is for: %(groups)s. Add your group on your profile if it "
                "applies to you."
            ) % {"groups": names}
        if activity.requires_verified_tag and not any(
            t.tag in activity.eligible_tags and (t.is_verified or t.tag not in VERIFIABLE_TAGS)
            for t in held
        ):
            if to_staff:
                return _(
                    "This activity is for verified members of: %(groups)s. Verify the "
                    "person's group on their record in the back office first."
                ) % {"groups": names}
            return _(
                "This activity is for verified members of: %(groups)s. Staff at your "
                "center verify your group once; please ask them."
            ) % {"groups": names}
    age = groups.age_band_problem(person, activity.min_age, activity.max_age, today)
    if age == groups.UNKNOWN:
        if to_staff:
            return _(
                "This activity has an age range and this person's birth date is not "
                "recorded: add it on their record in the back office."
            )
        return _("This activity has an age range: add your birth date on your profile.")
    if age == groups.BELOW:
        return _("This activity is for people aged %(n)d and over.") % {"n": activity.min_age}
    if age == groups.ABOVE:
        return _("This activity is for people aged up to %(n)d.") % {"n": activity.max_age}
    region = activity.eligible_region
    if region is not None:
        home = person.home_region
        if not groups.lives_in(person, region):
            if to_staff and home is None:
                return _(
                    "This activity is for residents of %(region)s and this person's home "
                    "region is not recorded: add it on their record in the back office."
                ) % {"region": _region_name(region)}
            return _("This activity is for residents of %(region)s.") % {
                "region": _region_name(region)
            }
    return None


def refusal(activity: Activity, person, now=None) -> str | None:
    return window_refusal(activity, now) or person_refusal(activity, person)


def is_eligible(activity: Activity, person) -> bool:
    return person_refusal(activity, person) is None


def _region_name(region) -> str:
    english = get_language() == "en" and region.name_en
    return english or region.name
