from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.shortcuts import redirect
from rest_framework.views import APIView

from sabaq.core.rules import rules

# Nothing is loaded from outside the site: no CDN, no web fonts, no frames.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


def _is_api_view(view_func) -> bool:
    view_class = getattr(view_func, "cls", None)
    return isinstance(view_class, type) and issubclass(view_class, APIView)


class RuleEnforcementMiddleware:
    """Apply the rule book to every page before its view runs.

    API views are left to `core.api.RulePermission`, which reads the same rules
    after DRF has authenticated the request (tokens included).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        rule = rules.get(match.view_name)
        if rule is None:
            raise ImproperlyConfigured(
                f"The URL name {match.view_name!r} has no access rule; declare "
                "one in its app's permissions.py."
            )
        if _is_api_view(view_func):
            return None

        membership = getattr(request, "membership", None)
        authenticated = request.user.is_authenticated
        if rule.grants(
            authenticated=authenticated, role=membership.role if membership else None
        ):
            return None

        if not authenticated:
            return redirect_to_login(request.get_full_path())
        if membership is None:
            return redirect("accounts:role_choose")
        raise PermissionDenied
