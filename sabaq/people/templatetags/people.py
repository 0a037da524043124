from django import template

from sabaq.people.permissions import iin_for as _iin_for

register = template.Library()


@register.filter
def iin_for(person, membership) -> str:
    """`{{ person|iin_for:membership }}`: the IIN whole or masked, by role."""
    return _iin_for(membership, person) or "—"
