"""What every CSV the app writes shares."""


def csv_safe(value) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet: neutralise it.
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
