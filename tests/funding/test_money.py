import pytest

from byline.core.errors import InvalidInput
from byline.funding.money import format_money, minor_to_input, parse_amount


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        (124000, "CAD", "$1,240"),
        (1250, "cad", "$12.50"),
        (5, "EUR", "€0.05"),
        (1500, "JPY", "¥1,500"),
        (999, "CHF", "CHF 9.99"),
        (-500, "CAD", "-$5"),
    ],
)
def test_money_is_shown_in_the_currencys_own_units(amount, currency, shown):
    assert format_money(amount, currency) == shown


@pytest.mark.parametrize(
    ("typed", "currency", "minor"),
    [
        ("25", "CAD", 2500),
        ("12.5", "CAD", 1250),
        ("$1,000.00", "CAD", 100000),
        (" 7 ", "CAD", 700),
        ("300", "JPY", 300),
    ],
)
def test_typed_amounts_become_exact_minor_units(typed, currency, minor):
    assert parse_amount(typed, currency) == minor


@pytest.mark.parametrize("typed", ["", "ten", "1e400", "NaN", "inf", "12.345", "--5"])
def test_amounts_that_are_not_exact_numbers_are_refused_with_a_message(typed):
    with pytest.raises(InvalidInput) as error:
        parse_amount(typed, "CAD")
    assert error.value.field == "amount"
    assert error.value.message


def test_yen_amounts_have_no_decimals():
    with pytest.raises(InvalidInput, match="whole numbers"):
        parse_amount("12.5", "JPY")


def test_amounts_go_back_into_the_form_as_typed():
    assert minor_to_input(2500, "CAD") == "25"
    assert minor_to_input(1250, "CAD") == "12.50"
