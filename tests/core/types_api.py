"""A tiny test-only API using every type of core/schemas.py, with the real parser and the
real error handlers, under /api/ (so the API's middleware applies too)."""

from datetime import date, datetime
from typing import Annotated

from django.urls import path
from ninja import Field, NinjaAPI, Router, Schema

from dangqun.api import install_error_handlers
from dangqun.core.input import CheckedParser
from dangqun.core.schemas import (
    Day,
    Id,
    Latitude,
    Limit,
    Longitude,
    Moment,
    MultilineText,
    Offset,
    RequiredText,
    Text,
)

router = Router()


class ThingIn(Schema):
    name: Annotated[RequiredText, Field(max_length=10)]
    nickname: Annotated[Text, Field(max_length=10)] = ""
    note: Annotated[MultilineText, Field(max_length=50)] = ""
    day: Day | None = None
    at: Moment | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    parent: Id | None = None


class ThingOut(Schema):
    name: str
    nickname: str
    note: str
    day: date | None
    at: datetime | None
    latitude: float | None
    longitude: float | None
    parent: int | None


class PageOut(Schema):
    limit: int
    offset: int
    id: int | None


@router.post("/things", response=ThingOut)
def thing_create(request, payload: ThingIn):
    return payload


@router.get("/things", response=PageOut)
def thing_list(request, limit: Limit = 50, offset: Offset = 0, id: Id | None = None):
    return {"limit": limit, "offset": offset, "id": id}


@router.get("/things/{thing_id}", response=PageOut)
def thing_detail(request, thing_id: Id):
    return {"limit": 1, "offset": 0, "id": thing_id}


types_api = NinjaAPI(
    title="types", version="test", urls_namespace="types_api", parser=CheckedParser()
)
install_error_handlers(types_api)
types_api.add_router("/", router)

urlpatterns = [
    path("api/types/", types_api.urls),
]
