from django.contrib.auth.backends import ModelBackend

from sabaq.accounts.services import LoginError, login_verify


class LoginOrIINBackend(ModelBackend):
    """Let `authenticate()` accept a login name or an IIN, with the lockout rules."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        try:
            return login_verify(identifier=username, password=password)
        except LoginError:
            return None
