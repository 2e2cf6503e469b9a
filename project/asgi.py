import gc
import os
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

# Django must be set up before anything imports models (consumers do).
django.setup(set_prefix=False)

from project.handlers import SyncChainASGIHandler  # noqa: E402

django_asgi_app = SyncChainASGIHandler()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402

from intake.routing import websocket_urlpatterns as intake_websockets  # noqa: E402
from officer_console.console.routing import websocket_urlpatterns  # noqa: E402

http_app: Any = django_asgi_app
if settings.SERVE_STATIC:
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    http_app = ASGIStaticFilesHandler(django_asgi_app)

application = ProtocolTypeRouter(
    {
        "http": http_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns + intake_websockets))
        ),
    }
)

# The collector, tuned for a server with many requests in flight
# (docs/PRODUCTION.md, "Garbage collection"):
# - A young generation of 10,000 objects instead of 700: at 700 it was
#   collected several times per request, promoting the live objects of the
#   requests in flight; the old generation filled with soon-dead objects and
#   full collections came every few seconds, each stopping the event loop and
#   every socket of the process for up to 100-190 ms (55-66 ms now).
# - Everything loaded by now (Django, the models, the apps) lives as long as
#   the process: frozen, full collections no longer scan those ~100,000
#   objects.
gc.set_threshold(10_000, 20, 10)
gc.collect()
gc.freeze()
