import unicodedata


def name_key(name: str) -> str:
    """Return the form of a partner name used to find duplicates.

    Two names are the same partner when they match after trimming, Unicode
    NFKC normalisation, collapsing inner whitespace and case folding, so
    "Acme  Analytics", "ACME Analytics " and the full-width "Ａｃｍｅ Analytics"
    are one partner.
    """
    normalised = unicodedata.normalize("NFKC", name)
    return " ".join(normalised.split()).casefold()
