"""Reading a school's audit log."""

from sabaq.core.selectors import audit_actions_used, audit_entries
from sabaq.core.tests.factories import AuditEntryFactory


def test_school_admin_reads_only_entries_of_their_school(demo):
    urban, rural = demo.organisations["urban"], demo.organisations["rural"]
    own = AuditEntryFactory(school=urban)
    other = AuditEntryFactory(school=rural)
    platform_wide = AuditEntryFactory(school=None)

    entries = list(audit_entries(actor=demo.membership("director")))

    assert own in entries
    assert other not in entries
    assert platform_wide not in entries
    assert {entry.school_id for entry in entries} == {urban.pk}


def test_audit_entries_come_newest_first(demo):
    urban = demo.organisations["urban"]
    older = AuditEntryFactory(school=urban)
    newer = AuditEntryFactory(school=urban)

    entries = list(audit_entries(actor=demo.membership("deputy")))

    assert entries.index(newer) < entries.index(older)


def test_audit_entries_filtered_by_action_hold_only_that_action(demo):
    urban = demo.organisations["urban"]
    AuditEntryFactory(school=urban, action="accounts.password_reset")

    entries = audit_entries(
        actor=demo.membership("director"), action="accounts.password_reset"
    )

    assert entries.exists()
    assert set(entries.values_list("action", flat=True)) == {"accounts.password_reset"}


def test_actions_used_lists_each_action_of_the_school_once_in_order(demo):
    AuditEntryFactory(school=demo.organisations["rural"], action="tests.rural_only")

    actions = audit_actions_used(actor=demo.membership("director"))

    assert actions == sorted(set(actions))
    assert "accounts.person_create" in actions
    assert "tests.rural_only" not in actions
