"""Where to send a person after an action: the one check of a `next` address."""

from django.utils.http import url_has_allowed_host_and_scheme


def is_safe(request, target: str | None) -> bool:
    """Whether the address stays on this site (no open redirect to somewhere else)."""
    return bool(target) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def safe_next(request, default: str, *, within: str = "", referer: bool = False) -> str:
    """The `next` of the form or the query (or, with `referer`, the page the person came
    from) when it is on this site and begins with `within`; otherwise `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not target and referer:
        target = request.META.get("HTTP_REFERER") or ""
    if is_safe(request, target) and target.startswith(within):
        return target
    return default
