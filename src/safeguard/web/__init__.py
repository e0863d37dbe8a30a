"""The screener's web application (Django). It sits above `safeguard.api`: it asks the engine what to ask
and what the result is, stores the answers, and decides nothing itself. Start it with `safeguard serve`."""
