"""The audit log page of a school."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sabaq.accounts import services as account_services
from sabaq.accounts.models import Role
from sabaq.core.tests.factories import AuditEntryFactory

AUDIT_LOG = reverse("core:audit_log")


def test_director_sees_audit_entries_of_their_school(demo, client_as):
    AuditEntryFactory(school=demo.organisations["urban"], target_repr="Urban record")

    response = client_as(demo.membership("director")).get(AUDIT_LOG)

    assert response.status_code == 200
    assert "Urban record" in response.content.decode()


def test_director_never_sees_audit_entries_of_another_school(demo, client_as):
    AuditEntryFactory(school=demo.organisations["rural"], target_repr="Rural record")
    AuditEntryFactory(school=None, target_repr="Platform record")

    response = client_as(demo.membership("director")).get(AUDIT_LOG)

    content = response.content.decode()
    assert "Rural record" not in content
    assert "Platform record" not in content


def test_account_made_in_one_school_appears_only_in_that_schools_log(
    demo, client, client_as
):
    account_services.person_create(
        actor=demo.membership("rural_director"),
        organisation=demo.organisations["rural"],
        role=Role.STUDENT,
        surname="Нұрланов",
        name="Ерболат",
    )

    urban_page = client_as(demo.membership("deputy")).get(AUDIT_LOG)
    rural_page = client_as(demo.membership("rural_deputy")).get(AUDIT_LOG)

    assert "Нұрланов Ерболат" not in urban_page.content.decode()
    assert "Нұрланов Ерболат" in rural_page.content.decode()


def test_audit_log_filtered_by_action_shows_only_that_action(demo, client_as):
    urban = demo.organisations["urban"]
    AuditEntryFactory(
        school=urban, action="accounts.password_reset", target_repr="Reset one"
    )
    AuditEntryFactory(
        school=urban, action="accounts.person_update", target_repr="Updated one"
    )

    response = client_as(demo.membership("director")).get(
        AUDIT_LOG, {"action": "accounts.password_reset"}
    )

    content = response.content.decode()
    assert "Reset one" in content
    assert "Updated one" not in content
    assert [row["entry"].action for row in response.context["rows"]] == [
        "accounts.password_reset"
    ]


def test_audit_log_shows_only_the_fields_that_changed(demo, client_as):
    AuditEntryFactory(
        school=demo.organisations["urban"],
        before={"phone": "", "surname": "Ахметова"},
        after={"phone": "+77012345678", "surname": "Ахметова"},
    )

    response = client_as(demo.membership("director")).get(AUDIT_LOG)

    newest = response.context["rows"][0]
    assert newest["changes"] == [
        {"field": "phone", "before": "", "after": "+77012345678"}
    ]


def _audit_log_queries(client, count: int, school) -> int:
    AuditEntryFactory.create_batch(count, school=school)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(AUDIT_LOG)
    assert response.status_code == 200
    return len(queries)


def test_audit_log_page_query_count_does_not_grow_with_entries(demo, client_as):
    client = client_as(demo.membership("director"))
    urban = demo.organisations["urban"]

    few = _audit_log_queries(client, 3, urban)
    many = _audit_log_queries(client, 30, urban)

    assert many == few
