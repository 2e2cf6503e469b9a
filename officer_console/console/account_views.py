from typing import Any

from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from ..models import PasswordChangeRequired


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "officer_console/password_change.html"
    success_url = reverse_lazy("officer_console:home")

    def form_valid(self, form: Any) -> Any:
        response = super().form_valid(form)
        PasswordChangeRequired.objects.filter(user_id=self.request.user.pk or 0).delete()
        return response
