"""The volunteer's own pages (/volunteers/), for residents and riders on their phones: the
teams (the riders' team first), a team with its shifts to come (sign up, join or leave the
team, registering as a volunteer on the way), one's own shift (the place or the place in
line, the check-in code, cancelling before the cut-off, handing the place to another
member, checking out on leaving), and "My volunteering" (teams, shifts, swaps offered,
hours by kind and month, the star level, points, certificates, the ledger with requests
for corrections). Pages parse, authorise (sign-in; the selectors' 404 for what is not
one's own; the services' own checks), call a service or selector, and render."""

import math
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dangqun.activities import selectors as activities
from dangqun.core import codes
from dangqun.core.errors import NotFound
from dangqun.core.forms import call_for_form, call_with_message
from dangqun.core.templatetags.dq import loc
from dangqun.people.identity import mask_name

from . import rules, selectors, services
from .forms import CertificateForm, CorrectionForm, JoinForm, SwapForm

# 一星 … 五星: the star levels of the volunteer rules (README "Volunteers").
STAR_NAMES = (
    gettext_lazy("One star"),
    gettext_lazy("Two stars"),
    gettext_lazy("Three stars"),
    gettext_lazy("Four stars"),
    gettext_lazy("Five stars"),
)
LEDGER_LINES = 50
POINTS_LINES = 10
REQUEST_LINES = 20


def _found(read, *args, **kwargs):
    """A selector's read; its NotFound (missing or not one's own) is the site's 404 page."""
    try:
        return read(*args, **kwargs)
    except NotFound:
        raise Http404 from None


def _sign_in_url(next_path: str) -> str:
    return f"{reverse('accounts:sign_in')}?{urlencode({'next': next_path})}"


def _name(person) -> str:
    return person.name or person.masked_mobile


def star_name(stars: int) -> str:
    """一星 … 五星 (more thresholds than five, set in the settings, stay at 五星)."""
    return str(STAR_NAMES[min(stars, len(STAR_NAMES)) - 1]) if stars else ""


def hours_to_go(minutes: int, next_star: int | None) -> Decimal | None:
    """Hours still to serve for the next star, rounded up to the half hour."""
    if next_star is None:
        return None
    return Decimal(math.ceil((next_star * 60 - minutes) / 30)) / 2


def plain(points: Decimal) -> str:
    """Points as people say them: 2, 2.5, 1.58 (not 2.00)."""
    return format(points.normalize(), "f")


def place_of(shift) -> str:
    """Where a shift is: the space and its center, or the address."""
    task = shift.task
    if task.space_id:
        return f"{loc(task.space)} · {loc(task.center)}"
    return task.address


# --- teams ----------------------------------------------------------------------------------


def team_list(request):
    teams = list(selectors.teams_public())
    mine = {}
    if request.user.is_authenticated:
        mine = {m.team_id: m for m in selectors.memberships_of(request.user)}
    for team in teams:
        team.mine = mine.get(team.pk)
    return render(request, "volunteers/teams.html", {"teams": teams})


def _shift_rows(user, team) -> list[dict]:
    shifts = selectors.upcoming_shifts(team)
    mine = selectors.my_shift_ids(user, shifts)
    return [
        {
            "shift": shift,
            "where": place_of(shift),
            "left": max(0, shift.activity.capacity - shift.activity.taken),
            "waiting": shift.activity.waiting,
            "mine": shift.pk in mine,
        }
        for shift in shifts
    ]


def _team_page(request, team, *, join_form=None, status=200):
    user = request.user
    membership = selectors.membership_of(user, team)
    registered = selectors.has_volunteer_tag(user)
    context = {
        "team": team,
        "leaders": [mask_name(m.person.name) or "—" for m in selectors.team_leaders(team)],
        "members": selectors.team_size(team),
        "rows": _shift_rows(user, team),
        "membership": membership,
        "is_leader": membership is not None and membership.role == "leader",
        "join_form": join_form or JoinForm(registered=registered),
        "sign_in_url": _sign_in_url(request.get_full_path()),
    }
    return render(request, "volunteers/team.html", context, status=status)


def team_detail(request, public_id):
    return _team_page(request, _found(selectors.team_public, public_id))


@login_required
@require_POST
def team_join(request, public_id):
    team = _found(selectors.team_public, public_id)
    form = JoinForm(request.POST, registered=selectors.has_volunteer_tag(request.user))
    if form.is_valid():
        joined = call_for_form(
            form,
            services.team_join,
            actor=request.user,
            team=team,
            register=bool(form.cleaned_data.get("volunteer")),
        )
        if joined.ok:
            if joined.value.status == "active":
                messages.success(
                    request,
                    _("Welcome to %(team)s. Sign up for a shift below.") % {"team": loc(team)},
                )
            else:
                messages.success(
                    request,
                    _("You asked to join %(team)s: a leader will answer.") % {"team": loc(team)},
                )
            return redirect("volunteers:team", public_id=team.public_id)
    return _team_page(request, team, join_form=form, status=400)


