"""A team leader's pages (/volunteers/lead/): the teams one leads, a team (roster, people
asking to join, tasks, shifts to come, what waits for a leader, Excel downloads), a shift's
desk (who signed up, check-in by code, scan or photo, check-out), honour hours (entry with
evidence, approval by a second person), corrections, missed check-outs and the team's
ledger. A leader is a member with an active leader membership; staff of the team's region
may do the same. Anyone else gets the 404 of a missing page (the selectors' *_for_leader
and the services' own require_leader)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangqun.core import codes as core_codes
from dangqun.core.attachments import CONTENT_TYPES
from dangqun.core.errors import NotFound
from dangqun.core.forms import attempt, call_for_form
from dangqun.core.templatetags.dq import loc

from . import exports, rules, selectors, services
from .lead_forms import (
    AnswerForm,
    CodeForm,
    CorrectForm,
    DecisionForm,
    HonourForm,
    LeftForm,
    MemberForm,
    ReasonForm,
    ShiftForm,
    TaskForm,
)

LEDGER_PAGE = 30
EXTENSIONS = {content_type: extension for extension, content_type in CONTENT_TYPES.items()}


def leader_page(view):
    """Sign-in first (a visitor is sent to it); then a NotFound from the selectors' guard
    (not a leader of the team, nor staff of its region) is the 404 of a missing page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404 from None

    return wrapper


def _name(person) -> str:
    return person.name or person.masked_mobile


def _clock(moment) -> str:
    return f"{timezone.localtime(moment):%H:%M}"


def _hours(minutes) -> str:
    return f"{rules.half_hours(minutes or 0):g}"


# --- the teams I lead ---------------------------------------------------------------------


@leader_page
def index(request):
    return render(
        request, "volunteers/lead/index.html", {"teams": selectors.teams_led(request.user)}
    )


# --- a team -------------------------------------------------------------------------------


def _roster(team):
    """Members and people asking to join, each with hours shown in half-hour steps and the
    star level of all their hours (in every team)."""
    rows = selectors.roster(team)
    overall = selectors.overall_minutes(r.membership.person_id for r in rows)
    members, asking = [], []
    for row in rows:
        shown = {
            "membership": row.membership,
            "person": row.membership.person,
            "credit": _hours(row.credit),
            "honour": _hours(row.honour),
            "stars": rules.stars_for(overall.get(row.membership.person_id, 0)),
        }
        (members if row.membership.status == "active" else asking).append(shown)
    return members, asking


@leader_page
def team(request, public_id):
    team = selectors.team_for_leader(request.user, public_id)
    members, asking = _roster(team)
    shifts = selectors.upcoming_shifts(team)
    return render(
        request,
        "volunteers/lead/team.html",
        {
            "team": team,
            "members": members,
            "asking": asking,
            "tasks": list(selectors.tasks_of(team)),
            "shifts": shifts,
            "recent": selectors.recent_shifts(team),
            "waiting": selectors.waiting_for_leaders(team),
        },
    )


@leader_page
@require_POST
def membership_decide(request, public_id, person):
    team = selectors.team_for_leader(request.user, public_id)
    membership = selectors.membership_asking(team, person)
    approve = request.POST.get("decision") == "accept"
    done = attempt(
        services.membership_decide, actor=request.user, membership=membership, approve=approve
    )
    if not done.ok:
        messages.error(request, str(done.error.message))
    elif approve:
        messages.success(
            request, _("%(name)s is a member now.") % {"name": _name(membership.person)}
        )
    else:
        messages.success(
            request, _("%(name)s was not accepted.") % {"name": _name(membership.person)}
        )
    return redirect(f"{reverse('volunteers_lead:team', args=[team.public_id])}#asking")


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


@leader_page
def ledger_xlsx(request, public_id):
    team = selectors.team_for_leader(request.user, public_id)
    content = exports.team_export(actor=request.user, team=team, what="ledger")
    return _xlsx(content, f"hours-{team.public_id}")


