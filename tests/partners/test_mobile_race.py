"""A person reporting in from two devices at the same moment, over real HTTP, is one member
with two report-ins, never an error; on SQLite and PostgreSQL."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from dangqun.accounts.services import api_token_create
from dangqun.partners import mobile
from dangqun.partners.models import MobileMember, ReportIn
from tests import factories
from tests.races import bearer, together


@pytest.fixture
def tree(race_db, district):
    return district


def test_two_report_ins_at_once_make_one_member(live_server, tree):
    admin = factories.staff("street_admin", tree.xianlin)
    org = mobile.organisation_create(
        actor=admin, name="闲林街道流动党员党支部", kind="branch", region=tree.xianlin
    )
    person = factories.PersonFactory()
    token = api_token_create(person=person, name="race")[1]
    body = json.dumps(
        {
            "home_branch": "某支部",
            "organisation": org.pk,
            "arrived_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        }
    ).encode()
    path = "/api/v1/mobile-members/report-in"
    answers = together(live_server.url, [("POST", path, body, bearer(token))] * 4)
    statuses = sorted(status for status, _body in answers)
    assert all(status in (201, 400) for status in statuses), answers
    assert 201 in statuses
    assert MobileMember.objects.filter(person=person).count() == 1
    assert ReportIn.objects.filter(member__person=person).count() == statuses.count(201)
