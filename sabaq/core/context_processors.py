from sabaq.core.menu import menu


def navigation(request):
    membership = getattr(request, "membership", None)
    if membership is None:
        return {"menu_entries": []}
    current = getattr(request.resolver_match, "view_name", "")
    entries = menu.for_role(membership.role)
    for entry in entries:
        entry["current"] = entry["url_name"] == current
    return {"menu_entries": entries}
