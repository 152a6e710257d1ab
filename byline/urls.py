from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django.views.static import serve

from byline.newsroom.urls import feed_patterns, machine_patterns
from byline.web import views as web

admin.site.site_header = "Byline newsroom"
admin.site.site_title = "Byline"

handler404 = "byline.web.views.page_not_found"
handler500 = "byline.web.views.server_error"

newsroom_patterns = (
    [
        path("tags/<slug:slug>/", web.tag_detail, name="tag"),
        path("preview/<int:pk>/", web.article_preview, name="preview"),
        path("preview/shared/<str:token>/", web.article_shared_preview, name="shared_preview"),
        path("search/", web.site_search, name="search"),
        path("corrections/", web.corrections, name="corrections"),
        path("<slug:section>/", web.section_detail, name="section"),
        path("<slug:section>/<slug:slug>/", web.article_detail, name="article"),
    ],
    "newsroom",
)
journalist_patterns = ([path("<slug:slug>/", web.journalist_detail, name="detail")], "journalists")

urlpatterns = [
    path("", web.home, name="home"),
    path("favicon.ico", RedirectView.as_view(url="/static/img/favicon.svg", permanent=True)),
    path("admin/", admin.site.urls),
    path("journalists/", include(journalist_patterns)),
    path("support/", include("byline.funding.urls")),
    path("accounts/", include("byline.accounts.urls")),
    path("comments/", include("byline.comments.urls")),
    path("moderate/", include("byline.moderation.urls")),
    path("imports/", include("byline.imports.urls")),
    path("feeds/", include(feed_patterns)),
    *machine_patterns,
]

if not settings.PRODUCTION:
    # In production the web server (nginx) or object storage serves uploaded media.
    urlpatterns.append(re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}))

# Last: /<section>/ and /<section>/<slug>/ would otherwise swallow every other two-part path.
urlpatterns.append(path("", include(newsroom_patterns)))
