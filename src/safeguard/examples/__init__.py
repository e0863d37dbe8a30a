"""Bundled example cases (the patterns of REFERENCE.md §5-6), used by `safeguard demo` and the docs."""
