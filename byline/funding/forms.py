from django import forms

from byline.core.conf import byline_setting
from byline.core.errors import InvalidInput
from byline.funding.money import format_money, parse_amount
from byline.funding.services import Frequency, SupportChoice, support_choice_validate

OTHER = "other"


def preset_amounts() -> list[int]:
    return [int(value) for value in byline_setting("BYLINE_SUPPORT_PRESETS")]


class SupportForm(forms.Form):
    """The support form. Amounts are typed in major units (25 or 12.50) and become minor units in `clean`."""

    preset = forms.ChoiceField(label="Amount", widget=forms.RadioSelect, required=False)
    other_amount = forms.CharField(
        label="Other amount",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    frequency = forms.ChoiceField(
        label="How often", choices=Frequency.CHOICES, widget=forms.RadioSelect, initial=Frequency.ONCE
    )
    currency = forms.CharField(widget=forms.HiddenInput, max_length=8)
    message = forms.CharField(
        label="Public message (optional)",
        required=False,
        max_length=280,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown on this page with your name unless you stay anonymous. Up to 280 characters.",
    )
    anonymous = forms.BooleanField(label="Don't show my name", required=False)
    article = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.site_currency = byline_setting("BYLINE_CURRENCY").upper()
        presets = preset_amounts()
        self.fields["preset"].choices = [(str(a), format_money(a, self.site_currency)) for a in presets] + [
            (OTHER, "Other amount")
        ]
        self.fields["currency"].initial = self.site_currency
        if presets:
            self.fields["preset"].initial = str(presets[min(1, len(presets) - 1)])

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        currency = (data.get("currency") or "").strip().upper()
        other = (data.get("other_amount") or "").strip()
        preset = data.get("preset") or ""
        try:
            if other or preset == OTHER:
                amount = parse_amount(other, self.site_currency)
            elif preset:
                amount = int(preset)
            else:
                raise InvalidInput("Please choose or enter an amount.", field="amount")
            choice = SupportChoice(
                amount=amount,
                currency=currency,
                frequency=data["frequency"],
                message=data.get("message") or "",
                anonymous=bool(data.get("anonymous")),
            )
            support_choice_validate(choice=choice)
        except InvalidInput as error:
            field = {"amount": "other_amount"}.get(error.field, error.field)
            self.add_error(field if field in self.fields else None, error.message)
            return data
        data["choice"] = choice
        return data
