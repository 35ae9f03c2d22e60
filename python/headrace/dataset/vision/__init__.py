"""Image transforms (mirrors mindspore.dataset.vision). They are native: in a pipeline they
run in C++ map workers without the GIL, and they can be called on NumPy arrays directly.

Images are NumPy arrays in HWC layout (height, width, channels), uint8 unless a transform
says otherwise. Random transforms draw from the pipeline's seed (config.set_seed), one seed
per row, so the same seed gives the same images with any number of workers.
"""

from headrace.dataset.vision.augment import AutoAugment, RandAugment
from headrace.dataset.vision.boxes import *  # noqa: F401,F403
from headrace.dataset.vision.boxes import __all__ as _boxes_names
from headrace.dataset.vision.color import *  # noqa: F401,F403
from headrace.dataset.vision.color import __all__ as _color_names
from headrace.dataset.vision.color_space import *  # noqa: F401,F403
from headrace.dataset.vision.color_space import __all__ as _color_space_names
from headrace.dataset.vision.decode import Decode
from headrace.dataset.vision.erase import *  # noqa: F401,F403
from headrace.dataset.vision.erase import __all__ as _erase_names
from headrace.dataset.vision.geometry import *  # noqa: F401,F403
from headrace.dataset.vision.geometry import __all__ as _geometry_names
from headrace.dataset.vision.mix import *  # noqa: F401,F403
from headrace.dataset.vision.mix import __all__ as _mix_names
from headrace.dataset.vision.patches import *  # noqa: F401,F403
from headrace.dataset.vision.patches import __all__ as _patches_names
from headrace.dataset.vision.policies import *  # noqa: F401,F403
from headrace.dataset.vision.policies import __all__ as _policies_names
from headrace.dataset.vision.random_color import *  # noqa: F401,F403
from headrace.dataset.vision.random_color import __all__ as _random_color_names
from headrace.dataset.vision.utils import AutoAugmentPolicy, Border, Inter
from headrace.dataset.vision.values import *  # noqa: F401,F403
from headrace.dataset.vision.values import __all__ as _values_names
from headrace.dataset.vision.warp import *  # noqa: F401,F403
from headrace.dataset.vision.warp import __all__ as _warp_names

__all__ = ["AutoAugment", "AutoAugmentPolicy", "Border", "Decode", "Inter", "RandAugment",
           *_boxes_names, *_color_names, *_geometry_names,
           *_color_space_names, *_random_color_names, *_values_names, *_warp_names,
           *_erase_names, *_mix_names, *_patches_names, *_policies_names]


def _record_every_factory() -> None:
    # Every transform factory records its arguments (transforms.described), for the cache's
    # description of a pipeline, and the image resampling it was made under (it decides the
    # kernels, and whether Decode fuses with a crop).
    from headrace.dataset.config import get_image_resampling
    from headrace.dataset.transforms import records_arguments

    def resampling() -> str:
        return f"resampling={get_image_resampling()!r}"

    for name in __all__:
        factory = globals()[name]
        if callable(factory) and not isinstance(factory, type):
            globals()[name] = records_arguments(factory, resampling)


_record_every_factory()
