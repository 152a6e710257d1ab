from django.urls import path

from byline.funding import views

app_name = "funding"
urlpatterns = [
    path("", views.support_newsroom, name="support_newsroom"),
    path("<slug:slug>/", views.support_journalist, name="support_journalist"),
]
