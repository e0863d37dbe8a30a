"""safeguard: decides, before anyone is sent out of the United States, who may lawfully be sent, under
which safeguards, and shows its reasoning. A screening aid, not legal advice.

    from safeguard import screen, ask, screen_batch
"""

from safeguard.api import ask, screen, screen_batch

__all__ = ["ask", "screen", "screen_batch"]
__version__ = "0.1.0"
