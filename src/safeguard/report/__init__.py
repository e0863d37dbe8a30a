"""The reviewer's report of a screened manifest: figures (figures.py) and their rendering (manifest_report.py)."""
