"""Errors of the fact layer that the command line catches without loading Polars."""


class NoFactColumns(ValueError):
    """No column of the manifest is a fact of the vocabulary: nothing could be screened (a CSV
    without its header row reads its first person as the column names)."""
