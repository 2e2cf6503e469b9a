from django.urls import path

from . import consumers

websocket_urlpatterns = [
    path("ws/console/<int:office_id>/", consumers.ConsoleConsumer.as_asgi()),
]
