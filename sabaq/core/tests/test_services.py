"""The audit log writer and its helpers."""

import datetime

from sabaq.core import services
from sabaq.core.models import AuditEntry
from sabaq.core.services import (
    audit_action_label,
    audit_actions_register,
    audit_record,
    snapshot,
)


def test_audit_record_keeps_who_what_where_and_the_change(demo):
    actor = demo.people["director"]
    target = demo.people["student_aruzhan"]

    entry = audit_record(
        actor=actor,
        action="accounts.person_update",
        school=demo.organisations["urban"],
        target=target,
        before={"phone": ""},
        after={"phone": "+77012345678"},
    )

    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.actor == actor
    assert entry.school == demo.organisations["urban"]
    assert entry.target_type == "accounts.user"
    assert entry.target_id == str(target.pk)
    assert entry.target_repr == target.full_name
    assert entry.before == {"phone": ""}
    assert entry.after == {"phone": "+77012345678"}
    assert entry.created_at is not None


def test_audit_record_without_actor_or_target_is_kept_as_done_by_sabaq(db):
    entry = audit_record(actor=None, action="accounts.login_locked")

    assert entry.actor is None
    assert entry.school is None
    assert (entry.target_type, entry.target_id, entry.target_repr) == ("", "", "")
    assert entry.before is None
    assert entry.after is None


def test_audit_record_cuts_a_long_object_name_to_the_column(demo):
    person = demo.people["class_teacher"]
    person.surname = "Ұ" * 300

    entry = audit_record(actor=None, action="accounts.person_update", target=person)

    assert len(entry.target_repr) == 200


def test_snapshot_turns_related_objects_into_ids_and_values_into_json(demo):
    organisation = demo.organisations["urban"]
    organisation.created_at = datetime.datetime(2025, 9, 1, 8, 0, tzinfo=datetime.UTC)

    values = snapshot(organisation, ["parent", "name_kk", "created_at", "address"])

    assert values == {
        "parent": demo.organisations["district"].pk,
        "name_kk": organisation.name_kk,
        "created_at": "2025-09-01 08:00:00+00:00",
        "address": organisation.address,
    }


def test_snapshot_keeps_none_as_none(demo):
    assert snapshot(demo.organisations["region"], ["parent"]) == {"parent": None}


def test_registered_action_shows_its_label_and_unknown_action_its_code(monkeypatch):
    monkeypatch.setattr(services, "_ACTION_LABELS", dict(services._ACTION_LABELS))
    audit_actions_register({"tests.sample_action": "Sample action"})

    assert audit_action_label("tests.sample_action") == "Sample action"
    assert audit_action_label("tests.never_registered") == "tests.never_registered"
