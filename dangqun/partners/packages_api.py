"""API of service packages: /api/v1/packages (the public list, for_me: the ones that fit
the signed-in caller; a package with its contents) and /api/v1/staff/packages (make,
change, archive, figures of a period), scoped like the pages: a package or region outside
my regions is the same 404 as one that does not exist."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import AuthenticationError

from dangqun.accounts.auth import AUTH, token_auth
from dangqun.core.errors import NotFound, ValidationFailed
from dangqun.core.hours import local
from dangqun.core.schemas import Day
from dangqun.people.decorators import staff_endpoint

from . import packages, packages_read
from .packages_schemas import (
    PackageArchiveIn,
    PackageChangeIn,
    PackageDetailOut,
    PackageFiguresOut,
    PackageIn,
    PackageOut,
    PackageStaffOut,
)

router = Router(tags=["packages"])
staff_router = Router(tags=["packages (staff)"], auth=AUTH)


def _anyone(request) -> bool:
    """Signed in or not: the answer only changes with who asks (for_me)."""
    return True


MAYBE_SIGNED_IN = [token_auth, _anyone]
OPTIONAL_AUTH_DOC = {"security": [{"TokenAuth": []}, {}]}


@router.get(
    "/packages",
    response=list[PackageOut],
    auth=MAYBE_SIGNED_IN,
    openapi_extra=OPTIONAL_AUTH_DOC,
    summary="The service packages offered; for_me: only those whose target groups I am in",
)
def package_list(request, for_me: bool = False):
    if for_me:
        if not request.user.is_authenticated:
            raise AuthenticationError()
        return packages_read.packages_for_person(request.user)
    return list(packages_read.packages_public())


def _entries(package) -> list[dict]:
    return [
        {
            "kind": entry.kind,
            "reference": entry.reference,
            "title": shown.title,
            "url": shown.url,
            "upcoming": [
                {"title": title, "url": url, "start": local(when)}
                for title, url, when in shown.upcoming
            ],
        }
        for pairs in packages_read.contents(package).values()
        for entry, shown in pairs
    ]


@router.get(
    "/packages/{public_id}",
    response=PackageDetailOut,
    summary="A service package with its items, activity kinds (and their upcoming "
    "activities) and spaces",
)
def package_detail(request, public_id: str):
    package = packages_read.package_public(public_id)
    package.entries_shown = _entries(package)
    return package


# --- staff ------------------------------------------------------------------------------------


def _home_region(request, pk):
    if pk is None:
        return None
    try:
        return packages_read.region_for_staff(request.user, pk)
    except NotFound:
        raise ValidationFailed(
            _("Choose a home region within the package's region."), field="home_region"
        ) from None


def _arguments(request, payload: PackageChangeIn) -> dict:
    return {
        "name": payload.name,
        "name_en": payload.name_en,
        "description": payload.description,
        "target_groups": list(payload.target_groups),
        "min_age": payload.min_age,
        "max_age": payload.max_age,
        "home_region": _home_region(request, payload.home_region),
        "entries": [(e.kind, e.reference) for e in payload.entries],
    }


@staff_router.get(
    "/packages", response=list[PackageStaffOut], summary="The service packages of my regions"
)
@staff_endpoint()
def staff_package_list(request):
    return list(packages_read.packages_for_staff(request.user).prefetch_related("entries"))


@staff_router.post(
    "/packages",
    response={201: PackageStaffOut},
    summary="Make a service package of a region of mine (at least one target group)",
)
@staff_endpoint()
def staff_package_create(request, payload: PackageIn):
    region = packages_read.region_for_staff(request.user, payload.region)
    package = packages.package_create(
        actor=request.user, region=region, **_arguments(request, payload)
    )
    return Status(201, package)


@staff_router.get(
    "/packages/{public_id}", response=PackageStaffOut, summary="A service package of mine"
)
@staff_endpoint()
def staff_package_detail(request, public_id: str):
    return packages_read.package_for_staff(request.user, public_id)


@staff_router.put(
    "/packages/{public_id}",
    response=PackageStaffOut,
    summary="Change a service package (the entries given replace its entries)",
)
@staff_endpoint()
def staff_package_update(request, public_id: str, payload: PackageChangeIn):
    package = packages_read.package_for_staff(request.user, public_id)
    return packages.package_update(
        actor=request.user, package=package, **_arguments(request, payload)
    )


@staff_router.post(
    "/packages/{public_id}/archive",
    response=PackageStaffOut,
    summary="Archive a service package (archived: false offers it again)",
)
@staff_endpoint()
def staff_package_archive(request, public_id: str, payload: PackageArchiveIn):
    package = packages_read.package_for_staff(request.user, public_id)
    return packages.package_archive(actor=request.user, package=package, archived=payload.archived)


@staff_router.get(
    "/packages/{public_id}/figures",
    response=PackageFiguresOut,
    summary="How many people of each target group used something from the package from "
    "start to end (both included; the last 30 days by default)",
)
@staff_endpoint()
def staff_package_figures(
    request, public_id: str, start: Day | None = None, end: Day | None = None
):
    package = packages_read.package_for_staff(request.user, public_id)
    end = end or timezone.localdate()
    start = start or end - timedelta(days=29)
    if end < start:
        raise ValidationFailed(_("The last day comes before the first."), field="end")
    result = packages_read.figures(package, start=start, end=end)
    names = dict(packages_read.group_choices())
    return {
        "start": start,
        "end": end,
        "total": result["total"],
        "groups": [
            {"group": tag, "name": names.get(tag, tag), "people": n}
            for tag, n in result["groups"].items()
        ],
    }
