from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm

from byline.accounts.models import User


class SignUpForm(forms.Form):
    email = forms.EmailField(
        label="Email address", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    display_name = forms.CharField(
        label="Display name",
        max_length=60,
        help_text="Shown with your comments. 2 to 40 characters.",
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        help_text="At least 8 characters, not a common password.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class EmailAuthenticationForm(AuthenticationForm):
    """Readers sign in with their email address; `username` stays an internal handle."""

    username = forms.EmailField(
        label="Email address", widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )

    error_messages = {
        "invalid_login": "That email address and password do not match an account.",
        "inactive": "This account is inactive.",
    }

    def clean(self):
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if email and password:
            account = User.objects.filter(email__iexact=email.strip()).first()
            username = account.username if account else None
            self.user_cache = (
                authenticate(self.request, username=username, password=password) if username else None
            )
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class ProfileForm(forms.Form):
    display_name = forms.CharField(label="Display name", max_length=60)
    notify_replies = forms.BooleanField(label="Email me when someone replies to my comments", required=False)


class DeleteAccountForm(forms.Form):
    KEEP_CHOICES = [
        ("remove", "Remove my comments (they show as “comment removed”; replies from others stay)"),
        ("keep", "Keep my comments, shown under “Former reader”"),
    ]
    comments = forms.ChoiceField(
        label="What should happen to your comments?", choices=KEEP_CHOICES, widget=forms.RadioSelect
    )
    password = forms.CharField(
        label="Your password, to confirm",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
