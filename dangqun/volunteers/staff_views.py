"""The back office of volunteers (/staff/volunteers/): the teams in my regions (a new team, a
team's members, its leaders, enrolling someone by mobile number, the roster in Excel), the
rewards of my centers' catalogues and redeeming points at the counter, the certificates my
centers issued (revoking one) and a training's certificates, and the figures of the
district, a street or a center for a period (the ledger in Excel). Pages parse, authorise
(staff_required and the selectors' scoping), call a service or selector, and render; what
lies outside my regions is the same 404 as what does not exist."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangqun.core.forms import call_for_form, call_with_message
from dangqun.core.templatetags.dq import loc
from dangqun.people import access
from dangqun.people import counter as people_counter
from dangqun.people import selectors as people
from dangqun.people.decorators import staff_required

from . import exports, rules, selectors, services
from .staff_forms import (
    CounterFindForm,
    FiguresForm,
    MemberAddForm,
    RevokeForm,
    RewardForm,
    TeamForm,
    TrainingRuleForm,
    month_bounds,
)

PER_PAGE = 50
# Volunteering is run by district, street and center staff; partners see none of it.
staff_only = staff_required(roles=access.MANAGERS)


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def _plain(points) -> str:
    """Points as people say them: 2, 2.5 (not 2.00)."""
    return format(points.normalize(), "f")


def _centers(user) -> list:
    return list(access.centers_for_staff(user).order_by("region__path", "name"))


def _places(user) -> dict[str, dict]:
    """What a team may belong to and whose figures may be read: the district, streets and
    towns the user reaches (widest first), then their centers. {value: {"region"|"center"}}."""
    found = {f"region:{r.pk}": {"region": r} for r in selectors.regions_for_staff(user)}
    found.update({f"center:{c.slug}": {"center": c} for c in _centers(user)})
    return found


def _label(place: dict) -> str:
    return loc(place.get("center") or place.get("region"))


# --- teams ------------------------------------------------------------------------------------


@staff_only
def team_list(request):
    start, end = month_bounds(timezone.localdate())
    teams = list(selectors.team_rows_for_staff(request.user, start=start, end=end))
    for team in teams:
        team.period_hours = rules.half_hours(team.period_minutes)
    return render(
        request,
        "volunteers/staff/teams.html",
        {"teams": teams, "month_start": start},
    )


@staff_only
def team_create(request):
    places = _places(request.user)
    owners = [(value, _label(place)) for value, place in places.items()]
    posted = request.method == "POST"
    form = TeamForm(
        request.POST if posted else None,
        owners=owners,
        centers=access.centers_for_staff(request.user),
    )
    if posted and form.is_valid():
        data = dict(form.cleaned_data)
        owner = places[data.pop("owner")]
        outcome = call_for_form(form, services.team_create, actor=request.user, **owner, **data)
        if outcome.ok:
            messages.success(request, _("The team is set up. Enrol its first members below."))
            return redirect("staff_volunteers:team", public_id=outcome.value.public_id)
    return render(request, "volunteers/staff/team_form.html", {"form": form}, status=_status(form))


def _team_page(request, team, add_form=None, refused=None, status=200):
    rows = selectors.roster(team)
    return render(
        request,
        "volunteers/staff/team.html",
        {
            "team": team,
            "rows": rows,
            "credit": rules.half_hours(sum(r.credit for r in rows)),
            "honour": rules.half_hours(sum(r.honour for r in rows)),
            "add_form": add_form or MemberAddForm(),
            "refused": refused,
        },
        status=status,
    )


@staff_only
def team_detail(request, public_id):
    return _team_page(request, selectors.team_for_staff(request.user, public_id))


@staff_only
@require_POST
def member_add(request, public_id):
    """Enrol someone by their mobile number (they must carry the volunteer group; a team
    of verified volunteers takes only those staff verified on the person's page)."""
    team = selectors.team_for_staff(request.user, public_id)
    form = MemberAddForm(request.POST)
    refused = None
    if form.is_valid():
        found = call_for_form(
            form, people.signed_up_person, mobile=form.cleaned_data["mobile"], field="mobile"
        )
        if found.ok:
            person = found.value
            added = call_for_form(
                form, services.member_add, actor=request.user, team=team, person=person
            )
            if added.ok:
                messages.success(
                    request,
                    _("%(name)s is a member of %(team)s.")
                    % {"name": person.name or person.masked_mobile, "team": loc(team)},
                )
                return redirect("staff_volunteers:team", public_id=team.public_id)
            if added.error.field == "volunteer":
                refused = person  # their page, to verify (or add) the volunteer group
    return _team_page(request, team, add_form=form, refused=refused, status=400)


@staff_only
@require_POST
def leader_set(request, public_id, person_id):
    team = selectors.team_for_staff(request.user, public_id)
    membership = selectors.member_for_staff(team, person_id)
    make = request.POST.get("leader") == "1"
    done = call_with_message(
        request,
        services.leader_set,
        actor=request.user,
        team=team,
        person=membership.person,
        leader=make,
    )
    if done.ok:
        name = membership.person.name or membership.person.masked_mobile
        messages.success(
            request,
            _("%(name)s leads the team.") % {"name": name}
            if make
            else _("%(name)s is a member again, no longer a leader.") % {"name": name},
        )
    return redirect("staff_volunteers:team", public_id=team.public_id)


@staff_only
def roster_xlsx(request, public_id):
    team = selectors.team_for_staff(request.user, public_id)
    return _xlsx(exports.roster_export(actor=request.user, team=team), f"roster-{team.public_id}")


# --- rewards and the counter ----------------------------------------------------------------


@staff_only
def reward_list(request):
    return render(
        request,
        "volunteers/staff/rewards.html",
        {
            "rewards": selectors.rewards_for_staff(request.user).order_by(
                "center__name", "points", "id"
            ),
            "may_add": bool(_centers(request.user)),
            "redemptions": selectors.redemptions_for_staff(request.user, limit=20),
        },
    )


def _reward_values(form) -> dict:
    data = form.cleaned_data
    return {
        "name": data["name"],
        "name_en": data["name_en"],
        "points": data["points"],
        "stock": data["stock"],
        "is_active": data["offered"],
    }


@staff_only
def reward_create(request):
    centers = {c.slug: c for c in _centers(request.user)}
    posted = request.method == "POST"
    form = RewardForm(
        request.POST if posted else None, centers=[(s, loc(c)) for s, c in centers.items()]
    )
    if posted and form.is_valid():
        saved = call_for_form(
            form,
            services.reward_item_save,
            actor=request.user,
            center=centers[form.cleaned_data["center"]],
            **_reward_values(form),
        )
        if saved.ok:
            messages.success(request, _("%(name)s is in the catalogue.") % {"name": saved.value})
            return redirect("staff_volunteers:rewards")
    return render(
        request, "volunteers/staff/reward_form.html", {"form": form}, status=_status(form)
    )


@staff_only
def reward_edit(request, public_id):
    item = selectors.reward_for_staff(request.user, public_id)
    posted = request.method == "POST"
    form = RewardForm(
        request.POST if posted else None,
        initial={
            "name": item.name,
            "name_en": item.name_en,
            "points": item.points,
            "stock": item.stock,
            "offered": item.is_active,
        },
    )
    if posted and form.is_valid():
        saved = call_for_form(
            form,
            services.reward_item_save,
            actor=request.user,
            center=item.center,
            item=item,
            **_reward_values(form),
        )
        if saved.ok:
            messages.success(request, _("%(name)s is saved.") % {"name": saved.value})
            return redirect("staff_volunteers:rewards")
    return render(
        request,
        "volunteers/staff/reward_form.html",
        {"form": form, "item": item},
        status=_status(form),
    )


@staff_only
def counter_find(request):
    """The person at the counter by mobile number: the whole number finds anyone (they
    are at the desk and gave it; the look-up is audited), part of it people of my regions."""
    form = CounterFindForm(request.GET if "mobile" in request.GET else None)
    found = []
    if form.is_valid():
        digits = form.cleaned_data["mobile"]
        whole = people.person_by_mobile(digits) if len(digits) == 11 else None
        if whole is not None:
            people_counter.remember(request, whole)
            return redirect("staff_volunteers:counter_person", public_id=whole.public_id)
        found = list(people.persons_for_staff(request.user, query=digits)[:30])
    return render(
        request,
        "volunteers/staff/counter.html",
        {
            "form": form,
            "found": found,
            "redemptions": selectors.redemptions_for_staff(request.user, limit=20),
        },
        status=_status(form),
    )


@staff_only
def counter_person(request, public_id):
    person = people_counter.person_at_counter(request, public_id)
    centers = _centers(request.user)
    center = next((c for c in centers if c.slug == request.GET.get("center")), None)
    center = center or (centers[0] if centers else None)
    return render(
        request,
        "volunteers/staff/counter_person.html",
        {
            "person": person,
            "balance": selectors.points_of(person),
            "hours": rules.half_hours(selectors.hours_of(person).total),
            "centers": centers,
            "center": center,
            "rewards": selectors.rewards_in_stock(center) if center else [],
            "redemptions": selectors.redemptions_of(person),
        },
    )


@staff_only
@require_POST
def redeem(request, public_id):
    person = people_counter.person_at_counter(request, public_id)
    item = selectors.reward_for_staff(request.user, request.POST.get("item", "")[:40])
    done = call_with_message(request, services.redeem, actor=request.user, item=item, person=person)
    if done.ok:
        messages.success(
            request,
            _("%(name)s received %(reward)s for %(points)s points. Points left: %(left)s.")
            % {
                "name": person.name or person.masked_mobile,
                "reward": loc(item),
                "points": _plain(item.points),
                "left": _plain(selectors.points_of(person)),
            },
        )
    url = reverse("staff_volunteers:counter_person", kwargs={"public_id": person.public_id})
    return redirect(f"{url}?center={item.center.slug}")


# --- certificates -----------------------------------------------------------------------------


@staff_only
def certificate_list(request):
    certificates = selectors.certificates_for_staff(request.user).order_by("-issued_at", "-id")
    serial = request.GET.get("serial", "").strip().upper()[:24]
    if serial:
        certificates = certificates.filter(serial__contains=serial)
    page = Paginator(certificates, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "volunteers/staff/certificates.html", {"page": page, "serial": serial})


@staff_only
def certificate_revoke(request, serial):
    if len(serial) > 24:
        raise Http404
    certificate = selectors.certificate_for_staff(request.user, serial.upper())
    posted = request.method == "POST"
    form = RevokeForm(request.POST if posted else None)
    if posted and form.is_valid():
        done = call_for_form(
            form,
            services.certificate_revoke,
            actor=request.user,
            certificate=certificate,
            reason=form.cleaned_data["reason"],
        )
        if done.ok:
            messages.success(
                request, _("Certificate %(serial)s is revoked.") % {"serial": certificate.serial}
            )
            return redirect("staff_volunteers:certificates")
    return render(
        request,
        "volunteers/staff/certificate_revoke.html",
        {"certificate": certificate, "form": form},
        status=_status(form),
    )


@staff_only
def training(request, public_id):
    """A training's attendance and certificates: the rule chosen (every session, or at
    least N of them) shows who qualifies; "Issue" gives each of them one (once)."""
    activity = selectors.training_for_staff(request.user, public_id)
    posted = request.method == "POST"
    form = TrainingRuleForm(
        request.POST if posted else (request.GET if "rule" in request.GET else None)
    )
    rows, total = selectors.training_attendance(activity)
    needed = total
    if form.is_bound and form.is_valid():
        needed = form.needed() or total
        if posted and "issue" in request.POST:
            issued = call_for_form(
                form,
                services.training_certificates_issue,
                actor=request.user,
                activity=activity,
                min_sessions=form.needed(),
            )
            if issued.ok:
                messages.success(
                    request,
                    _("Certificates issued: %(n)d.") % {"n": len(issued.value)}
                    if issued.value
                    else _("Everyone who qualifies has a certificate already."),
                )
                url = reverse("staff_volunteers:training", kwargs={"public_id": activity.public_id})
                if form.needed():
                    url += f"?rule={form.AT_LEAST}&min_sessions={form.needed()}"
                return redirect(url)
    return render(
        request,
        "volunteers/staff/training.html",
        {
            "activity": activity,
            "form": form,
            "rows": rows,
            "total": total,
            "needed": needed,
            "qualifying": sum(1 for r in rows if r.attended >= needed and not r.certificate),
        },
        status=_status(form),
    )


# --- figures --------------------------------------------------------------------------------


def _figures_form(request):
    """The figures' form from the query (defaults: the widest place I see, this month),
    and the places by value. A place that is not mine, or none, is a 404."""
    places = _places(request.user)
    chosen = request.GET.get("where")
    if chosen is not None and chosen not in places:
        raise Http404
    data = {"period": FiguresForm.THIS_MONTH, **request.GET.dict()}
    if chosen is None and places:
        data["where"] = next(iter(places))
    choices = [(value, _label(place)) for value, place in places.items()]
    return FiguresForm(data, places=choices), places


def _query(form) -> str:
    """The chosen place and period, for the ledger's download link."""
    data = form.cleaned_data
    query = {"where": data["where"], "period": data["period"]}
    if data["period"] == FiguresForm.DATES:
        query.update(start=data["start"].isoformat(), end=data["end"].isoformat())
    return urlencode(query)


@staff_only
def figures_page(request):
    form, places = _figures_form(request)
    result, place = None, None
    if form.is_valid():
        place = places[form.cleaned_data["where"]]
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        if "center" in place:
            result = selectors.center_figures(center=place["center"], start=start, end=end)
        else:
            result = selectors.figures(region=place["region"], start=start, end=end)
    return render(
        request,
        "volunteers/staff/figures.html",
        {
            "form": form,
            "result": result,
            "place": _label(place) if place else "",
            "query": _query(form) if result is not None else "",
        },
        status=_status(form) if places else 200,
    )


@staff_only
def ledger_xlsx(request):
    form, places = _figures_form(request)
    if not form.is_valid():
        return figures_page(request)
    place = places[form.cleaned_data["where"]]
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    entries = selectors.ledger_for_staff(**place, start=start, end=end)
    content = exports.ledger_export(
        actor=request.user,
        title=_("Hours ledger"),
        entries=entries,
        scope_obj=place.get("center") or place.get("region"),
        start=start,
        end=end,
    )
    return _xlsx(content, f"volunteer-hours-{start:%Y%m%d}-{end:%Y%m%d}")