@login_required
@require_POST
def team_leave(request, public_id):
    team = _found(selectors.team_public, public_id)
    left = call_with_message(request, services.team_leave, actor=request.user, team=team)
    if left.ok:
        messages.success(
            request,
            _("You have left %(team)s. Your hours stay yours.") % {"team": loc(team)},
        )
    return redirect("volunteers:team", public_id=team.public_id)


# --- one's shift ----------------------------------------------------------------------------


@login_required
@require_POST
def shift_sign_up(request, public_id):
    shift = _found(selectors.shift_public, public_id)
    signed_up = call_with_message(request, services.shift_sign_up, actor=request.user, shift=shift)
    if not signed_up.ok:
        url = reverse("volunteers:team", args=[shift.task.team.public_id])
        return redirect(f"{url}#shift-{shift.public_id}")
    registration = signed_up.value
    if registration.status == activities.CONFIRMED:
        messages.success(
            request,
            _("You have a place. Your check-in code is %(code)s.")
            % {"code": registration.short_code},
        )
    else:
        messages.success(
            request,
            _("The shift is full: you are number %(n)d on the waiting list.")
            % {"n": activities.waiting_position(registration)},
        )
    return redirect("volunteers:shift", public_id=shift.public_id)


def _shift_page(request, mine, *, swap_form=None, status=200):
    shift, registration = mine.shift, mine.registration
    now = timezone.now()
    confirmed = registration.status == activities.CONFIRMED
    holding = registration.status in activities.HOLDING_STATUSES
    cutoff = shift.start - rules.cancel_cutoff()
    members = selectors.swap_candidates(shift.task.team, request.user)
    context = {
        "shift": shift,
        "task": shift.task,
        "team": shift.task.team,
        "where": place_of(shift),
        "registration": registration,
        "check_in": mine.check_in,
        "swap": mine.swap,
        "position": activities.waiting_position(registration),
        "confirmed": confirmed,
        "begun": shift.start <= now,
        "ended": shift.end <= now,
        "cutoff": cutoff,
        "can_withdraw": not holding or now <= cutoff,
        "can_swap": confirmed and now < shift.start and bool(members),
        "can_check_out": (
            mine.check_in is not None
            and mine.check_in.checked_out_at is None
            and services.self_check_out_open(shift, now=now)
        ),
        "swap_form": swap_form or SwapForm(members=[(str(p.public_id), p.name) for p in members]),
    }
    if confirmed and shift.end > now:
        token = activities.personal_check_in_token(registration)
        scan_url = reverse("staff_activities:scan_token", args=[token])
        context["qr"] = codes.qr_svg(request.build_absolute_uri(scan_url))
    return render(request, "volunteers/shift.html", context, status=status)


@login_required
def shift_detail(request, public_id):
    return _shift_page(request, _found(selectors.my_shift, request.user, public_id))


@login_required
@require_POST
def shift_withdraw(request, public_id):
    mine = _found(selectors.my_shift, request.user, public_id)
    done = call_with_message(request, services.shift_withdraw, actor=request.user, shift=mine.shift)
    if not done.ok:
        return redirect("volunteers:shift", public_id=mine.shift.public_id)
    messages.success(request, _("Your place is cancelled. Thank you for freeing it in time."))
    return redirect("volunteers:team", public_id=mine.shift.task.team.public_id)


@login_required
@require_POST
def shift_swap(request, public_id):
    mine = _found(selectors.my_shift, request.user, public_id)
    members = {
        str(p.public_id): p for p in selectors.swap_candidates(mine.shift.task.team, request.user)
    }
    form = SwapForm(request.POST, members=[(key, p.name) for key, p in members.items()])
    if form.is_valid():
        to_person = members[form.cleaned_data["to_person"]]
        offered = call_for_form(
            form, services.swap_offer, actor=request.user, shift=mine.shift, to_person=to_person
        )
        if offered.ok:
            messages.success(
                request,
                _("We asked %(name)s. The place stays yours until they accept.")
                % {"name": to_person.name},
            )
            return redirect("volunteers:shift", public_id=mine.shift.public_id)
    return _shift_page(request, mine, swap_form=form, status=400)


@login_required
@require_POST
def shift_check_out(request, public_id):
    mine = _found(selectors.my_shift, request.user, public_id)
    done = call_with_message(
        request, services.shift_check_out_self, actor=request.user, shift=mine.shift
    )
    if done.ok:
        messages.success(
            request,
            _("You are checked out at %(time)s. Thank you for your service!")
            % {"time": f"{timezone.localtime(done.value.checked_out_at):%H:%M}"},
        )
    return redirect("volunteers:shift", public_id=mine.shift.public_id)


