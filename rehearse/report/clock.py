"""Formatting of times for people."""


def clock(seconds: float) -> str:
    """Seconds as m:ss, e.g. 72.4 -> '1:12'."""
    whole = int(round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"