@leader_page
def roster_xlsx(request, public_id):
    team = selectors.team_for_leader(request.user, public_id)
    content = exports.team_export(actor=request.user, team=team, what="roster")
    return _xlsx(content, f"roster-{team.public_id}")


# --- tasks and shifts -----------------------------------------------------------------------


@leader_page
def task_new(request, public_id):
    team = selectors.team_for_leader(request.user, public_id)
    spaces = selectors.team_spaces(team)
    form = TaskForm(request.POST or None, spaces=spaces)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = call_for_form(
            form,
            services.task_create,
            actor=request.user,
            team=team,
            title=data["title"],
            description=data["description"],
            skills=data["skills"],
            space=data.get("space"),
            address=data["address"],
        )
        if done.ok:
            messages.success(
                request,
                _("Task “%(title)s” added: open its first shift.") % {"title": done.value.title},
            )
            return redirect("volunteers_lead:shift_new", public_id=done.value.public_id)
    return render(
        request,
        "volunteers/lead/task_form.html",
        {"team": team, "form": form},
        status=400 if form.errors else 200,
    )


@leader_page
def shift_new(request, public_id):
    task = selectors.task_for_leader(request.user, public_id)
    form = ShiftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        start, end = form.moments()
        done = call_for_form(
            form,
            services.shift_open,
            actor=request.user,
            task=task,
            start=start,
            end=end,
            places=form.cleaned_data["places"],
        )
        if done.ok:
            messages.success(
                request,
                _("Shift opened: %(when)s. Members can sign up now.")
                % {"when": f"{timezone.localtime(start):%Y-%m-%d %H:%M}–{_clock(end)}"},
            )
            return redirect("volunteers_lead:team", public_id=task.team.public_id)
    return render(
        request,
        "volunteers/lead/shift_form.html",
        {"task": task, "team": task.team, "form": form},
        status=400 if form.errors else 200,
    )


def _result(kind: str, text: str) -> dict:
    return {"kind": kind, "text": text}


def _desk(request, shift, *, form=None, result=None, status=200):
    rows = selectors.shift_desk(shift)
    return render(
        request,
        "volunteers/lead/shift.html",
        {
            "shift": shift,
            "task": shift.task,
            "team": shift.task.team,
            "rows": rows,
            "checked_in": sum(1 for r in rows if r.check_in),
            "form": form or CodeForm(),
            "result": result,
            "open": selectors.shift_check_in_open(shift),
            "cancelled": shift.activity.status == "cancelled",
            "scan_prefix": reverse("staff_activities:scan_token", args=["x"])[:-2],
        },
        status=status,
    )


@leader_page
def shift(request, public_id):
    return _desk(request, selectors.shift_for_leader(request.user, public_id))


def _checked_in(request, shift, code: str) -> dict:
    done = attempt(services.shift_check_in, actor=request.user, shift=shift, code=code)
    if not done.ok:
        return _result("error", str(done.error.message))
    entry, created = done.value
    name = _name(entry.registration.person)
    if created:
        return _result("ok", _("✔ %(name)s checked in") % {"name": name})
    return _result(
        "again",
        _("%(name)s was already checked in at %(time)s.")
        % {"name": name, "time": _clock(entry.checked_in_at)},
    )


@leader_page
@require_POST
def check_in(request, public_id):
    """Check in by the six-letter code typed, or the address a scanned QR code holds."""
    shift = selectors.shift_for_leader(request.user, public_id)
    form = CodeForm(request.POST)
    if not form.is_valid():
        return _desk(request, shift, form=form, status=400)
    result = _checked_in(request, shift, form.cleaned_data["code"])
    return _desk(request, shift, result=result, status=400 if result["kind"] == "error" else 200)


