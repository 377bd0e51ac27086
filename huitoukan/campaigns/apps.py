from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "huitoukan.campaigns"
    label = "campaigns"
