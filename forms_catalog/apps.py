from django.apps import AppConfig


class FormsCatalogConfig(AppConfig):
    name = "forms_catalog"
    verbose_name = "서식 관리"
