"""Transforms that pick other transforms at random per row (mirror mindspore.dataset.vision
RandomSelectSubpolicy, UniformAugment, TrivialAugmentWide).

Native: the choice is made in C++ from the row's seed, and each inner transform gets a
seed of its own derived from it, so a pipeline repeats with any number of workers. Inner
transforms may be native transforms or Python callables (those run under the GIL and draw
from Python's generators).
"""

from __future__ import annotations

from typing import Any, Callable, List, Sequence, Tuple

from headrace._core import transforms as _transforms
from headrace.dataset.vision._arguments import FLOAT_MAX_INTEGER, check_fill, check_int, check_number
from headrace.dataset.vision.augment import augment_kernel
from headrace.dataset.vision.utils import Inter
from headrace.errors import InvalidArgumentError

__all__ = ["RandomSelectSubpolicy", "TrivialAugmentWide", "UniformAugment"]


def _operation(transform: str, name: str, op: Any) -> Any:
    if not callable(op):
        raise TypeError(f"{transform}: {name} must be a transform or a callable, got {op!r}")
    return op


def RandomSelectSubpolicy(  # noqa: N802
        policy: Sequence[Sequence[Tuple[Callable, float]]]) -> "_transforms.RandomSelectSubpolicy":
    """One sub-policy per row, drawn uniformly; each of its (op, prob) steps is applied in
    order with probability prob."""
    name = "RandomSelectSubpolicy"
    if not isinstance(policy, list):
        raise TypeError(f"{name}: policy must be a list of sub-policies, got {type(policy).__name__}")
    if not policy:
        raise InvalidArgumentError(f"{name}: policy can not be empty")
    native: List[List[Tuple[Any, float]]] = []
    for i, sub in enumerate(policy):
        if not isinstance(sub, list):
            raise TypeError(f"{name}: policy[{i}] must be a list of (op, prob), got {type(sub).__name__}")
        if not sub:
            raise InvalidArgumentError(f"{name}: policy[{i}] can not be empty")
        steps = []
        for j, step in enumerate(sub):
            if not isinstance(step, (list, tuple)) or len(step) != 2:  # a ValueError in MindSpore
                raise InvalidArgumentError(f"{name}: policy[{i}][{j}] must be an (op, prob) pair, got {step!r}")
            op = _operation(name, f"the op of policy[{i}][{j}]", step[0])
            steps.append((op, check_number(name, f"the prob of policy[{i}][{j}]", step[1], 0.0, 1.0)))
        native.append(steps)
    return _transforms.RandomSelectSubpolicy(native)


def UniformAugment(transforms: Sequence[Callable], num_ops: int = 2) -> "_transforms.UniformAugment":  # noqa: N802
    """num_ops of `transforms` chosen uniformly without replacement (in their list order),
    each then applied with probability 1/2."""
    name = "UniformAugment"
    if not isinstance(transforms, (list, tuple)):
        raise TypeError(f"{name}: transforms must be a list of transforms, got {type(transforms).__name__}")
    if not transforms:
        raise InvalidArgumentError(f"{name}: transforms can not be empty")
    ops = [_operation(name, f"transforms[{i}]", op) for i, op in enumerate(transforms)]
    num_ops = check_int(name, "num_ops", num_ops, 1)
    if num_ops > len(ops):
        raise InvalidArgumentError(f"{name}: num_ops ({num_ops}) is greater than the number of transforms "
                                   f"({len(ops)})")
    return _transforms.UniformAugment(ops, num_ops)


def TrivialAugmentWide(num_magnitude_bins: int = 31, interpolation: Inter = Inter.NEAREST,  # noqa: N802
                       fill_value: Any = 0) -> "_transforms.TrivialAugmentWide":
    """One operation per image, drawn uniformly from 14, at a uniformly drawn magnitude of
    the wide space (random sign where it has one). uint8 RGB images (H, W, 3)."""
    name = "TrivialAugmentWide"
    bins = check_int(name, "num_magnitude_bins", num_magnitude_bins, 2, FLOAT_MAX_INTEGER)
    if not isinstance(interpolation, Inter):
        raise TypeError(f"{name}: interpolation must be an Inter, got {interpolation!r}")
    return _transforms.TrivialAugmentWide(bins, augment_kernel(name, interpolation),
                                          check_fill(name, fill_value))
