from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = "민원 접수"

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from forms_catalog.models import FormTemplate, FormVersion

        from . import alerts, scheduled  # noqa: F401  (alerts: signal receivers)
        from .models import Counter, Office
        from .services import forms_changed

        for model in (FormTemplate, FormVersion, Office, Counter):
            post_save.connect(forms_changed, sender=model, dispatch_uid=f"forms_changed_save_{model.__name__}")
            post_delete.connect(forms_changed, sender=model, dispatch_uid=f"forms_changed_delete_{model.__name__}")
        m2m_changed.connect(forms_changed, sender=Office.forms.through, dispatch_uid="forms_changed_m2m")
        scheduled.register()
