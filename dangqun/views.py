"""Pages of the shell: home, the back office's home (it links every app), language and
text-size choices, health check."""

from pathlib import Path

from django.conf import settings
from django.db import connection
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.translation import check_for_language
from django.views.decorators.http import require_POST

from dangqun.bookings import selectors as bookings
from dangqun.charging import selectors as charging
from dangqun.core.redirects import safe_next
from dangqun.intake import selectors as intake
from dangqun.partners import packages_read
from dangqun.people import access
from dangqun.people.decorators import staff_required
from dangqun.places import selectors as places


def home(request):
    # Service packages: those that fit the signed-in person first ("for you"), then the
    # district's others (all of them for a visitor).
    packages_mine, packages_others = packages_read.packages_for_home(request.user)
    return render(
        request,
        "home.html",
        {
            "packages_mine": packages_mine,
            "packages_others": packages_others,
            "streets": places.streets(),
            "centers": places.centers_public()[:6],
            "kinds": places.space_kinds_offered(),
        },
    )


def _waiting(user) -> dict[str, int]:
    """What waits for this member of staff, counted in their centers and regions by each
    capability's selectors (the same scoping as the lists the links open)."""
    return {
        "bookings": bookings.pending_count_for_staff(user),
        **intake.waiting_counts_for_staff(user),
        "faults": charging.open_fault_count_for_staff(user),
    }


def menu(request):
    """Every destination of the site on one page: the tab bar's "Me" on a phone, where the
    header shows only five destinations."""
    return render(request, "menu.html")


@staff_required
def staff_home(request):
    """The back office's home: what waits for me (with counts and links), my roles, the
    tools my roles open, the centers in my regions. Center staff see their center's work;
    the district's and streets' tools (roles, regions, working days, coverage, kinds of
    space) are shown to admins only."""
    user = request.user
    manager = access.has_role(user, access.MANAGERS)
    return render(
        request,
        "staff_home.html",
        {
            "roles": access.roles_of(user),
            "centers": access.scope(user, places.centers()),
            "waiting": _waiting(user) if manager else None,
            "may_see_people": manager,
            "may_grant": access.has_role(user, access.ADMINS),
        },
    )


def _back(request) -> str:
    return safe_next(request, "/", referer=True)


@require_POST
def set_language(request):
    """Remember the language in a cookie, and on the account of a signed-in person."""
    response = HttpResponseRedirect(_back(request))
    code = request.POST.get("language", "")
    if check_for_language(code) and code in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=settings.LANGUAGE_COOKIE_SECURE,
        )
        if request.user.is_authenticated and request.user.language != code:
            request.user.language = code
            request.user.save(update_fields=["language"])
    return response


@require_POST
def set_text_size(request):
    """The elder-friendly large-text mode (适老化), kept in a cookie."""
    response = HttpResponseRedirect(_back(request))
    size = "large" if request.POST.get("size") == "large" else "normal"
    response.set_cookie(
        "dq_text",
        size,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
    )
    return response


def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            ok = cursor.fetchone()[0] == 1
    except Exception as error:  # the point is to report any failure, not to raise it
        return JsonResponse(
            {"status": "error", "database": "down", "error": type(error).__name__}, status=503
        )
    return JsonResponse(
        {
            "status": "ok" if ok else "error",
            "database": "ok" if ok else "down",
            "vendor": connection.vendor,
        }
    )


PUBLIC_MEDIA = ("centers/", "spaces/")


def public_media(request, path: str):
    """Photos of centers and spaces are public; nothing else under MEDIA_ROOT is served."""
    if not path.startswith(PUBLIC_MEDIA):
        raise Http404
    root = Path(settings.MEDIA_ROOT).resolve()
    file = (root / path).resolve()
    inside = file.relative_to(root).as_posix() if file.is_relative_to(root) else ""
    if not inside.startswith(PUBLIC_MEDIA) or not file.is_file():
        raise Http404
    response = FileResponse(file.open("rb"))
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
