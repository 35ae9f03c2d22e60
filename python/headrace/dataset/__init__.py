"""headrace.dataset: pipelines over a threaded C++ engine, mirroring mindspore.dataset.

    import headrace.dataset as ds
    data = ds.NumpySlicesDataset({"x": x, "y": y}, shuffle=False)
    data = data.map(lambda x: x * 2, input_columns="x").batch(64, drop_remainder=True)
    for x, y in data.create_tuple_iterator(num_epochs=1):
        ...
"""

from headrace.dataset import callback, config, transforms, vision
from headrace.dataset.cache import DatasetCache
from headrace.dataset.cifar import Cifar10Dataset, Cifar100Dataset
from headrace.dataset.combine import ZipDataset
from headrace.dataset.csv import CSVDataset
from headrace.dataset.dataset import Dataset
from headrace.dataset.generator import GeneratorDataset
from headrace.dataset.image_folder import ImageFolderDataset
from headrace.dataset.mind_dataset import MindDataset
from headrace.dataset.mnist import MnistDataset
from headrace.dataset.numpy_slices import NumpySlicesDataset
from headrace.dataset.record_files import Shuffle
from headrace.dataset.samplers import (
    DistributedSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
    SubsetSampler,
)
from headrace.dataset.schema import Schema
from headrace.dataset.text_file import TextFileDataset
from headrace.dataset.tfrecord import TFRecordDataset


def zip(datasets):  # noqa: A001 - mirrors mindspore.dataset.zip
    """Rows of `datasets` side by side (mindspore.dataset.zip)."""
    return ZipDataset(datasets)


__all__ = [
    "CSVDataset",
    "Cifar100Dataset",
    "Cifar10Dataset",
    "Dataset",
    "DatasetCache",
    "DistributedSampler",
    "GeneratorDataset",
    "ImageFolderDataset",
    "MindDataset",
    "MnistDataset",
    "NumpySlicesDataset",
    "RandomSampler",
    "Sampler",
    "Schema",
    "SequentialSampler",
    "Shuffle",
    "SubsetRandomSampler",
    "SubsetSampler",
    "TFRecordDataset",
    "TextFileDataset",
    "callback",
    "config",
    "transforms",
    "vision",
    "zip",
]
