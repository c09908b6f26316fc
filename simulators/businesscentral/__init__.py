"""Business Central online simulator: API v2.0, ODataV4 pages and the admin center environments API.

    from simulators.businesscentral import BusinessCentralSimulator
    sim = BusinessCentralSimulator(page_size=100, accepted_tokens=None, token_validator=None, seed=True)

See docs/simulators.md for what it covers.
"""

from .app import BusinessCentralSimulator, RequestLogEntry
from .clock import SimClock

__all__ = ["BusinessCentralSimulator", "RequestLogEntry", "SimClock"]
