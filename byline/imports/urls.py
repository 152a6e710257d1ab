from django.urls import path

from byline.imports import views

app_name = "imports"
urlpatterns = [
    path("claim/", views.claim_comments, name="claim"),
]
