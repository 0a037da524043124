"""API plumbing shared by every app: rule-based permission and one error shape.

Errors always answer `{"message": "...", "details": {...}}`, the message a
whole sentence in the caller's language.
"""

from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import permissions
from rest_framework.response import Response

from sabaq.core.errors import ApplicationError
from sabaq.core.rules import rules


class RulePermission(permissions.BasePermission):
    """Grant an API request exactly what the rule book grants its URL name."""

    def has_permission(self, request, view) -> bool:
        from sabaq.accounts.selectors import membership_for_api_request

        view_name = request.resolver_match.view_name
        rule = rules.get(view_name)
        if rule is None:
            raise ImproperlyConfigured(
                f"The URL name {view_name!r} has no access rule."
            )

        authenticated = bool(request.user and request.user.is_authenticated)
        membership = membership_for_api_request(request) if authenticated else None
        request.membership = membership

        return rule.grants(
            authenticated=authenticated, role=membership.role if membership else None
        )


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        details = exc.message_dict if hasattr(exc, "error_dict") else {}
        message = " ".join(exc.messages)
        return Response({"message": message, "details": details}, status=400)
    if isinstance(exc, ApplicationError):
        return Response({"message": exc.message, "details": exc.details}, status=400)
    if isinstance(exc, Http404):
        return Response({"message": _("Not found."), "details": {}}, status=404)

    # Imported here: DRF loads this module while `rest_framework.views` loads.
    from rest_framework.views import exception_handler as drf_exception_handler

    response = drf_exception_handler(exc, context)
    if response is None:
        return None

    data = response.data
    if isinstance(data, dict) and "detail" in data:
        message = str(data["detail"])
        details: dict = {}
    elif isinstance(data, dict):
        message = _("Some fields are not valid.")
        details = data
    else:
        message = " ".join(str(item) for item in data)
        details = {}
    response.data = {"message": message, "details": details}

    return response
