"""Prices as a user reads them: with their currency ("$4.50"), everywhere a price is shown.

The shop prices in one currency (the server's, US dollars unless an order says otherwise);
an order's own currency is used for what was paid.
"""

from decimal import Decimal

CURRENCY = "usd"
SYMBOLS = {"usd": "$", "eur": "€", "gbp": "£", "cad": "CA$", "aud": "A$"}


def format_money(amount: Decimal | float, currency: str = CURRENCY) -> str:
    """ "$4.50"; a currency without a symbol here: "4.50 CHF"."""
    symbol = SYMBOLS.get(currency.lower())
    value = f"{Decimal(str(amount)):,.2f}"
    if symbol is None:
        return f"{value} {currency.upper()}"
    return f"-{symbol}{value[1:]}" if value.startswith("-") else f"{symbol}{value}"