@leader_page
@require_POST
def check_in_photo(request, public_id):
    """A photo of a personal QR code, from a phone whose browser cannot read codes with the
    camera (iPhone Safari, WeChat): read on the server, then the same check-in as a scan. A
    body far larger than a photo may be is refused before it is read."""
    shift = selectors.shift_for_leader(request.user, public_id)
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdigit() or int(length) > core_codes.QR_PHOTO_MAX_BYTES + 64 * 1024:
        mb = core_codes.QR_PHOTO_MAX_BYTES // 2**20
        result = _result("error", _("The photo may be at most %(mb)d MB.") % {"mb": mb})
        return _desk(request, shift, result=result, status=400)
    read = attempt(core_codes.qr_texts_from_photo, upload=request.FILES.get("photo"))
    if not read.ok:
        return _desk(request, shift, result=_result("error", str(read.error.message)), status=400)
    result = None
    for text in read.value:  # a photo may hold several codes: the first of this shift counts
        result = _checked_in(request, shift, text)
        if result["kind"] != "error":
            break
    return _desk(request, shift, result=result, status=400 if result["kind"] == "error" else 200)


@leader_page
@require_POST
def check_out(request, public_id):
    """Check out by code; the hours are credited at once when they count."""
    shift = selectors.shift_for_leader(request.user, public_id)
    form = CodeForm(request.POST)
    if not form.is_valid():
        return _desk(request, shift, form=form, status=400)
    done = attempt(
        services.shift_check_out, actor=request.user, shift=shift, code=form.cleaned_data["code"]
    )
    if not done.ok:
        return _desk(request, shift, result=_result("error", str(done.error.message)), status=400)
    entry = done.value
    minutes = selectors.credited_minutes(entry)
    words = {"name": _name(entry.registration.person), "time": _clock(entry.checked_out_at)}
    if minutes:
        words["hours"] = _hours(minutes)
        text = _("✔ %(name)s checked out at %(time)s: %(hours)s h credited.") % words
    else:
        words["share"] = round(rules.credit_min_share() * 100)
        text = (
            _(
                "%(name)s checked out at %(time)s: under %(share)d%% of the shift, "
                "no hours credited."
            )
            % words
        )
    return _desk(request, shift, result=_result("ok" if minutes else "again", text))


@leader_page
def shift_cancel(request, public_id):
    shift = selectors.shift_for_leader(request.user, public_id)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = call_for_form(
            form,
            services.shift_cancel,
            actor=request.user,
            shift=shift,
            reason=form.cleaned_data["reason"],
        )
        if done.ok:
            messages.success(request, _("The shift is called off; everyone signed up is told."))
            return redirect("volunteers_lead:team", public_id=shift.task.team.public_id)
    return render(
        request,
        "volunteers/lead/shift_cancel.html",
        {"shift": shift, "team": shift.task.team, "form": form},
        status=400 if form.errors else 200,
    )


@leader_page
def shift_assign(request, public_id):
    shift = selectors.shift_for_leader(request.user, public_id)
    team = shift.task.team
    form = MemberForm(request.POST or None, members=selectors.team_members(team))
    if request.method == "POST" and form.is_valid():
        person = selectors.team_member(team, form.cleaned_data["member"])
        if person is None:
            form.add_error("member", _("Choose a member of the team from the list."))
        else:
            done = attempt(services.shift_assign, actor=request.user, shift=shift, person=person)
            if done.ok:
                registration = done.value
                if registration.status == "waitlisted":
                    text = _("%(name)s is on the waiting list of the shift.")
                else:
                    text = _("%(name)s has a place on the shift.")
                messages.success(request, text % {"name": _name(person)})
                return redirect("volunteers_lead:shift", public_id=shift.public_id)
            form.add_error("member", str(done.error.message))
    return render(
        request,
        "volunteers/lead/shift_assign.html",
        {"shift": shift, "team": team, "form": form},
        status=400 if form.errors else 200,
    )


# --- honour hours -------------------------------------------------------------------------


