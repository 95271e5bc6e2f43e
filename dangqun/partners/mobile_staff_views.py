"""The back office of mobile party members (/staff/mobile-members/): the register of the
staff's regions (names and mobiles masked; a full look asks a reason and is audited),
filtered by status and organisation, with this year's figures; a member's page (status,
what they took part in); temporary organisations; notices; custom service projects with
their members and log. Pages parse, authorise (staff_required and the selectors'
scoping: outside one's regions is a 404), call a service or selector, and render."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangqun.core.errors import NotFound
from dangqun.core.forms import add_domain_error, call_for_form
from dangqun.people import access
from dangqun.people import selectors as people
from dangqun.people.decorators import staff_required

from . import mobile, mobile_read
from .mobile_forms import (
    CounterReportInForm,
    LogForm,
    NoticeForm,
    OrganisationForm,
    ProjectForm,
    ProjectMemberForm,
    RegisterFilterForm,
    RevealForm,
    StatusForm,
)

staff_only = staff_required(roles=access.MANAGERS)
REGISTER_ROWS = 200


def _found(read, *args, **kwargs):
    try:
        return read(*args, **kwargs)
    except NotFound:
        raise Http404 from None


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


def _row(member) -> dict:
    return {"member": member, **mobile_read.masked(member)}


# --- the register ---------------------------------------------------------------------------


@staff_only
def register(request):
    user = request.user
    organisations = list(mobile_read.organisations_for_staff(user))
    form = RegisterFilterForm(request.GET or None, organisations=organisations)
    status, organisation = "", None
    if form.is_bound and form.is_valid():
        status = form.cleaned_data["status"]
        chosen = form.cleaned_data["organisation"]
        organisation = next((o for o in organisations if str(o.public_id) == chosen), None)
    rows = mobile_read.register_for_staff(user, status=status, organisation=organisation)
    context = {
        "form": form,
        "rows": [_row(m) for m in rows[:REGISTER_ROWS]],
        "total": rows.count(),
        "figures": mobile_read.figures(user, year=timezone.localdate().year),
    }
    return render(request, "partners/mobile_staff_register.html", context, status=_status(form))


def _member_page(
    request, member, *, status_form=None, reveal_form=None, log_form=None, revealed=None, status=200
):
    context = {
        "member": member,
        **mobile_read.masked(member),
        "verified": mobile_read.tag_verified(member),
        "report_ins": list(member.report_ins.all()[:20]),
        "participations": list(mobile_read.participations_of(member)[:50]),
        "projects": list(mobile_read.my_projects(member)),
        "status_form": status_form or StatusForm(initial={"status": member.status}),
        "reveal_form": reveal_form or RevealForm(),
        "log_form": log_form or LogForm(),
        "revealed": revealed,
    }
    return render(request, "partners/mobile_staff_member.html", context, status=status)


@staff_only
def member_detail(request, public_id):
    return _member_page(request, _found(mobile_read.member_for_staff, request.user, public_id))


@staff_only
@require_POST
def member_status(request, public_id):
    member = _found(mobile_read.member_for_staff, request.user, public_id)
    form = StatusForm(request.POST)
    if form.is_valid():
        done = call_for_form(
            form,
            mobile.mobile_status_change,
            actor=request.user,
            member=member,
            **form.cleaned_data,
        )
        if done.ok:
            messages.success(request, _("The status is saved."))
            return redirect(reverse("staff_mobile_members:member", args=[member.public_id]))
    return _member_page(request, member, status_form=form, status=400)


@staff_only
@require_POST
def member_reveal(request, public_id):
    member = _found(mobile_read.member_for_staff, request.user, public_id)
    form = RevealForm(request.POST)
    if form.is_valid():
        shown = call_for_form(
            form,
            mobile.mobile_member_reveal,
            actor=request.user,
            member=member,
            reason=form.cleaned_data["reason"],
        )
        if shown.ok:
            return _member_page(request, member, revealed=shown.value)
    return _member_page(request, member, reveal_form=form, status=400)


@staff_only
@require_POST
def member_took_part(request, public_id):
    member = _found(mobile_read.member_for_staff, request.user, public_id)
    form = LogForm(request.POST)
    if form.is_valid():
        done = call_for_form(
            form,
            mobile.participation_record,
            actor=request.user,
            member=member,
            **form.cleaned_data,
        )
        if done.ok:
            messages.success(request, _("Recorded."))
            return redirect(
                reverse("staff_mobile_members:member", args=[member.public_id]) + "#took-part"
            )
    return _member_page(request, member, log_form=form, status=400)


@staff_only
def counter(request):
    """Report a member in at the counter, for one who signed up but cannot do it online."""
    user = request.user
    form = CounterReportInForm(
        request.POST or None,
        regions=mobile_read.regions_for_staff(user),
        organisations=mobile_read.organisations_for_staff(user),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        found = call_for_form(
            form, people.signed_up_person, mobile=data.pop("mobile"), field="mobile"
        )
        region = _pick(form, mobile_read.staff_region_by_id, user, data.pop("region"), "region")
        organisation = _pick(
            form,
            mobile_read.organisation_for_staff_by_pk,
            user,
            data.pop("organisation"),
            "organisation",
        )
        if found.ok and not form.errors:
            done = call_for_form(
                form,
                mobile.mobile_report_in,
                actor=user,
                person=found.value,
                region=region,
                organisation=organisation,
                channel="counter",
                **data,
            )
            if done.ok:
                messages.success(request, _("The member is reported in."))
                return redirect(
                    reverse("staff_mobile_members:member", args=[done.value.member.public_id])
                )
    return render(
        request, "partners/mobile_staff_counter.html", {"form": form}, status=_status(form)
    )


# --- organisations, notices, projects -------------------------------------------------------


def _pick(form, read, user, value, field):
    """The record a choice names, or None with the error beside the field."""
    if not value:
        return None
    try:
        return read(user, value)
    except NotFound:
        form.add_error(field, _("Choose from the list."))
        return None


def _placed(form, user, data: dict):
    """The region and center chosen in `form` (taken out of `data`), among the user's own."""
    region = _pick(form, mobile_read.staff_region_by_id, user, data.pop("region"), "region")
    center = _pick(form, mobile_read.staff_center_by_id, user, data.pop("center"), "center")
    return region, center


