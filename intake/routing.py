from django.urls import path

from . import consumers

websocket_urlpatterns = [
    path("ws/ticket/<str:token>/", consumers.TicketConsumer.as_asgi()),
]
