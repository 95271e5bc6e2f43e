"""The OpenAPI document tells the truth: one name per schema, every error status an
operation can answer declared with the error's schema, and a client generated from the
document (openapi-python-client, as an app developer would) signs in and books a space."""

import importlib
import inspect
import json
import pkgutil
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from ninja import Schema

import dangqun
from dangqun.core.geo import SHANGHAI
from tests import factories

DOCUMENT = "/api/v1/openapi.json"


def _document() -> dict:
    response = Client().get(DOCUMENT)
    assert response.status_code == 200
    return response.json()


def _all_schema_classes() -> dict[str, set[str]]:
    """Every ninja Schema of the project, by the name the document gives it."""
    for module in pkgutil.walk_packages(dangqun.__path__, "dangqun."):
        if ".migrations" not in module.name and ".management" not in module.name:
            importlib.import_module(module.name)
    by_name = defaultdict(set)
    pending = list(Schema.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("dangqun."):
            by_name[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    return by_name


@pytest.mark.django_db
def test_no_two_schemas_share_a_name():
    """Ninja names a component after its class: two classes of one name overwrite each
    other in the document (the sign-in body was once documented as the check-in code)."""
    shared = {
        name: sorted(where) for name, where in _all_schema_classes().items() if len(where) > 1
    }
    assert shared == {}


@pytest.mark.django_db
def test_the_sign_in_body_asks_for_the_mobile_number():
    document = _document()
    body = document["paths"]["/api/v1/auth/code"]["post"]["requestBody"]
    ref = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert document["components"]["schemas"][ref]["required"] == ["mobile"]


@pytest.mark.django_db
def test_every_operation_declares_its_errors_with_the_error_schema():
    document = _document()
    error = document["components"]["schemas"]["Error"]
    assert error["required"] == ["code", "message", "field"]
    missing = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            declared = set(operation["responses"])
            needed = {"400", "404", "422", "500"}
            if operation.get("security"):
                needed |= {"401", "403"}
            if method in ("post", "put", "patch", "delete"):
                needed |= {"409"}
            if not needed <= declared:
                missing.append(f"{method.upper()} {path}: {sorted(needed - declared)}")
            content = operation["responses"]["404"]["content"]["application/json"]
            assert content["schema"]["$ref"] == "#/components/schemas/Error"
    assert missing == []


@pytest.mark.django_db
def test_declared_constraints_are_in_the_document():
    schemas = _document()["components"]["schemas"]
    title = schemas["ActivityIn"]["properties"]["title"]
    assert title["maxLength"] == 120
    closes = schemas["ActivityIn"]["properties"]["registration_closes"]
    assert closes["format"] == "date-time"


# --- a generated client -------------------------------------------------------------------


def _generate(document: dict, where) -> object:
    """openapi-python-client's package for the document, imported."""
    source = where / "openapi.json"
    source.write_text(json.dumps(document))
    generator = shutil.which("openapi-python-client") or str(
        Path(sys.executable).with_name("openapi-python-client")
    )
    done = subprocess.run(
        [generator, "generate", "--path", str(source), "--meta", "none", "--overwrite"],
        cwd=where,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    sys.path.insert(0, str(where))
    try:
        return importlib.import_module("dangqun_api_client")
    finally:
        sys.path.remove(str(where))


def _call(package, module: str, *, client, **arguments):
    """Call an operation of the generated package; bodies are built by the generated
    model the operation takes, from a plain dict (so a renamed schema changes nothing)."""
    operation = importlib.import_module(f"dangqun_api_client.api.{module}")
    body = arguments.pop("body", None)
    if body is not None:
        model = inspect.signature(operation.sync_detailed).parameters["body"].annotation
        arguments["body"] = model.from_dict(body)
    return operation.sync_detailed(client=client, **arguments)


@pytest.fixture
def bookable_space(race_db):
    tree = factories.district_tree()
    center = tree.xianlin_center
    center.opening_hours = ["08:00-20:00"] * 7
    center.save()
    return factories.SpaceFactory(center=center, name="创客空间", capacity=20, is_bookable=True)


def test_a_generated_client_signs_in_and_books_a_space(
    live_server, bookable_space, sms_outbox, tmp_path, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    package = _generate(_document(), tmp_path)
    anyone = package.Client(base_url=live_server.url, raise_on_unexpected_status=True)
    mobile = "13912345678"

    sent = _call(
        package, "accounts.dangqun_accounts_api_auth_code", client=anyone, body={"mobile": mobile}
    )
    assert sent.status_code == 200 and sent.parsed.sent is True
    text = next(text for to, text in sms_outbox if to == mobile)
    code = re.search(r"(?<!\d)\d{6}(?!\d)", text).group(0)
    issued = _call(
        package,
        "accounts.dangqun_accounts_api_auth_token",
        client=anyone,
        body={"mobile": mobile, "code": code, "consent": True, "name": "生成的客户端"},
    )
    assert issued.status_code == 201, issued.content
    me = package.AuthenticatedClient(
        base_url=live_server.url, token=issued.parsed.token, raise_on_unexpected_status=True
    )

    day = timezone.localdate() + timedelta(days=2)
    start = datetime.combine(day, time(10), tzinfo=SHANGHAI)
    booked = _call(
        package,
        "bookings.dangqun_bookings_api_booking_create",
        client=me,
        body={
            "space_id": bookable_space.pk,
            "start": start.isoformat(),
            "end": (start + timedelta(hours=1)).isoformat(),
            "purpose": "骑手恳谈会",
            "headcount": 5,
        },
    )
    assert booked.status_code == 201, booked.content
    assert booked.parsed.to_dict()["purpose"] == "骑手恳谈会"

    # A declared error is read as such, not as an unexpected status.
    twice = _call(
        package,
        "bookings.dangqun_bookings_api_booking_create",
        client=me,
        body={
            "space_id": bookable_space.pk,
            "start": start.isoformat(),
            "end": (start + timedelta(hours=1)).isoformat(),
            "purpose": "再订一次",
            "headcount": 5,
        },
    )
    assert twice.status_code == 409
    assert json.loads(twice.content)["code"] == "already_booked"
