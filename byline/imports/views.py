"""The one reader-facing page of the imports app: claiming comments written before the move."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from byline.core.errors import BylineError
from byline.imports import selectors, services


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def claim_comments(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            claimed = services.claim_guest_comments(user=request.user)
        except BylineError as error:
            context = {"error": error, "count": 0}
            return render(request, "imports/claim.html", context, status=error.status)
        if claimed:
            noun = "comments are" if claimed != 1 else "comment is"
            messages.success(request, f"{claimed} earlier {noun} now yours.")
        else:
            messages.info(request, "There were no earlier comments to claim.")
        return redirect("imports:claim")
    context = {"count": selectors.claimable_comment_count(user=request.user)}
    return render(request, "imports/claim.html", context)
