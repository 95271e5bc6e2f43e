"""Sign-in pages: SMS code for everyone, password for staff; one's own profile and tokens."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangqun.core.forms import call_for_form
from dangqun.core.redirects import safe_next
from dangqun.people import access
from dangqun.people import services as people_services
from dangqun.people.identity import mask_mobile

from . import forms, selectors, services

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
    """The page the person came from, when one was given (and is on this site)."""
    return safe_next(request, "")


def _landing(request, person) -> str:
    """Where a person goes once signed in. A new person first gives their name (the profile
    step keeps `next`); then the page they came from; without one (or with the home page,
    where every header link starts), staff go to the back office and others home."""
    target = _next_url(request)
    if not person.name:
        query = f"?{urlencode({'next': target})}" if target else ""
        return f"{reverse('accounts:profile')}{query}"
    if target and target != "/":
        return target
    return reverse("staff:home") if access.is_staff(person) else "/"


def _sign_in(request, person) -> None:
    login(request, person, backend=BACKEND)


def sign_in(request):
    """Step 1: the mobile number; a code goes out by SMS."""
    form = forms.MobileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sent = call_for_form(
            form,
            services.sign_in_code_send,
            mobile=form.cleaned_data["mobile"],
            ip=client_ip(request),
        )
        if sent.ok:
            request.session["sign_in_mobile"] = form.cleaned_data["mobile"]
            target = _next_url(request)
            query = f"?{urlencode({'next': target})}" if target else ""
            return redirect(f"{reverse('accounts:sign_in_code')}{query}")
    return render(request, "accounts/sign_in.html", {"form": form, "next": _next_url(request)})


def sign_in_code(request):
    """Step 2: the code from the message (and, for a new account, consent)."""
    mobile = request.session.get("sign_in_mobile")
    if not mobile:
        return redirect("accounts:sign_in")
    form = forms.CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verified = call_for_form(
            form,
            services.sign_in_code_verify,
            mobile=mobile,
            code=form.cleaned_data["code"],
            consent=form.cleaned_data["consent"],
        )
        if verified.ok:
            person = verified.value
            request.session.pop("sign_in_mobile", None)
            _sign_in(request, person)
            return redirect(_landing(request, person))
    return render(
        request,
        "accounts/sign_in_code.html",
        {"form": form, "masked_mobile": mask_mobile(mobile), "next": _next_url(request)},
    )


def sign_in_password(request):
    form = forms.PasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        signed = call_for_form(
            form,
            services.password_sign_in,
            mobile=form.cleaned_data["mobile"],
            password=form.cleaned_data["password"],
            ip=client_ip(request),
        )
        if signed.ok:
            _sign_in(request, signed.value)
            return redirect(_landing(request, signed.value))
    return render(
        request, "accounts/sign_in_password.html", {"form": form, "next": _next_url(request)}
    )


@require_POST
def sign_out(request):
    logout(request)
    return redirect("home")


@login_required
def profile(request):
    """One's own profile. The first time (no name yet) it is the step between signing in
    and the page the person was going to: it says why it asks, and `next` goes on."""
    person = request.user
    first_time = not person.name
    target = _next_url(request)
    form = forms.ProfileForm(request.POST or None, initial=forms.ProfileForm.initial_for(person))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = call_for_form(
            form,
            people_services.person_profile_save,
            actor=person,
            person=person,
            name=data["name"],
            birth_date=data["birth_date"],
            home_region=data["home_region"],
            resident_id=data["resident_id"] or None,
            tags=form.tags_with_details(),
        )
        if saved.ok:
            messages.success(request, _("Your profile is saved."))
            return redirect(target or "accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "person": person, "first_time": first_time, "next": target},
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
    active = selectors.active_tokens(request.user)
    return render(
        request, "accounts/tokens.html", {"form": form, "tokens": active, "new_secret": new_secret}
    )


@login_required
@require_POST
def token_revoke(request, token_id: int):
    token = selectors.active_token(request.user, pk=token_id)
    if token is None:
        raise Http404
    services.api_token_revoke(person=request.user, token=token)
    messages.success(request, _("The token no longer works."))
    return redirect("accounts:tokens")


def privacy(request):
    return render(request, "accounts/privacy.html")
