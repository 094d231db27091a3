"""When the registry tries a request again: one policy for every HTTP client we run (the importers
and the link checker), so that each retries the same failures with the same back-off.

A failure that may pass is a transport error (refused, reset, timed out) or a 5xx answer; a 4xx is
the server's considered answer and is never retried. Waits double from `base` seconds.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    retries: int  # tries after the first
    base: float  # seconds before the first retry

    def tries(self) -> range:
        return range(self.retries + 1)

    def wait(self, attempt: int) -> float | None:
        """Seconds to wait after try `attempt` (0-based) failed, or None if it was the last."""
        return self.base * 2**attempt if attempt < self.retries else None


def transient(status: int) -> bool:
    """Whether an HTTP status may be different on the next try."""
    return status >= 500
