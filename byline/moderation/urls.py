from django.urls import path

from byline.moderation import area_views, views

app_name = "moderation"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("comment/<int:comment_id>/", views.comment_detail, name="comment"),
    path("comment/<int:comment_id>/act/", views.comment_act, name="comment_act"),
    path("bulk/", views.bulk, name="bulk"),
    path("undo/<int:event_id>/", views.undo, name="undo"),
    path("author/<int:user_id>/", views.author_detail, name="author"),
    path("author/<int:user_id>/act/", views.author_act, name="author_act"),
    path("log/", area_views.log, name="log"),
    path("log.csv", area_views.log_csv, name="log_csv"),
    path("words/", area_views.words, name="words"),
    path("settings/", area_views.site_settings, name="settings"),
    path("overview/", area_views.overview, name="overview"),
    path("digest/", area_views.digest_now, name="digest"),
    path("appeal/<int:comment_id>/", area_views.appeal, name="appeal"),
]
