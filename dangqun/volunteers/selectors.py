"""Reads of volunteers: teams and their shifts for everyone; a volunteer's own teams, shifts,
hours, stars, points and certificates; a leader's team (roster, what waits for them); the
public check of a certificate; the figures staff read. Missing and forbidden are the same
404 (NotFound)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from dangqun.activities import selectors as activities
from dangqun.core.errors import NotFound
from dangqun.people import access
from dangqun.people.models import PersonTag
from dangqun.places.models import Region

from . import gate, rules
from .models import (
    Certificate,
    CorrectionRequest,
    HonourClaim,
    HoursEntry,
    Membership,
    MissedCheckOut,
    PointsAccount,
    PointsEntry,
    Redemption,
    RewardItem,
    Shift,
    SwapOffer,
    Task,
    Team,
)
from .services.common import is_leader, is_member, is_staff_of

__all__ = ["gate", "is_leader", "is_member", "is_staff_of"]


def _get(queryset: QuerySet, **lookup):
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValidationError, ValueError):
        raise NotFound() from None


# --- teams and shifts, for everyone ---------------------------------------------------------


def teams_public(*, region=None) -> QuerySet:
    teams = Team.objects.select_related("center", "region").annotate(
        members=Count("memberships", filter=Q(memberships__status=Membership.Status.ACTIVE))
    )
    if region is not None:
        teams = teams.filter(region__path__startswith=region.path)
    return teams.order_by("-is_riders_team", "name", "id")


def team_public(public_id) -> Team:
    return _get(Team.objects.select_related("center", "region"), public_id=public_id)


def riders_team() -> Team | None:
    return Team.objects.filter(is_riders_team=True).select_related("center").first()


def riders_team_size() -> int:
    team = riders_team()
    if team is None:
        return 0
    return team.memberships.filter(status=Membership.Status.ACTIVE).count()


def is_in_riders_team(person) -> bool:
    team = riders_team()
    return bool(team) and is_member(person, team)


def upcoming_shifts(team: Team, *, now=None) -> list[Shift]:
    """The team's shifts still to come (not cancelled), with their activity's counts."""
    now = now or timezone.now()
    return list(
        Shift.objects.filter(task__team=team, end__gt=now)
        .exclude(activity__status="cancelled")
        .select_related("task__space", "task__center", "activity")
        .order_by("start", "id")
    )


def shift_public(public_id) -> Shift:
    return _get(
        Shift.objects.select_related("task__team__center", "task__space", "activity"),
        public_id=public_id,
    )


def task_public(public_id) -> Task:
    return _get(Task.objects.select_related("team", "space", "center"), public_id=public_id)


def membership_of(person, team: Team) -> Membership | None:
    if not getattr(person, "is_authenticated", False):
        return None
    return Membership.objects.filter(
        team=team, person=person, status__in=Membership.CURRENT
    ).first()


# --- a volunteer's own ----------------------------------------------------------------------


def memberships_of(person) -> list[Membership]:
    return list(
        Membership.objects.filter(person=person, status__in=Membership.CURRENT)
        .select_related("team__center")
        .order_by("team__name")
    )


@dataclass
class MyShift:
    shift: Shift
    registration: object  # the activities' sign-up: status, short code
    check_in: object | None
    swap: SwapOffer | None


def shifts_of(person, *, now=None) -> list[MyShift]:
    """The person's shifts to come and under way (signed up or waiting), soonest first.
    Five queries, whatever the number of shifts."""
    now = now or timezone.now()
    shifts = list(
        Shift.objects.filter(
            end__gt=now - timedelta(hours=1),
            activity__registrations__person=person,
            activity__registrations__status__in=activities.ACTIVE_STATUSES,
        )
        .exclude(activity__status="cancelled")
        .select_related("task__team", "task__space", "task__center", "activity")
        .order_by("start", "id")
        .distinct()
    )
    if not shifts:
        return []
    registrations = {
        r.activity_id: r
        for r in activities.registrations_of(person)
        .filter(
            activity_id__in=[s.activity_id for s in shifts],
            status__in=activities.ACTIVE_STATUSES,
        )
        .prefetch_related("check_ins")
    }
    swaps = {
        s.shift_id: s
        for s in SwapOffer.objects.filter(
            from_person=person, status=SwapOffer.Status.OFFERED
        ).select_related("to_person")
    }
    found = []
    for shift in shifts:
        registration = registrations.get(shift.activity_id)
        # A shift has one session: the sign-up's check-in, if any, is at it.
        check_ins = list(registration.check_ins.all()) if registration else []
        found.append(
            MyShift(
                shift=shift,
                registration=registration,
                check_in=check_ins[0] if check_ins else None,
                swap=swaps.get(shift.pk),
            )
        )
    return found


def swaps_offered_to(person) -> list[SwapOffer]:
    return list(
        SwapOffer.objects.filter(
            to_person=person, status=SwapOffer.Status.OFFERED, shift__start__gt=timezone.now()
        ).select_related("shift__task__team", "from_person", "to_person")
    )


def ledger_of(person) -> QuerySet:
    return (
        HoursEntry.objects.filter(person=person)
        .select_related("team", "shift__task", "entered_by", "reversed_by", "reverses")
        .order_by("-date", "-id")
    )


def entry_of(person, public_id) -> HoursEntry:
    return _get(HoursEntry.objects.select_related("team"), person=person, public_id=public_id)


@dataclass
class Hours:
    credit: int
    honour: int
    stars: int
    next_star: int | None

    @property
    def total(self) -> int:
        return self.credit + self.honour


def hours_of(person, *, team: Team | None = None) -> Hours:
    """Minutes by kind (after corrections), the star level, the hours of the next star."""
    entries = HoursEntry.objects.filter(person=person)
    if team is not None:
        entries = entries.filter(team=team)
    sums = entries.aggregate(
        credit=Sum("minutes", filter=Q(kind=HoursEntry.Kind.CREDIT)),
        honour=Sum("minutes", filter=Q(kind=HoursEntry.Kind.HONOUR)),
    )
    credit, honour = sums["credit"] or 0, sums["honour"] or 0
    return Hours(credit, honour, rules.stars_for(credit + honour), rules.next_star(credit + honour))


def hours_by_month(person, *, months: int = 12) -> list[dict]:
    """[{month, credit, honour}] for the last `months` months with hours, newest first."""
    rows = (
        HoursEntry.objects.filter(person=person)
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(
            credit=Sum("minutes", filter=Q(kind=HoursEntry.Kind.CREDIT)),
            honour=Sum("minutes", filter=Q(kind=HoursEntry.Kind.HONOUR)),
        )
        .order_by("-month")[:months]
    )
    return [
        {"month": r["month"], "credit": r["credit"] or 0, "honour": r["honour"] or 0} for r in rows
    ]


def points_of(person) -> Decimal:
    return PointsAccount.objects.filter(person=person).values_list(
        "balance", flat=True
    ).first() or Decimal("0")


def points_entries_of(person, *, limit: int = 50) -> list[PointsEntry]:
    return list(
        PointsEntry.objects.filter(account__person=person)
        .select_related("redemption__item", "hours_entry")
        .order_by("-created_at", "-id")[:limit]
    )


def certificates_of(person) -> QuerySet:
    return Certificate.objects.filter(person=person).select_related("center", "team")


def certificate_of(person, serial: str) -> Certificate:
    return _get(Certificate.objects.select_related("center"), person=person, serial=serial)


def correction_requests_of(person) -> QuerySet:
    return CorrectionRequest.objects.filter(person=person).select_related("entry")


# --- the public check of a certificate ------------------------------------------------------


def certificate_public(serial: str) -> Certificate:
    """By its serial only: what the verification page shows (masked name, hours, period,
    issuer, valid or revoked)."""
    serial = (serial or "").strip().upper()
    # Letters, digits and hyphens only (what a serial is made of): anything else is no
    # certificate, never a value for the database to refuse.
    if not (0 < len(serial) <= 24 and serial.isascii() and serial.replace("-", "").isalnum()):
        raise NotFound()
    return _get(Certificate.objects.select_related("center", "activity"), serial=serial)


# --- the volunteer's API (/api/v1/volunteers/) -----------------------------------------------


def _with_hours(teams: QuerySet) -> QuerySet:
    """Each team with `minutes`: the hours its members served, after corrections (a
    subquery, so the members' count beside it is not multiplied)."""
    served = (
        HoursEntry.objects.filter(team=OuterRef("pk"))
        .order_by()
        .values("team")
        .annotate(total=Sum("minutes"))
        .values("total")
    )
    return teams.annotate(minutes=Coalesce(Subquery(served), 0))


def team_cards(*, region=None) -> QuerySet:
    """The teams anyone may see, each with `members` (active) and `minutes` served."""
    return _with_hours(teams_public(region=region))


def team_card(public_id) -> Team:
    return _get(team_cards(), public_id=public_id)


def open_shifts_of_my_teams(person, *, now=None) -> list[Shift]:
    """The shifts to come of the teams the person is an active member of, soonest first."""
    now = now or timezone.now()
    teams = Membership.objects.filter(person=person, status=Membership.Status.ACTIVE).values("team")
    return list(
        Shift.objects.filter(task__team__in=teams, end__gt=now)
        .exclude(activity__status="cancelled")
        .select_related("task__team", "task__space", "task__center", "activity")
        .order_by("start", "id")
    )


# --- a leader's team ------------------------------------------------------------------------


def team_for_leader(user, public_id) -> Team:
    """The team, for its leaders and the staff of its region; 404 for anyone else."""
    team = team_public(public_id)
    if not (is_leader(user, team) or is_staff_of(user, team)):
        raise NotFound()
    return team


def shift_for_leader(user, public_id) -> Shift:
    shift = shift_public(public_id)
    team_for_leader(user, shift.task.team.public_id)
    return shift


@dataclass
class RosterRow:
    membership: Membership
    credit: int
    honour: int

    @property
    def total(self) -> int:
        return self.credit + self.honour

    @property
    def credit_hours(self) -> Decimal:
        return rules.half_hours(self.credit)

    @property
    def honour_hours(self) -> Decimal:
        return rules.half_hours(self.honour)


def roster(team: Team) -> list[RosterRow]:
    """Members (and those waiting to join), each with their hours in this team."""
    members = list(
        Membership.objects.filter(team=team, status__in=Membership.CURRENT)
        .select_related("person")
        .order_by("role", "joined_at", "id")  # "leader" sorts before "member"
    )
    sums = {
        row["person"]: row
        for row in HoursEntry.objects.filter(team=team)
        .values("person")
        .annotate(
            credit=Sum("minutes", filter=Q(kind=HoursEntry.Kind.CREDIT)),
            honour=Sum("minutes", filter=Q(kind=HoursEntry.Kind.HONOUR)),
        )
    }
    return [
        RosterRow(
            m,
            (sums.get(m.person_id) or {}).get("credit") or 0,
            (sums.get(m.person_id) or {}).get("honour") or 0,
        )
        for m in members
    ]


def shift_people(shift: Shift) -> list:
    """The shift's sign-ups (places first, then the waiting list) with their check-ins."""
    session = activities.only_session(shift.activity)
    return [
        (registration, activities.check_in_at(session, registration))
        for registration in activities.registrations_holding(shift.activity)
    ]


def pending_honour(team: Team) -> QuerySet:
    return HonourClaim.objects.filter(team=team, status=HonourClaim.Status.PENDING).select_related(
        "person", "entered_by"
    )


def honour_claim_for_leader(user, public_id) -> HonourClaim:
    claim = _get(HonourClaim.objects.select_related("team", "person"), public_id=public_id)
    team_for_leader(user, claim.team.public_id)
    return claim


def open_corrections(team: Team) -> QuerySet:
    return CorrectionRequest.objects.filter(
        entry__team=team, status=CorrectionRequest.Status.OPEN
    ).select_related("entry", "person")


def correction_for_leader(user, public_id) -> CorrectionRequest:
    request = _get(
        CorrectionRequest.objects.select_related("entry__team", "person"), public_id=public_id
    )
    team_for_leader(user, request.entry.team.public_id)
    return request


def open_missed_check_outs(team: Team) -> QuerySet:
    return MissedCheckOut.objects.filter(
        shift__task__team=team, status=MissedCheckOut.Status.OPEN
    ).select_related("shift__task", "person")


def missed_for_leader(user, pk) -> MissedCheckOut:
    missed = _get(MissedCheckOut.objects.select_related("shift__task__team"), pk=pk)
    team_for_leader(user, missed.shift.task.team.public_id)
    return missed


def team_ledger(team: Team) -> QuerySet:
    return (
        HoursEntry.objects.filter(team=team)
        .select_related("person", "shift__task", "entered_by")
        .order_by("date", "id")
    )


def entry_for_leader(user, public_id) -> HoursEntry:
    entry = _get(HoursEntry.objects.select_related("team", "person"), public_id=public_id)
    team_for_leader(user, entry.team.public_id)
    return entry


def tasks_of(team: Team) -> QuerySet:
    return Task.objects.filter(team=team).select_related("space", "center")


# --- staff ----------------------------------------------------------------------------------


def teams_for_staff(user) -> QuerySet:
    return access.scope(user, Team.objects.select_related("center", "region")).order_by("name")


def team_for_staff(user, public_id) -> Team:
    return access.get_or_404(
        user, Team.objects.select_related("center", "region"), public_id=public_id
    )


def rewards_of(center, *, active_only: bool = True) -> QuerySet:
    items = RewardItem.objects.filter(center=center)
    return items.filter(is_active=True) if active_only else items


def rewards_for_staff(user) -> QuerySet:
    return access.scope(user, RewardItem.objects.select_related("center"))


def reward_for_staff(user, public_id) -> RewardItem:
    return access.get_or_404(
        user, RewardItem.objects.select_related("center__region"), public_id=public_id
    )


def redemptions_for_staff(user, *, limit: int = 100) -> list[Redemption]:
    return list(
        Redemption.objects.filter(
            item__in=access.scope(user, RewardItem.objects.all())
        ).select_related("item__center", "person", "by")[:limit]
    )


def certificates_for_staff(user) -> QuerySet:
    return access.scope(user, Certificate.objects.select_related("center", "person"))


def certificate_for_staff(user, serial: str) -> Certificate:
    return access.get_or_404(
        user, Certificate.objects.select_related("center__region"), serial=serial
    )


@dataclass
class Figures:
    volunteers_active: int
    shifts: int
    shifts_filled: int
    credit_minutes: int
    honour_minutes: int
    signed_up: int
    no_shows: int

    @property
    def no_show_rate(self) -> float | None:
        return self.no_shows / self.signed_up if self.signed_up else None

    @property
    def no_show_percent(self) -> Decimal | None:
        """The no-show rate in per cent, one decimal (for the page)."""
        if not self.signed_up:
            return None
        return (Decimal(100 * self.no_shows) / self.signed_up).quantize(Decimal("0.1"))

    @property
    def credit_hours(self) -> Decimal:
        return rules.half_hours(self.credit_minutes)

    @property
    def honour_hours(self) -> Decimal:
        return rules.half_hours(self.honour_minutes)


def _region_teams(region) -> QuerySet:
    return Team.objects.filter(region__path__startswith=region.path)


def figures(*, region, start: date, end: date) -> Figures:
    """A region's (a street's, the district's) volunteering in [start, end]: that of the
    teams of the region and of every region and center inside."""
    return _figures(_region_teams(region), start=start, end=end)


def _figures(teams: QuerySet, *, start: date, end: date, now=None) -> Figures:
    """The teams' volunteering in [start, end]: people whose hours of the period come to
    more than nothing (an entry and its reversal cancel out), shifts held (begun, not
    cancelled) and those whose every place was taken, hours by kind, and the no-show rate
    (confirmed places at ended shifts with no check-in). Six queries, whatever the size."""
    now = now or timezone.now()
    team_ids = teams.order_by().values("pk")
    entries = HoursEntry.objects.filter(team__in=team_ids, date__range=(start, end))
    sums = entries.aggregate(
        credit=Sum("minutes", filter=Q(kind=HoursEntry.Kind.CREDIT)),
        honour=Sum("minutes", filter=Q(kind=HoursEntry.Kind.HONOUR)),
    )
    active = (
        entries.order_by()
        .values("person")
        .annotate(total=Sum("minutes"))
        .filter(total__gt=0)
        .count()
    )
    since = timezone.make_aware(datetime.combine(start, time.min))
    until = timezone.make_aware(datetime.combine(end, time.min)) + timedelta(days=1)
    shifts = Shift.objects.filter(
        task__team__in=team_ids, start__gte=since, start__lt=min(until, now)
    ).exclude(activity__status="cancelled")
    held = shifts.aggregate(
        held=Count("pk"),
        filled=Count("pk", filter=Q(activity__taken__gte=F("activity__capacity"))),
    )
    counts = activities.show_up_counts(
        shifts.filter(end__lte=now).values_list("activity_id", flat=True)
    )
    return Figures(
        volunteers_active=active,
        shifts=held["held"],
        shifts_filled=held["filled"],
        credit_minutes=sums["credit"] or 0,
        honour_minutes=sums["honour"] or 0,
        signed_up=counts["confirmed"],
        no_shows=counts["confirmed"] - counts["came"],
    )


# --- the staff back office (issue 15, the staff pages) ----------------------------------------
# Reads of /staff/volunteers/: teams with their figures, the choices of a team's owner and of
# the figures' scope, a team's member by their public id, a center's rewards in stock, a
# training's attendance and certificates, figures of one center, a region's or a center's
# ledger. Scoping through the one guard (access) as above.

FIGURE_LEVELS = (Region.Level.DISTRICT, Region.Level.STREET, Region.Level.TOWN)


def team_rows_for_staff(user, *, start: date, end: date) -> QuerySet:
    """The teams in the user's regions, each with `members` (active), `waiting` (asked to
    join), `period_minutes` (the ledger's minutes dated in [start, end]) and `leaders`
    (active leader memberships, person selected): three queries whatever the number."""
    minutes = (
        HoursEntry.objects.filter(team=OuterRef("pk"), date__range=(start, end))
        .order_by()
        .values("team")
        .annotate(total=Sum("minutes"))
        .values("total")
    )
    leaders = Membership.objects.filter(
        role=Membership.Role.LEADER, status=Membership.Status.ACTIVE
    ).select_related("person")
    return (
        teams_for_staff(user)
        .annotate(
            members=Count("memberships", filter=Q(memberships__status=Membership.Status.ACTIVE)),
            waiting=Count("memberships", filter=Q(memberships__status=Membership.Status.PENDING)),
            period_minutes=Coalesce(Subquery(minutes), 0),
        )
        .prefetch_related(Prefetch("memberships", queryset=leaders, to_attr="leaders"))
    )


def regions_for_staff(user) -> QuerySet:
    """The district, streets and towns the user runs or reads (a team may belong to one,
    the figures may be read for one), widest first."""
    return access.scope(
        user, Region.objects.filter(level__in=FIGURE_LEVELS), roles=access.MANAGERS
    ).order_by("path", "id")


def member_for_staff(team: Team, person_public_id) -> Membership:
    """The active membership of the person (by their public id) in the team; 404 else."""
    return _get(
        Membership.objects.select_related("person"),
        team=team,
        person__public_id=person_public_id,
        status=Membership.Status.ACTIVE,
    )


def rewards_in_stock(center) -> QuerySet:
    return rewards_of(center).filter(stock__gt=0).order_by("points", "name", "id")


def redemptions_of(person, *, limit: int = 10) -> list[Redemption]:
    return list(
        Redemption.objects.filter(person=person).select_related("item__center", "by")[:limit]
    )


def training_for_staff(user, public_id):
    """An activity of kind training in the user's regions; 404 for any other."""
    activity = activities.activity_for_staff(user, public_id)
    if activity.kind != "training":
        raise NotFound()
    return activity


@dataclass
class TraineeRow:
    person: object
    attended: int
    certificate: Certificate | None


def training_attendance(activity) -> tuple[list[TraineeRow], int]:
    """Everyone who came to the training at least once, with the sessions they came to and
    their (valid) certificate, most sessions first; and the number of sessions."""
    counts, total = activities.attended_sessions(activity)
    issued = {
        c.person_id: c
        for c in Certificate.objects.filter(activity=activity, revoked_at__isnull=True)
    }
    rows = [TraineeRow(person, n, issued.get(person.pk)) for person, n in counts]
    rows.sort(key=lambda r: (-r.attended, r.person.name, r.person.pk))
    return rows, total


def center_figures(*, center, start: date, end: date) -> Figures:
    """A center's volunteering in [start, end]: that of the teams it runs."""
    return _figures(Team.objects.filter(center=center), start=start, end=end)


def ledger_for_staff(*, region=None, center=None, start: date, end: date) -> QuerySet:
    """The ledger's lines dated in [start, end] of the teams of a region (and the regions
    inside) or of a center, for the Excel file. The caller has checked the scope."""
    teams = Team.objects.filter(center=center) if center is not None else _region_teams(region)
    return (
        HoursEntry.objects.filter(team__in=teams.values("pk"), date__range=(start, end))
        .select_related("person", "team", "shift__task", "entered_by")
        .order_by("date", "id")
    )


# --- the team leader's pages (lead_views: /volunteers/lead/) --------------------------------


def _counted(queryset: QuerySet, team_field: str):
    """The number of `queryset`'s rows of the outer query's team, as a subquery."""
    from django.db.models import IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    rows = (
        queryset.filter(**{team_field: OuterRef("pk")})
        .order_by()
        .values(team_field)
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def teams_led(user) -> list[Team]:
    """The teams `user` leads, and those whose region their staff role covers, each with
    its members and what waits for a leader (people asking to join, honour hours to
    approve, correction requests, missed check-outs), in one query."""
    if not getattr(user, "is_authenticated", False):
        return []
    led = Membership.objects.filter(
        person=user, role=Membership.Role.LEADER, status=Membership.Status.ACTIVE
    ).values("team_id")
    found = Q(pk__in=led)
    if access.is_staff(user):
        staffed = access.scope(user, Team.objects.all(), roles=access.MANAGERS)
        found |= Q(pk__in=staffed.values("pk"))
    members = Membership.objects.filter(status=Membership.Status.ACTIVE)
    return list(
        Team.objects.filter(found)
        .select_related("center", "region")
        .annotate(
            members=_counted(members, "team"),
            asking=_counted(Membership.objects.filter(status=Membership.Status.PENDING), "team"),
            honour_waiting=_counted(
                HonourClaim.objects.filter(status=HonourClaim.Status.PENDING), "team"
            ),
            corrections_waiting=_counted(
                CorrectionRequest.objects.filter(status=CorrectionRequest.Status.OPEN),
                "entry__team",
            ),
            missed_waiting=_counted(
                MissedCheckOut.objects.filter(status=MissedCheckOut.Status.OPEN),
                "shift__task__team",
            ),
        )
        .order_by("name", "id")
    )


@dataclass
class Waiting:
    """What waits for a team's leaders, counted."""

    asking: int
    honour: int
    corrections: int
    missed: int

    @property
    def total(self) -> int:
        return self.asking + self.honour + self.corrections + self.missed


def waiting_for_leaders(team: Team) -> Waiting:
    return Waiting(
        asking=Membership.objects.filter(team=team, status=Membership.Status.PENDING).count(),
        honour=pending_honour(team).count(),
        corrections=open_corrections(team).count(),
        missed=open_missed_check_outs(team).count(),
    )


def task_for_leader(user, public_id) -> Task:
    task = task_public(public_id)
    team_for_leader(user, task.team.public_id)
    return task


def membership_asking(team: Team, person_public_id) -> Membership:
    """The request to join of one person (by their public id), still waiting."""
    return _get(
        Membership.objects.select_related("team", "person"),
        team=team,
        person__public_id=person_public_id,
        status=Membership.Status.PENDING,
    )


def team_members(team: Team) -> list[Membership]:
    """The active members (leaders first), for choosing one."""
    return list(
        Membership.objects.filter(team=team, status=Membership.Status.ACTIVE)
        .select_related("person")
        .order_by("-role", "person__name", "id")
    )


def team_member(team: Team, person_public_id):
    """An active member of the team by their public id, or None."""
    try:
        found = (
            Membership.objects.filter(
                team=team, status=Membership.Status.ACTIVE, person__public_id=person_public_id
            )
            .select_related("person")
            .first()
        )
    except (ValidationError, ValueError):
        return None
    return found.person if found else None


def overall_minutes(people_ids) -> dict:
    """{person id: minutes in every team}: what their star level counts."""
    return dict(
        HoursEntry.objects.filter(person_id__in=list(people_ids))
        .values("person")
        .annotate(total=Sum("minutes"))
        .values_list("person", "total")
    )


@dataclass
class DeskRow:
    registration: object  # the activities' sign-up (status, person)
    check_in: object | None
    line: int | None  # the place in the waiting list (1 = next), None with a place


def shift_desk(shift: Shift) -> list[DeskRow]:
    """The shift's sign-ups for its desk: places first (in the order they were taken), then
    the waiting list in its order, each with its check-in. Two queries, however many."""
    registrations = list(activities.registrations_holding(shift.activity))
    check_ins = {c.registration_id: c for c in activities.check_ins_of(shift.activity)}
    holding = [r for r in registrations if r.status in activities.HOLDING_STATUSES]
    waiting = [r for r in registrations if r.status not in activities.HOLDING_STATUSES]
    return [DeskRow(r, check_ins.get(r.pk), None) for r in holding] + [
        DeskRow(r, check_ins.get(r.pk), n) for n, r in enumerate(waiting, 1)
    ]


def credited_minutes(check_in) -> int | None:
    """The credit hours (minutes) an attendance earned, None while it has earned none."""
    # Only the attendance's own line names the check-in (reversals and corrections do not).
    return HoursEntry.objects.filter(check_in=check_in).values_list("minutes", flat=True).first()


def honour_waiting(user, team: Team) -> list[HonourClaim]:
    """The team's honour hours waiting for approval, oldest first, each marked with whether
    `user` (who passed the leaders' guard) may decide it: never the one who entered it."""
    claims = list(
        HonourClaim.objects.filter(team=team, status=HonourClaim.Status.PENDING)
        .select_related("team", "person", "entered_by")
        .order_by("entered_at", "id")
    )
    for claim in claims:
        claim.may_decide = claim.entered_by_id != getattr(user, "pk", None)
    return claims


def corrections_waiting(team: Team) -> list[CorrectionRequest]:
    return list(
        CorrectionRequest.objects.filter(entry__team=team, status=CorrectionRequest.Status.OPEN)
        .select_related("entry__shift__task", "entry__person", "person")
        .order_by("created_at", "id")
    )


def missed_waiting(team: Team) -> list[MissedCheckOut]:
    return list(
        MissedCheckOut.objects.filter(shift__task__team=team, status=MissedCheckOut.Status.OPEN)
        .select_related("shift__task", "person", "check_in__registration")
        .order_by("shift__start", "id")
    )


def missed_for_leader_by_registration(user, registration_public_id) -> MissedCheckOut:
    """A missed check-out named by its sign-up's public id (no sequential id in addresses)."""
    missed = _get(
        MissedCheckOut.objects.select_related("shift__task__team", "check_in", "person"),
        check_in__registration__public_id=registration_public_id,
    )
    team_for_leader(user, missed.shift.task.team.public_id)
    return missed


def team_ledger_newest(team: Team) -> QuerySet:
    """The team's ledger, newest first, with what each line needs to say where it came
    from (the check-in, who confirmed or approved, the line it reverses or replaces)."""
    return (
        HoursEntry.objects.filter(team=team)
        .select_related("person", "shift__task", "entered_by", "check_in", "honour__entered_by")
        .order_by("-date", "-id")
    )


def corrected_entry_ids(entries) -> set:
    """Of these entries, those a later reversal has corrected already."""
    ids = [e.pk for e in entries]
    return set(HoursEntry.objects.filter(reverses_id__in=ids).values_list("reverses_id", flat=True))


def team_spaces(team: Team) -> QuerySet:
    """The spaces a task of the team may take place in: its center's (a region's team:
    those of the centers inside its region)."""
    from dangqun.places import selectors as places

    if team.center_id:
        return places.spaces_of(team.center).order_by("id")
    return (
        places.spaces()
        .filter(center__region__path__startswith=team.region.path)
        .order_by("center__name", "id")
    )


def shift_check_in_open(shift: Shift, now=None) -> bool:
    """Whether the shift's desk checks people in now (the activities' check-in hours)."""
    from dangqun.activities import services as activity_services

    now = now or timezone.now()
    return shift.start - activity_services.CHECK_IN_OPENS <= now < shift.end


def recent_shifts(team: Team, *, days: int = 7, now=None) -> list[Shift]:
    """The team's shifts that ended in the last `days` days (their desks still check out,
    and the leader looks back at them), latest first."""
    now = now or timezone.now()
    return list(
        Shift.objects.filter(task__team=team, end__lte=now, end__gt=now - timedelta(days=days))
        .exclude(activity__status="cancelled")
        .select_related("task", "activity")
        .order_by("-start", "-id")[:10]
    )


# --- the volunteer's own pages (issue 15, /volunteers/) ---------------------------------------
# Reads of /volunteers/: whether someone carries the volunteer group, a team's leaders and the
# members a place can be handed to, one's own shift (404 for anyone not on it), a swap offered
# to one, the teams one may be certified for, and one's ledger lines with their requests.


def has_volunteer_tag(person) -> bool:
    if not getattr(person, "is_authenticated", False):
        return False
    return PersonTag.objects.filter(person=person, tag=PersonTag.Tag.VOLUNTEER).exists()


def team_leaders(team: Team) -> list[Membership]:
    return list(
        Membership.objects.filter(
            team=team, role=Membership.Role.LEADER, status=Membership.Status.ACTIVE
        )
        .select_related("person")
        .order_by("joined_at", "id")
    )


def swap_candidates(team: Team, person) -> list:
    """The team's other active members who have a name (a place is handed to someone one
    can name), by name."""
    members = (
        Membership.objects.filter(team=team, status=Membership.Status.ACTIVE)
        .exclude(person=person)
        .exclude(person__name="")
        .select_related("person")
        .order_by("person__name", "person_id")
    )
    return [m.person for m in members]


def my_shift(person, public_id, *, now=None) -> MyShift:
    """One of the person's shifts (signed up or waiting, to come or under way); the same
    404 for a shift that does not exist and for one they are not on."""
    shift = shift_public(public_id)
    registration = activities.registration_for_person(shift.activity, person)
    if registration is None:
        raise NotFound()
    session = activities.only_session(shift.activity)
    swap = (
        SwapOffer.objects.filter(shift=shift, from_person=person, status=SwapOffer.Status.OFFERED)
        .select_related("to_person")
        .first()
    )
    return MyShift(shift, registration, activities.check_in_at(session, registration), swap)


def swap_offered_to_me(person, public_id) -> SwapOffer:
    return _get(
        SwapOffer.objects.select_related("shift__task__team", "shift__activity", "from_person"),
        public_id=public_id,
        to_person_id=getattr(person, "pk", None),
    )


def certificate_teams_of(person) -> list[Team]:
    """The teams whose center may certify the person's hours: those they are in and those
    they served (their hours stay theirs after they leave)."""
    served = HoursEntry.objects.filter(person=person).values("team")
    current = Membership.objects.filter(person=person, status=Membership.Status.ACTIVE).values(
        "team"
    )
    return list(
        Team.objects.filter(Q(pk__in=served) | Q(pk__in=current))
        .select_related("center")
        .order_by("name", "id")
    )


@dataclass
class LedgerLine:
    entry: HoursEntry
    request: CorrectionRequest | None  # the last request about it, if any
    correctable: bool  # a request may be made: a positive entry, not reversed, none open

    @property
    def minutes(self) -> int:
        """The entry's minutes without their sign (a reversal says "−" before its hours)."""
        return abs(self.entry.minutes)

    @property
    def hours(self) -> Decimal:
        return rules.half_hours(self.minutes)


def ledger_lines_of(person, *, limit: int = 50) -> list[LedgerLine]:
    """The person's last ledger lines, newest first, each with the last correction they
    asked for about it and whether they may ask (two queries)."""
    entries = list(ledger_of(person)[:limit])
    requests: dict[int, CorrectionRequest] = {}
    for request in CorrectionRequest.objects.filter(
        person=person, entry__in=[e.pk for e in entries]
    ).order_by("created_at", "id"):
        requests[request.entry_id] = request  # the newest wins
    lines = []
    for entry in entries:
        request = requests.get(entry.pk)
        correctable = (
            entry.minutes > 0
            and not _has_reversal(entry)
            and not (request and request.status == CorrectionRequest.Status.OPEN)
        )
        lines.append(LedgerLine(entry, request, correctable))
    return lines


def _has_reversal(entry: HoursEntry) -> bool:
    try:
        return entry.reversed_by is not None
    except HoursEntry.DoesNotExist:
        return False


def team_size(team: Team) -> int:
    return Membership.objects.filter(team=team, status=Membership.Status.ACTIVE).count()


def my_shift_ids(person, shifts) -> set[int]:
    """Which of these shifts the person is on (a place or a place in line): one query."""
    if not getattr(person, "is_authenticated", False) or not shifts:
        return set()
    taken = activities.joined_among(person, [s.activity for s in shifts])
    return {s.pk for s in shifts if s.activity_id in taken}


# --- the leaders' and the staff's API (lead_api, staff_api) ---------------------------------
# The same guards as the pages (team_for_leader, the staff's scope); what the API adds is the
# look-up of a row named in a body (a space, a person, a region) and the shifts of a team.


def team_space(team: Team, pk):
    """A space a task of the team may take place in, by its id; None for any other."""
    return team_spaces(team).filter(pk=pk).first() if pk is not None else None


def team_shifts(team: Team, *, now=None) -> list[Shift]:
    """The team's shifts of the last seven days and those to come, soonest first."""
    now = now or timezone.now()
    return list(
        Shift.objects.filter(task__team=team, end__gt=now - timedelta(days=7))
        .select_related("task", "activity")
        .order_by("start", "id")
    )


def team_person(team: Team, person_public_id):
    """Someone the team may certify, by their public id: a member now, or someone with
    hours in its ledger (their hours stay theirs after they leave). NotFound else."""
    served = HoursEntry.objects.filter(team=team).values("person")
    members = Membership.objects.filter(team=team, status=Membership.Status.ACTIVE).values("person")
    people = get_user_model().objects.filter(Q(pk__in=served) | Q(pk__in=members))
    return _get(people, public_id=person_public_id)


def region_for_staff(user, pk) -> Region:
    """A district, street or town the user runs or reads (whose figures they may see)."""
    return _get(regions_for_staff(user), pk=pk)


def pending_honour_for_staff(user) -> QuerySet:
    """Honour hours waiting for approval in the teams of the user's regions, oldest first."""
    return (
        HonourClaim.objects.filter(
            team__in=teams_for_staff(user).values("pk"), status=HonourClaim.Status.PENDING
        )
        .select_related("team", "person", "entered_by")
        .order_by("entered_at", "id")
    )


def person_for_staff(user, public_id):
    """Someone at the counter, by their public id: a person of the user's regions, or a
    volunteer who is (or was) in a team of them, or has hours there. NotFound else."""
    from dangqun.people import selectors as people

    try:
        return people.person_for_staff(user, public_id=public_id)
    except NotFound:
        pass
    teams = teams_for_staff(user).values("pk")
    served = HoursEntry.objects.filter(team__in=teams).values("person")
    joined = Membership.objects.filter(team__in=teams).values("person")
    found = get_user_model().objects.filter(Q(pk__in=served) | Q(pk__in=joined), is_active=True)
    return _get(found, public_id=public_id)
