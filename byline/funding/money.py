"""Money as integer minor units with a currency: parsing what readers type and formatting for display."""

import re
from decimal import Decimal

from byline.core.errors import InvalidInput

# ISO 4217 currencies whose minor unit is the unit itself (Stripe calls them zero-decimal currencies).
ZERO_DECIMAL = frozenset(
    [
        "BIF",
        "CLP",
        "DJF",
        "GNF",
        "JPY",
        "KMF",
        "KRW",
        "MGA",
        "PYG",
        "RWF",
        "UGX",
        "VND",
        "VUV",
        "XAF",
        "XOF",
        "XPF",
    ]
)
_PLAIN_DECIMAL = re.compile(r"^[0-9]{1,12}(\.[0-9]{1,6})?$")
SYMBOLS = {"CAD": "$", "USD": "$", "AUD": "$", "NZD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}


def exponent(currency: str) -> int:
    return 0 if currency.upper() in ZERO_DECIMAL else 2


def format_money(amount: int, currency: str) -> str:
    """`$1,240` for whole amounts, `$12.50` otherwise; unknown symbols fall back to the code (`CHF 12.50`)."""
    currency = currency.upper()
    digits = exponent(currency)
    sign = "-" if amount < 0 else ""
    units, cents = divmod(abs(amount), 10**digits) if digits else (abs(amount), 0)
    text = f"{units:,}" if not cents else f"{units:,}.{cents:0{digits}d}"
    symbol = SYMBOLS.get(currency)
    return f"{sign}{symbol}{text}" if symbol else f"{sign}{currency} {text}"


def parse_amount(text: str, currency: str) -> int:
    """Turn what a reader typed ("25", "25.50", "$1,000") into minor units, or raise InvalidInput.

    Only plain decimals are taken: no exponents, signs, NaN or infinity, whatever Decimal would accept.
    """
    cleaned = (text or "").strip().replace(",", "").lstrip("$€£¥").strip()
    if not cleaned:
        raise InvalidInput("Please choose or enter an amount.", field="amount")
    if not _PLAIN_DECIMAL.match(cleaned):
        raise InvalidInput(f"“{text}” is not an amount. Enter a number such as 25 or 12.50.", field="amount")
    places = exponent(currency)
    minor = Decimal(cleaned).scaleb(places)
    if minor != minor.to_integral_value():
        if places:
            raise InvalidInput(f"Amounts in {currency} have at most {places} decimal places.", field="amount")
        raise InvalidInput(f"Amounts in {currency} are whole numbers.", field="amount")
    return int(minor)


def minor_to_input(amount: int, currency: str) -> str:
    """What to put back in an amount box: `25` or `12.50`."""
    digits = exponent(currency)
    if not digits:
        return str(amount)
    units, cents = divmod(amount, 10**digits)
    return str(units) if not cents else f"{units}.{cents:0{digits}d}"
