"""What every CSV the app writes shares."""


def csv_safe(value) -> str:
    # A cell starting with = + - @ (or a tab or carriage return before one) would run as a formula in a
    # spreadsheet: neutralise it (OWASP's CSV injection advice).
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
