"""safeguard: decides, before anyone is sent out of the United States, who may lawfully be sent, under
which safeguards, and shows its reasoning. A screening aid, not legal advice.

    from safeguard import screen, ask, screen_batch

The API is imported on first use (PEP 562), so that `import safeguard` (and with it every command,
`safeguard --help` included) does not load the whole law and Polars before it needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from safeguard.api import ask, screen, screen_batch

__all__ = ["ask", "screen", "screen_batch"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name in __all__:
        from safeguard import api

        value = getattr(api, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'safeguard' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
