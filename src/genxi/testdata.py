"""Small helpers for tests and benchmarks: valid fake identifiers."""

from datetime import date

from genxi.people.domain.idcard import make_id_number


def valid_id(n: int, region6: str = "320508") -> str:
    """A valid 18-digit ID number, different for each n below 10,000."""
    return make_id_number(region6, date(1940 + n % 60, 1 + n % 12, 1 + n % 28), n // 10)
