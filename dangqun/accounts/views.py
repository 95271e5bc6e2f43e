"""Sign-in pages: SMS code for everyone, password for staff; one's own profile and tokens."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangqun.core.errors import DomainError
from dangqun.core.forms import add_domain_error
from dangqun.people import services as people_services
from dangqun.people.identity import mask_mobile
from dangqun.people.models import PersonTag

from . import forms, services
from .models import ApiToken

BACKEND = "dangqun.accounts.backends.PersonBackend"


def client_ip(request: HttpRequest) -> str | None:
    """The address limits count against. Behind the proxy it is the last hop the proxy
    appended; without one, X-Forwarded-For is the client's own word and is ignored."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR") or None


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


def _sign_in(request, person) -> None:
    login(request, person, backend=BACKEND)


def sign_in(request):
    """Step 1: the mobile number; a code goes out by SMS."""
    form = forms.MobileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_in_code_send(mobile=form.cleaned_data["mobile"], ip=client_ip(request))
        except DomainError as error:
            add_domain_error(form, error)
        else:
            request.session["sign_in_mobile"] = form.cleaned_data["mobile"]
            query = urlencode({"next": _next_url(request)})
            return redirect(f"{reverse('accounts:sign_in_code')}?{query}")
    return render(request, "accounts/sign_in.html", {"form": form, "next": _next_url(request)})


def sign_in_code(request):
    """Step 2: the code from the message (and, for a new account, consent)."""
    mobile = request.session.get("sign_in_mobile")
    if not mobile:
        return redirect("accounts:sign_in")
    form = forms.CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.sign_in_code_verify(
                mobile=mobile, code=form.cleaned_data["code"], consent=form.cleaned_data["consent"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            request.session.pop("sign_in_mobile", None)
            _sign_in(request, person)
            return redirect(_next_url(request) if person.name else "accounts:profile")
    return render(
        request,
        "accounts/sign_in_code.html",
        {"form": form, "masked_mobile": mask_mobile(mobile), "next": _next_url(request)},
    )


def sign_in_password(request):
    form = forms.PasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.password_sign_in(
                mobile=form.cleaned_data["mobile"],
                password=form.cleaned_data["password"],
                ip=client_ip(request),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            _sign_in(request, person)
            return redirect(_next_url(request))
    return render(
        request, "accounts/sign_in_password.html", {"form": form, "next": _next_url(request)}
    )


@require_POST
def sign_out(request):
    logout(request)
    return redirect("home")


def _profile_initial(person) -> dict:
    tags = list(person.tags.all())
    details = {t.tag: t for t in tags}
    party = details.get("party_member") or details.get("mobile_party_member")
    worker = details.get("new_employment")
    return {
        "name": person.name,
        "birth_date": person.birth_date,
        "home_region": person.home_region,
        "tags": [t.tag for t in tags],
        "home_branch": party.home_branch if party else "",
        "trade": worker.trade if worker else "",
        "platform": worker.platform if worker else "",
    }


@login_required
def profile(request):
    person = request.user
    form = forms.ProfileForm(request.POST or None, initial=_profile_initial(person))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            people_services.person_profile_save(
                actor=person,
                person=person,
                name=data["name"],
                birth_date=data["birth_date"],
                home_region=data["home_region"],
                resident_id=data["resident_id"] or None,
                tags=form.tags_with_details(),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "person": person, "tag_choices": PersonTag.Tag.choices},
    )


@login_required
def tokens(request):
    form = forms.TokenForm(request.POST or None)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        _token, new_secret = services.api_token_create(
            person=request.user, name=form.cleaned_data["name"]
        )
        form = forms.TokenForm()
    services.token_uses.flush()  # this process's latest uses, so the list is current
    active = request.user.api_tokens.filter(revoked_at__isnull=True)
    return render(
        request, "accounts/tokens.html", {"form": form, "tokens": active, "new_secret": new_secret}
    )


@login_required
@require_POST
def token_revoke(request, token_id: int):
    token = get_object_or_404(ApiToken, pk=token_id, person=request.user, revoked_at__isnull=True)
    services.api_token_revoke(person=request.user, token=token)
    messages.success(request, _("The token no longer works."))
    return redirect("accounts:tokens")


def privacy(request):
    return render(request, "accounts/privacy.html")
