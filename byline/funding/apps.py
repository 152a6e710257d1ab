from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "byline.funding"
    label = "funding"
