from django.urls import path

from . import consumers

websocket_urlpatterns = [
    path("ws/console/<int:office_id>/", consumers.ConsoleConsumer.as_asgi()),
    path("ws/lobby/<str:token>/", consumers.LobbyConsumer.as_asgi()),
    path("ws/mirror/<int:counter_id>/", consumers.MirrorConsumer.as_asgi()),
]
