"""API of volunteers under /api/v1/volunteers/."""

from ninja import Router

router = Router(tags=["volunteers"])
