"""headrace.dataset: pipelines over a threaded C++ engine, mirroring mindspore.dataset.

    import headrace.dataset as ds
    data = ds.NumpySlicesDataset({"x": x, "y": y}, shuffle=False)
    data = data.map(lambda x: x * 2, input_columns="x").batch(64, drop_remainder=True)
    for x, y in data.create_tuple_iterator(num_epochs=1):
        ...
"""

from headrace.dataset import callback, config, transforms, vision
from headrace.dataset.cache import DatasetCache
from headrace.dataset.combine import ZipDataset
from headrace.dataset.dataset import Dataset
from headrace.dataset.generator import GeneratorDataset
from headrace.dataset.image_folder import ImageFolderDataset
from headrace.dataset.numpy_slices import NumpySlicesDataset
from headrace.dataset.samplers import (
    DistributedSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
    SubsetSampler,
)


def zip(datasets):  # noqa: A001 - mirrors mindspore.dataset.zip
    """Rows of `datasets` side by side (mindspore.dataset.zip)."""
    return ZipDataset(datasets)


__all__ = [
    "Dataset",
    "DatasetCache",
    "DistributedSampler",
    "GeneratorDataset",
    "ImageFolderDataset",
    "NumpySlicesDataset",
    "RandomSampler",
    "Sampler",
    "SequentialSampler",
    "SubsetRandomSampler",
    "SubsetSampler",
    "callback",
    "config",
    "transforms",
    "vision",
    "zip",
]