@staff_only
def organisations(request):
    user = request.user
    form = OrganisationForm(
        request.POST or None,
        regions=mobile_read.regions_for_staff(user),
        centers=access.centers_for_staff(user),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        region, center = _placed(form, user, data)
        if not form.errors:
            done = call_for_form(
                form, mobile.organisation_create, actor=user, region=region, center=center, **data
            )
            if done.ok:
                messages.success(request, _("The organisation is set up."))
                return redirect(reverse("staff_mobile_members:organisations"))
    context = {"form": form, "organisations": mobile_read.organisations_for_staff(user)}
    return render(
        request, "partners/mobile_staff_organisations.html", context, status=_status(form)
    )


@staff_only
def notices(request):
    user = request.user
    organisations_list = list(mobile_read.organisations_for_staff(user))
    regions = list(mobile_read.regions_for_staff(user))
    form = NoticeForm(request.POST or None, organisations=organisations_list, regions=regions)
    if request.method == "POST" and form.is_valid():
        kind, _sep, pk = form.cleaned_data["to"].partition(":")
        target = {}
        if kind == "organisation":
            target["organisation"] = next(o for o in organisations_list if str(o.pk) == pk)
        else:
            target["region"] = next(r for r in regions if str(r.pk) == pk)
        done = call_for_form(
            form,
            mobile.notice_send,
            actor=user,
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
            **target,
        )
        if done.ok:
            messages.success(request, _("The notice is sent."))
            return redirect(reverse("staff_mobile_members:notices"))
    context = {"form": form, "notices": mobile_read.notices_for_staff(user)[:100]}
    return render(request, "partners/mobile_staff_notices.html", context, status=_status(form))


@staff_only
def projects(request):
    user = request.user
    form = ProjectForm(
        request.POST or None,
        regions=mobile_read.regions_for_staff(user),
        centers=access.centers_for_staff(user),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        region, center = _placed(form, user, data)
        if not form.errors:
            done = call_for_form(
                form, mobile.project_create, actor=user, region=region, center=center, **data
            )
            if done.ok:
                return redirect(
                    reverse("staff_mobile_members:project", args=[done.value.public_id])
                )
    context = {"form": form, "projects": mobile_read.projects_for_staff(user)}
    return render(request, "partners/mobile_staff_projects.html", context, status=_status(form))


def _label(member) -> str:
    shown = mobile_read.masked(member)
    return f"{shown['name']} · {shown['mobile']}"


def _member_choices(user, project) -> list:
    rows = mobile_read.register_for_staff(user, status="active", region=project.region)
    return [(str(m.public_id), _label(m)) for m in rows]


def _in_project_choices(project) -> list:
    return [(str(m.public_id), _label(m)) for m in project.members.select_related("person")]


def _project_page(request, project, *, add_form=None, log_form=None, status=200):
    user = request.user
    context = {
        "project": project,
        "members": [_row(m) for m in project.members.select_related("person", "organisation")],
        "log": [
            {"entry": e, **mobile_read.masked(e.member)} for e in mobile_read.project_log(project)
        ],
        "add_form": add_form or ProjectMemberForm(members=_member_choices(user, project)),
        "log_form": log_form or LogForm(members=_in_project_choices(project)),
    }
    return render(request, "partners/mobile_staff_project.html", context, status=status)


@staff_only
def project_detail(request, public_id):
    return _project_page(request, _found(mobile_read.project_for_staff, request.user, public_id))


@staff_only
@require_POST
def project_member_add(request, public_id):
    user = request.user
    project = _found(mobile_read.project_for_staff, user, public_id)
    form = ProjectMemberForm(request.POST, members=_member_choices(user, project))
    if form.is_valid():
        try:
            member = mobile_read.member_for_staff(user, form.cleaned_data["member"])
        except NotFound as error:
            error.field = "member"
            add_domain_error(form, error)
        else:
            done = call_for_form(
                form, mobile.project_member_add, actor=user, project=project, member=member
            )
            if done.ok:
                return redirect(reverse("staff_mobile_members:project", args=[project.public_id]))
    return _project_page(request, project, add_form=form, status=400)


@staff_only
@require_POST
def project_log_add(request, public_id):
    user = request.user
    project = _found(mobile_read.project_for_staff, user, public_id)
    form = LogForm(request.POST, members=_in_project_choices(project))
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            member = mobile_read.member_for_staff(user, data.pop("member"))
        except NotFound as error:
            error.field = "member"
            add_domain_error(form, error)
        else:
            done = call_for_form(
                form,
                mobile.participation_record,
                actor=user,
                member=member,
                project=project,
                **data,
            )
            if done.ok:
                return redirect(
                    reverse("staff_mobile_members:project", args=[project.public_id]) + "#log"
                )
    return _project_page(request, project, log_form=form, status=400)
