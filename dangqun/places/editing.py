"""Back-office saves that take several writes at once: a center or a space with its photo,
all of it or nothing (a refused photo leaves the record as it was)."""

from django.db import transaction

from . import services
from .models import Region, ServiceCenter, Space


@transaction.atomic
def center_save(
    *,
    actor,
    data: dict,
    photo=None,
    center: ServiceCenter | None = None,
    region: Region | None = None,
) -> ServiceCenter:
    """Create a center in `region` (no `center` given) or update `center`; then its photo."""
    if center is None:
        center = services.center_create(actor=actor, region=region, data=data)
    else:
        services.center_update(actor=actor, center=center, data=data)
    if photo:
        services.center_set_photo(actor=actor, center=center, upload=photo)
    return center


@transaction.atomic
def space_save(
    *, actor, center: ServiceCenter, data: dict, photo=None, space: Space | None = None
) -> Space:
    """Create a space of `center` (no `space` given) or update `space`; then its photo."""
    if space is None:
        space = services.space_create(actor=actor, center=center, data=data)
    else:
        services.space_update(actor=actor, space=space, data=data)
    if photo:
        services.space_set_photo(actor=actor, space=space, upload=photo)
    return space
