"""Reader account pages. Views parse the form, call one service, and render; errors come back as messages."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from byline.accounts import forms, services
from byline.core.conf import byline_setting
from byline.core.errors import BylineError, RateLimited
from byline.core.ip import client_ip
from byline.core.throttle import network_key


def _next_url(request: HttpRequest, default: str = "/") -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _with_retry_after(response: HttpResponse, error: BylineError) -> HttpResponse:
    if isinstance(error, RateLimited):
        response["Retry-After"] = str(error.retry_after)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    form = forms.SignUpForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        next_url = _next_url(request, default="")
        try:
            user = services.user_sign_up(
                email=form.cleaned_data["email"],
                display_name=form.cleaned_data["display_name"],
                password=form.cleaned_data["password"],
                ip_address=client_ip(request),
                next_url=next_url,
            )
        except BylineError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            status = error.status
            context = {"form": form, "next": _next_url(request, "")}
            return _with_retry_after(render(request, "accounts/signup.html", context, status=status), error)
        auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(
            reverse("accounts:verify_sent") + (f"?{urlencode({'next': next_url})}" if next_url else "")
        )
    if request.method == "POST":
        status = 400
    return render(
        request, "accounts/signup.html", {"form": form, "next": _next_url(request, "")}, status=status
    )


def verify_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/verify_sent.html", {"next": _next_url(request, "")})


def verify(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user, notes = services.user_verify_email(token=token)
    except BylineError as error:
        return render(request, "accounts/verify_failed.html", {"error": error}, status=error.status)
    messages.success(
        request, f"Thank you, {user.public_name}: your email address is confirmed. You can comment now."
    )
    for note in notes:
        messages.info(request, note)
    if request.user.is_authenticated and request.user.pk == user.pk:
        return redirect(_next_url(request, default=reverse("comments:profile", kwargs={"user_id": user.pk})))
    return redirect(reverse("accounts:login") + "?" + urlencode({"next": _next_url(request, default="/")}))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def verify_resend(request: HttpRequest) -> HttpResponse:
    if request.user.is_verified:
        messages.info(request, "Your email address is already confirmed.")
        return redirect(_next_url(request))
    if request.method == "POST":
        try:
            services.user_resend_verification(user=request.user, next_url=_next_url(request, ""))
        except BylineError as error:
            response = render(request, "accounts/verify_resend.html", {"error": error}, status=error.status)
            return _with_retry_after(response, error)
        return redirect(reverse("accounts:verify_sent"))
    return render(request, "accounts/verify_resend.html", {"next": _next_url(request, "")})


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = forms.EmailAuthenticationForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        from byline.accounts import ratelimit

        limits = _login_limits(request)
        form = self.get_form()
        try:
            # Checked before the password: once a limit is used up, even a lucky guess gets nowhere.
            for scope, key, limit in limits:
                ratelimit.check(scope=scope, key=key, limit=limit, window_seconds=900, message=LOGIN_LIMITED)
            if form.is_valid():
                return self.form_valid(form)
            for scope, key, limit in limits:
                ratelimit.hit(scope=scope, key=key, limit=limit, window_seconds=900, message=LOGIN_LIMITED)
        except RateLimited as error:
            form.errors.clear()
            form.add_error(None, error.message)
            return _with_retry_after(
                self.render_to_response(self.get_context_data(form=form), status=429), error
            )
        return self.render_to_response(self.get_context_data(form=form), status=400)


LOGIN_LIMITED = "Too many attempts to sign in. Wait a few minutes, or reset your password."


def _login_limits(request: HttpRequest) -> list[tuple[str, str, int]]:
    """Failed sign-ins are counted per network and account, per account, and per network."""
    network = network_key(request)
    email = request.POST.get("username", "").strip().lower()[:254]
    return [
        ("login-failed", f"{network}:{email}", byline_setting("BYLINE_LOGIN_RATE_PER_15_MINUTES")),
        ("login-account", email, byline_setting("BYLINE_LOGIN_ACCOUNT_RATE_PER_15_MINUTES")),
        ("login-network", network, byline_setting("BYLINE_LOGIN_NETWORK_RATE_PER_15_MINUTES")),
    ]


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    messages.info(request, "You are signed out.")
    return redirect(_next_url(request))


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        # Read at call time: the site's public address goes into the emailed link.
        self.extra_email_context = {
            "site_url": byline_setting("BYLINE_SITE_URL").rstrip("/"),
            "site_name": byline_setting("BYLINE_SITE_NAME"),
        }
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Following the emailed link proves the address: a reset also confirms it.
        user = form.user
        if user.email_verified_at is None:
            from django.utils import timezone

            user.email_verified_at = timezone.now()
            user.save(update_fields=["email_verified_at"])
        return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def account_settings(request: HttpRequest) -> HttpResponse:
    user = request.user
    initial = {"display_name": user.display_name, "notify_replies": user.notify_replies}
    form = forms.ProfileForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.user_update_profile(
                    user=user,
                    display_name=form.cleaned_data["display_name"],
                    notify_replies=form.cleaned_data["notify_replies"],
                )
            except BylineError as error:
                form.add_error("display_name" if error.field == "display_name" else None, error.message)
                status = error.status
            else:
                messages.success(request, "Your settings are saved.")
                return redirect("accounts:settings")
    context = {"form": form, "delete_form": forms.DeleteAccountForm()}
    return render(request, "accounts/settings.html", context, status=status)


@login_required
def export_data(request: HttpRequest) -> HttpResponse:
    payload = services.user_export_data(user=request.user)
    response = HttpResponse(
        json.dumps(payload, indent=2, ensure_ascii=False), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="my-byline-data.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def delete_account(request: HttpRequest) -> HttpResponse:
    form = forms.DeleteAccountForm(request.POST)
    if form.is_valid():
        try:
            services.user_delete_account(
                user=request.user,
                password=form.cleaned_data["password"],
                keep_comments=form.cleaned_data["comments"] == "keep",
            )
        except BylineError as error:
            form.add_error("password", error.message)
        else:
            auth_logout(request)
            return render(request, "accounts/deleted.html")
    profile_form = forms.ProfileForm(
        initial={"display_name": request.user.display_name, "notify_replies": request.user.notify_replies}
    )
    context = {"form": profile_form, "delete_form": form}
    return render(request, "accounts/settings.html", context, status=400)
