import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "byline.settings")
django_application = get_wsgi_application()

from byline.web.fastpath import PageCacheFastPath  # noqa: E402  (needs Django set up)

# Repeat anonymous reads of cached pages are answered before Django (byline/web/fastpath.py).
application = PageCacheFastPath(django_application)
