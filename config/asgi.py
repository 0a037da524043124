"""ASGI entry point: plain HTTP now; live lessons add websocket routes."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

django_application = get_asgi_application()

from channels.routing import ProtocolTypeRouter  # noqa: E402 (needs Django set up)

application = ProtocolTypeRouter({"http": django_application})