def _decision_prefix(public_id) -> str:
    return f"d{public_id.hex}"


def _honour_page(request, team, *, posted=None, status=200):
    claims = selectors.honour_waiting(request.user, team)
    for claim in claims:
        prefix = _decision_prefix(claim.public_id)
        claim.form = posted if posted and posted.prefix == prefix else DecisionForm(prefix=prefix)
        claim.extension = EXTENSIONS.get(claim.evidence_type, "")
        claim.hours = _hours(claim.minutes)
    return render(
        request,
        "volunteers/lead/honour.html",
        {"team": team, "claims": claims},
        status=status,
    )


@leader_page
def honour(request, public_id):
    return _honour_page(request, selectors.team_for_leader(request.user, public_id))


@leader_page
def honour_new(request, public_id):
    team = selectors.team_for_leader(request.user, public_id)
    members = selectors.team_members(team)
    form = HonourForm(
        request.POST or None,
        request.FILES or None,
        members=members,
        initial={"day": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = selectors.team_member(team, data["member"])
        if person is None:
            form.add_error("member", _("Choose a member of the team from the list."))
        else:
            done = call_for_form(
                form,
                services.honour_enter,
                actor=request.user,
                team=team,
                person=person,
                day=data["day"],
                minutes=data["total_minutes"],
                reason=data["reason"],
                evidence=data["evidence"],
            )
            if done.ok:
                messages.success(
                    request,
                    _(
                        "Honour hours entered for %(name)s: another leader of the team or "
                        "staff approve them."
                    )
                    % {"name": _name(person)},
                )
                return redirect("volunteers_lead:honour", public_id=team.public_id)
    return render(
        request,
        "volunteers/lead/honour_form.html",
        {"team": team, "form": form},
        status=400 if form.errors else 200,
    )


@leader_page
@require_POST
def honour_decide(request, public_id):
    claim = selectors.honour_claim_for_leader(request.user, public_id)
    form = DecisionForm(request.POST, prefix=_decision_prefix(claim.public_id))
    if form.is_valid():
        approve = request.POST.get("decision") == "approve"
        done = call_for_form(
            form,
            services.honour_decide,
            actor=request.user,
            claim=claim,
            approve=approve,
            note=form.cleaned_data["note"],
        )
        if done.ok:
            words = {"name": _name(claim.person), "hours": _hours(claim.minutes)}
            if approve:
                text = _("Approved: %(hours)s honour hours for %(name)s are in the ledger.")
            else:
                text = _("Refused: the %(hours)s honour hours for %(name)s.")
            messages.success(request, text % words)
            return redirect("volunteers_lead:honour", public_id=claim.team.public_id)
    return _honour_page(request, claim.team, posted=form, status=400)


@leader_page
def honour_evidence(request, public_id):
    """The evidence file, to the team's leaders and the staff of its region only; never
    cached, a PDF as a download."""
    claim = selectors.honour_claim_for_leader(request.user, public_id)
    extension = EXTENSIONS.get(claim.evidence_type, "bin")
    response = FileResponse(
        claim.evidence.open("rb"),
        content_type=claim.evidence_type or "application/octet-stream",
        as_attachment=extension == "pdf",
        filename=f"evidence-{claim.date:%Y%m%d}.{extension}",
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


# --- corrections, missed check-outs, the ledger ---------------------------------------------


def _corrections_page(request, team, *, posted=None, status=200):
    asked = selectors.corrections_waiting(team)
    for item in asked:
        prefix = _decision_prefix(item.public_id)
        item.form = posted if posted and posted.prefix == prefix else AnswerForm(prefix=prefix)
    return render(
        request,
        "volunteers/lead/corrections.html",
        {"team": team, "asked": asked},
        status=status,
    )


@leader_page
def corrections(request, public_id):
    return _corrections_page(request, selectors.team_for_leader(request.user, public_id))


@leader_page
@require_POST
def correction_answer(request, public_id):
    asked = selectors.correction_for_leader(request.user, public_id)
    form = AnswerForm(request.POST, prefix=_decision_prefix(asked.public_id))
    team = asked.entry.team
    if form.is_valid():
        accept = request.POST.get("decision") == "accept"
        done = call_for_form(
            form,
            services.correction_answer,
            actor=request.user,
            request=asked,
            accept=accept,
            answer=form.cleaned_data["note"],
        )
        if done.ok:
            words = {"name": _name(asked.person)}
            if accept:
                text = _("Corrected as %(name)s asked; they can see it on their page.")
            else:
                text = _("Answered: %(name)s can read why on their page.")
            messages.success(request, text % words)
            return redirect("volunteers_lead:corrections", public_id=team.public_id)
    return _corrections_page(request, team, posted=form, status=400)


def _missed_page(request, team, *, posted=None, status=200):
    missed = selectors.missed_waiting(team)
    for item in missed:
        prefix = f"m{item.check_in_id}"
        item.form = posted if posted and posted.prefix == prefix else LeftForm(prefix=prefix)
    return render(
        request,
        "volunteers/lead/missed.html",
        {"team": team, "missed": missed},
        status=status,
    )


@leader_page
def missed(request, public_id):
    return _missed_page(request, selectors.team_for_leader(request.user, public_id))


@leader_page
@require_POST
def missed_confirm(request, registration):
    missed = selectors.missed_for_leader_by_registration(request.user, registration)
    team = missed.shift.task.team
    form = LeftForm(request.POST, prefix=f"m{missed.check_in_id}")
    if form.is_valid():
        done = call_for_form(
            form,
            services.missed_check_out_confirm,
            actor=request.user,
            missed=missed,
            left=form.moment(missed.shift),
        )
        if done.ok:
            entry = done.value
            words = {"name": _name(missed.person)}
            if entry is not None:
                words["hours"] = _hours(entry.minutes)
                text = _("Confirmed: %(hours)s h credited to %(name)s.")
            else:
                text = _("Confirmed: %(name)s stayed too short a time for hours to count.")
            messages.success(request, text % words)
            return redirect("volunteers_lead:missed", public_id=team.public_id)
    return _missed_page(request, team, posted=form, status=400)


@leader_page
def ledger(request, public_id):
    team = selectors.team_for_leader(request.user, public_id)
    page = Paginator(selectors.team_ledger_newest(team), LEDGER_PAGE).get_page(
        request.GET.get("page")
    )
    entries = list(page.object_list)
    corrected = selectors.corrected_entry_ids(entries)
    for entry in entries:
        entry.hours_shown = _hours(abs(entry.minutes))
        entry.may_correct = entry.minutes > 0 and entry.pk not in corrected
    return render(
        request,
        "volunteers/lead/ledger.html",
        {"team": team, "page": page, "entries": entries},
    )


@leader_page
def entry_correct(request, public_id):
    entry = selectors.entry_for_leader(request.user, public_id)
    form = CorrectForm(request.POST or None, initial={"minutes": entry.minutes})
    if request.method == "POST" and form.is_valid():
        done = call_for_form(
            form,
            services.entry_correct,
            actor=request.user,
            entry=entry,
            minutes=form.cleaned_data["minutes"],
            reason=form.cleaned_data["reason"],
        )
        if done.ok:
            messages.success(
                request,
                _("Line #%(number)d corrected: a reversal and, unless 0, its replacement.")
                % {"number": entry.pk},
            )
            return redirect("volunteers_lead:ledger", public_id=entry.team.public_id)
    return render(
        request,
        "volunteers/lead/entry_correct.html",
        {
            "entry": entry,
            "team": entry.team,
            "form": form,
            "hours": _hours(entry.minutes),
            "team_name": loc(entry.team),
        },
        status=400 if form.errors else 200,
    )
