"""Settings for the test suite: fast hashing, tasks run in place, no e-mail."""

from .base import *  # noqa: F403 (settings modules extend the base namespace)

SECRET_KEY = "test-only-key-not-secret"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests provoke 403s and 404s on purpose; keep the output for real failures.
LOGGING = {
    **LOGGING,  # noqa: F405
    "loggers": {
        "sabaq": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.request": {"level": "ERROR"},
    },
}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
