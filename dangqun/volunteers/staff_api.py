"""Staff API of volunteers under /api/v1/staff/volunteers/."""

from ninja import Router

router = Router(tags=["volunteers (staff)"])
