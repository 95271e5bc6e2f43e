"""The mobile party member's own page (/mobile-members/, 流动党员报到), for phones: what is
collected and why, reporting in online (the home branch, a contact there, the employer,
the work place, the arrival date, a temporary organisation of the district), one's
report-ins, the notices sent (mark read), the projects and activities one took part in.
Pages parse, authorise (sign-in; a notice that is not one's own is a 404), call a service
or selector, and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangqun.core.errors import NotFound
from dangqun.core.forms import add_domain_error, call_for_form, call_with_message

from . import mobile, mobile_read
from .mobile_forms import ReportInForm


def _initial(person, member) -> dict:
    if member is None:
        return {"name": person.name}
    return {
        "name": person.name,
        "home_branch": member.home_branch,
        "home_contact_name": member.home_contact_name,
        "home_contact_phone": member.home_contact_phone,
        "employer": member.employer,
        "work_place": member.work_place,
        "region": str(member.region_id),
        "organisation": str(member.organisation_id or ""),
        "arrived_on": member.arrived_on,
    }


def _form(person, member, data=None) -> ReportInForm:
    return ReportInForm(
        data,
        initial=_initial(person, member),
        regions=mobile_read.regions_to_choose(),
        organisations=mobile_read.organisations_to_choose(),
    )


def _page(request, *, form=None, status=200):
    member = mobile_read.my_record(request.user)
    context = {
        "member": member,
        "form": form or _form(request.user, member),
        "report_ins": list(mobile_read.my_report_ins(member)[:20]),
        "notices": list(mobile_read.my_notices(member)[:50]),
        "unread": mobile_read.my_unread_count(member),
        "projects": list(mobile_read.my_projects(member)),
        "participations": list(mobile_read.my_participations(member)[:50]),
    }
    return render(request, "partners/mobile.html", context, status=status)


@login_required
def home(request):
    return _page(request)


@login_required
@require_POST
def report_in(request):
    member = mobile_read.my_record(request.user)
    form = _form(request.user, member, request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            chosen_region = data.pop("region")
            region = mobile_read.region_by_id(chosen_region) if chosen_region else None
            chosen = data.pop("organisation")
            organisation = mobile_read.organisation_by_id(chosen) if chosen else None
        except NotFound as error:
            add_domain_error(form, error)
        else:
            done = call_for_form(
                form,
                mobile.mobile_report_in,
                actor=request.user,
                person=request.user,
                region=region,
                organisation=organisation,
                **data,
            )
            if done.ok:
                messages.success(request, _("You have reported in. Thank you."))
                return redirect(reverse("mobile_members:home"))
    return _page(request, form=form, status=400)


@login_required
@require_POST
def notice_read(request, pk):
    if mobile_read.my_record(request.user) is None:
        raise Http404
    done = call_with_message(
        request, mobile.mobile_notice_read, person=request.user, delivery_id=pk
    )
    if not done.ok and isinstance(done.error, NotFound):
        raise Http404
    return redirect(f"{reverse('mobile_members:home')}#notices")
