"""What a running pipeline owns besides its threads (worker pools), and how it is let go."""

from __future__ import annotations

from typing import Any, List

__all__ = ["close_resources"]


def close_resources(resources: List[Any]) -> None:
    """Closes each resource (it has close()), the last made first, and forgets it."""
    while resources:
        resources.pop().close()
