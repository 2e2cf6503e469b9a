from .v1 import api

app_name = "api"

# ninja's own patterns: the operations, openapi.json and the docs page.
urlpatterns = api.urls[0]
