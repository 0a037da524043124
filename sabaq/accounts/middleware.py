from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

from sabaq.accounts.selectors import membership_for_session


class PersonLanguageMiddleware:
    """Show a logged-in person the site in the language they chose."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


class ActiveMembershipMiddleware:
    """Put the active membership (school and role) on `request.membership`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = membership_for_session(request)
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """Send someone with a first password to change it before anything else."""

    ALLOWED_URL_NAMES = {
        "accounts:password_change",
        "accounts:logout",
        "accounts:language_set",
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not (user.is_authenticated and user.must_change_password):
            return None
        if request.resolver_match.view_name in self.ALLOWED_URL_NAMES:
            return None
        if request.path.startswith(("/api/", "/static/")):
            return None
        return redirect(reverse("accounts:password_change"))