@login_required
@require_POST
def swap_answer(request, public_id):
    swap = _found(selectors.swap_offered_to_me, request.user, public_id)
    answer = request.POST.get("answer")
    if answer not in ("accept", "decline"):  # only the page's two buttons send an answer
        messages.error(request, _("Tap Accept or Decline."))
        return redirect(f"{reverse('volunteers:me')}#swaps")
    accept = answer == "accept"
    done = call_with_message(
        request, services.swap_answer, actor=request.user, swap=swap, accept=accept
    )
    if done.ok and accept:
        messages.success(
            request,
            _("The place is yours: %(task)s. Your check-in code is below.")
            % {"task": swap.shift.task.title},
        )
        return redirect("volunteers:shift", public_id=swap.shift.public_id)
    if done.ok:
        messages.success(
            request,
            _("You declined. %(name)s keeps the place.") % {"name": _name(swap.from_person)},
        )
    return redirect(f"{reverse('volunteers:me')}#swaps")


# --- my volunteering ------------------------------------------------------------------------


def _correction_ids(entry) -> str:
    """The fields' ids of a ledger line's correction form (one form per line, one page)."""
    return f"c{entry.public_id.hex[:10]}_%s"


def _me_page(request, *, certificate_form=None, correction=None, status=200):
    """`correction`: (the ledger line's public id, its form refused) to show it open."""
    person = request.user
    memberships = selectors.memberships_of(person)
    hours = selectors.hours_of(person)
    teams = selectors.certificate_teams_of(person)
    lines = selectors.ledger_lines_of(person, limit=LEDGER_LINES)
    refused_id, refused_form = correction or (None, None)
    for line in lines:
        if line.entry.public_id == refused_id:
            line.form = refused_form
        elif line.correctable:
            line.form = CorrectionForm(auto_id=_correction_ids(line.entry))
        else:
            line.form = None
    if refused_form is not None and not any(line.form is refused_form for line in lines):
        for errors in refused_form.errors.values():
            messages.error(request, " ".join(errors))
    points_entries = selectors.points_entries_of(person, limit=POINTS_LINES)
    for entry in points_entries:
        entry.shown = plain(entry.points)
    today = timezone.localdate()
    context = {
        "memberships": memberships,
        "leads": any(m.role == "leader" and m.status == "active" for m in memberships),
        "shifts": selectors.shifts_of(person),
        "swaps": selectors.swaps_offered_to(person),
        "credit": rules.half_hours(hours.credit),
        "honour": rules.half_hours(hours.honour),
        "total": rules.half_hours(hours.total),
        "stars": hours.stars,
        "star_name": star_name(hours.stars),
        "star_marks": "★" * hours.stars,
        "next_star_name": star_name(hours.stars + 1) if hours.next_star else "",
        "to_go": hours_to_go(hours.total, hours.next_star),
        "months": [
            {
                "month": row["month"],
                "credit": rules.half_hours(row["credit"]),
                "honour": rules.half_hours(row["honour"]),
            }
            for row in selectors.hours_by_month(person)
        ],
        "points_shown": plain(selectors.points_of(person)),
        "points_entries": points_entries,
        "certificates": list(selectors.certificates_of(person)),
        "certificate_form": certificate_form
        or CertificateForm(
            teams=teams,
            initial={"period_start": today.replace(month=1, day=1), "period_end": today},
        ),
        "lines": lines,
        "requests": list(selectors.correction_requests_of(person)[:REQUEST_LINES]),
    }
    return render(request, "volunteers/me.html", context, status=status)


@login_required
def me(request):
    return _me_page(request)


@login_required
@require_POST
def certificate_issue(request):
    person = request.user
    form = CertificateForm(request.POST, teams=selectors.certificate_teams_of(person))
    if form.is_valid():
        data = form.cleaned_data
        issued = call_for_form(
            form,
            services.service_certificate_issue,
            actor=person,
            team=data["team"],
            person=person,
            period_start=data["period_start"],
            period_end=data["period_end"],
        )
        if issued.ok:
            messages.success(
                request,
                _("Your certificate %(serial)s is ready: download it below.")
                % {"serial": issued.value.serial},
            )
            return redirect(f"{reverse('volunteers:me')}#certificates")
    return _me_page(request, certificate_form=form, status=400)


@login_required
@require_POST
def correction_request(request, public_id):
    entry = _found(selectors.entry_of, request.user, public_id)
    form = CorrectionForm(request.POST, auto_id=_correction_ids(entry))
    if form.is_valid():
        asked = call_for_form(
            form,
            services.correction_request,
            actor=request.user,
            entry=entry,
            minutes=form.cleaned_data["total_minutes"],
            message=form.cleaned_data["message"],
        )
        if asked.ok:
            messages.success(
                request, _("Your request is sent to the team's leaders. Their answer shows here.")
            )
            return redirect(f"{reverse('volunteers:me')}#requests")
    return _me_page(request, correction=(entry.public_id, form), status=400)
