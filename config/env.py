"""The one place that reads the process environment.

Every setting that depends on the machine comes from here, so `.env.example`
can list them all and nothing else in the code calls `os.environ`.
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def _load_dotenv(path: Path) -> None:
    # A tiny reader for KEY=VALUE lines; real environment variables win.
    if not path.is_file():
        return
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        os.environ.setdefault(key.strip(), value.strip().strip("'\""))


_load_dotenv(BASE_DIR / ".env")


def text(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def integer(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def items(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in text(name, default).split(",") if part.strip()]


SECRET_KEY = text("SECRET_KEY")
DEBUG = flag("DEBUG", default=False)
ALLOWED_HOSTS = items("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = items("CSRF_TRUSTED_ORIGINS")
DATABASE_URL = text("DATABASE_URL")
REDIS_URL = text("REDIS_URL")
VAR_DIR = Path(text("SABAQ_VAR_DIR", str(BASE_DIR / "var")))
SITE_URL = text("SITE_URL", "http://127.0.0.1:8000")
EMAIL_BACKEND = text("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = text("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = integer("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = text("DEFAULT_FROM_EMAIL", "Sabaq <noreply@sabaq.local>")
LOGIN_LOCK_ATTEMPTS = integer("LOGIN_LOCK_ATTEMPTS", 5)
LOGIN_LOCK_MINUTES = integer("LOGIN_LOCK_MINUTES", 15)
LOG_LEVEL = text("LOG_LEVEL", "INFO")
