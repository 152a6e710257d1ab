from django.urls import path

from byline.comments import views

app_name = "comments"
urlpatterns = [
    path("post/<int:article_id>/", views.post, name="post"),
    path("<int:comment_id>/", views.permalink, name="permalink"),
    path("<int:comment_id>/edit/", views.edit, name="edit"),
    path("<int:comment_id>/delete/", views.delete, name="delete"),
    path("<int:comment_id>/like/", views.like, name="like"),
    path("<int:comment_id>/reply/", views.reply, name="reply"),
    path("<int:comment_id>/report/", views.report, name="report"),
    path("readers/<int:user_id>/", views.profile, name="profile"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
