"""Counts in words: "1 authorization", "3 authorizations", "1 day". Templates use Django's
`pluralize` filter; Python strings use `counted`."""


def counted(n: int, noun: str, plural: str = "") -> str:
    """`n` and the noun in the number it needs (`plural` when adding "s" is wrong)."""
    return f"{n:,} {noun if n == 1 else (plural or noun + 's')}"
