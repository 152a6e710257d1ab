from django.urls import path

from byline.funding import report_views, views

app_name = "funding"
# Fixed paths come before <slug>/, so a journalist whose slug is one of
# "thanks", "manage", "newsroom" or "stripe" would be shadowed;
# the journalists app should refuse them as slugs.
urlpatterns = [
    path("", views.support_newsroom, name="support_newsroom"),
    path("thanks/", views.thanks, name="thanks"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("stripe/webhook/", views.stripe_webhook, name="stripe_webhook"),
    path("newsroom/", report_views.dashboard, name="dashboard"),
    path("newsroom/payouts/", report_views.payouts, name="payouts"),
    path("newsroom/contributions.csv", report_views.export_csv, name="export_csv"),
    path("<slug:slug>/", views.support_journalist, name="support_journalist"),
]
