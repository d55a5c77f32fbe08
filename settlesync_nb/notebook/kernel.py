"""The kernel our runs start: local, talking over Unix sockets rather than TCP.

Nothing listens on a network port while a report runs (and ipykernel's warning about
unencrypted TCP does not clutter a scheduler's log).
"""

from __future__ import annotations

from jupyter_client.manager import KernelManager


class LocalKernelManager(KernelManager):
    """A kernel manager whose kernels use the ``ipc`` transport."""

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("transport", "ipc")
        super().__init__(**kwargs)
