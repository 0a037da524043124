from django.core.paginator import Paginator
from django.shortcuts import render

from sabaq.core import selectors
from sabaq.core.services import audit_action_label


def _changes(entry) -> list[dict]:
    before = entry.before or {}
    after = entry.after or {}
    return [
        {"field": key, "before": before.get(key), "after": after.get(key)}
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    ]


def audit_log(request):
    actor = request.membership
    action = request.GET.get("action", "")
    page = Paginator(selectors.audit_entries(actor=actor, action=action), 50).get_page(
        request.GET.get("page")
    )
    rows = [
        {
            "entry": entry,
            "label": audit_action_label(entry.action),
            "changes": _changes(entry),
        }
        for entry in page
    ]
    actions = [
        {"code": code, "label": audit_action_label(code)}
        for code in selectors.audit_actions_used(actor=actor)
    ]

    return render(
        request,
        "core/audit_log.html",
        {"page": page, "rows": rows, "actions": actions, "action": action},
    )
