"""Callbacks on map (mirrors mindspore.dataset.callback).

Subclass DSCallback and override the hooks you need; pass instances with
``map(..., callbacks=[...])``. Each hook gets a DSRunContext. Hooks run on the engine's
callback thread, in order; an exception in one stops the pipeline and is raised by the
iterator.
"""

from __future__ import annotations

from typing import Callable, List, Sequence

from headrace.dataset.validation import check_int
from headrace.errors import InvalidArgumentError

__all__ = ["DSCallback", "DSRunContext"]

_HOOKS = ("ds_begin", "ds_epoch_begin", "ds_epoch_end", "ds_step_begin", "ds_step_end")


class DSRunContext:
    """Where the pipeline is: epochs and steps count from 1."""

    def __init__(self, cur_epoch_num: int, cur_step_num_in_epoch: int, cur_step_num: int) -> None:
        self.cur_epoch_num = cur_epoch_num
        self.cur_step_num_in_epoch = cur_step_num_in_epoch
        self.cur_step_num = cur_step_num


class DSCallback:
    """Base of pipeline callbacks; step hooks run every `step_size` steps."""

    def __init__(self, step_size: int = 1) -> None:
        self.step_size = check_int("step_size", step_size, minimum=1)

    def ds_begin(self, ds_run_context: DSRunContext) -> None:
        """Before the first row."""

    def ds_epoch_begin(self, ds_run_context: DSRunContext) -> None:
        """Before each epoch."""

    def ds_epoch_end(self, ds_run_context: DSRunContext) -> None:
        """After each epoch."""

    def ds_step_begin(self, ds_run_context: DSRunContext) -> None:
        """Before a step (a row leaving the map), every step_size steps."""

    def ds_step_end(self, ds_run_context: DSRunContext) -> None:
        """After a step, every step_size steps."""


def make_dispatcher(callbacks: Sequence[DSCallback]) -> Callable[[str, int, int, int], None]:
    """The function the engine calls for every hook: it calls the callbacks that override
    that hook (so unused hooks cost nothing) and applies step_size."""
    items: List[DSCallback] = list(callbacks)
    for item in items:
        if not isinstance(item, DSCallback):
            raise InvalidArgumentError(f"callbacks must be DSCallback instances, got {type(item).__name__}")
    overriding = {hook: [c for c in items if getattr(type(c), hook) is not getattr(DSCallback, hook)]
                  for hook in _HOOKS}

    def dispatch(hook: str, epoch: int, step_in_epoch: int, step: int) -> None:
        targets = overriding[hook]
        if not targets:
            return
        context = DSRunContext(epoch, step_in_epoch, step)
        for callback in targets:
            # As MindSpore 2.10: steps 1, 1 + step_size, ... of each epoch.
            if hook.startswith("ds_step") and (step_in_epoch - 1) % callback.step_size != 0:
                continue
            getattr(callback, hook)(context)

    return dispatch


def has_step_hooks(callbacks: Sequence[DSCallback]) -> bool:
    return any(getattr(type(c), hook) is not getattr(DSCallback, hook)
               for c in callbacks for hook in ("ds_step_begin", "ds_step_end"))
