from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "huitoukan.documents"
    label = "documents"
    verbose_name = "公文"
