"""The image benchmark of the vision issue: 4,000 synthetic 224x224 JPEGs held in memory,
Decode, RandomResizedCrop(224), RandomHorizontalFlip, Normalize, HWC2CHW, batch(32), two
workers; beside it, in alternating rounds, PyTorch's DataLoader(num_workers=2,
batch_size=32) doing the same with Pillow and NumPy per image (what a torchvision user's
transforms do on a CPU-only machine, written out because torchvision has no CPU build here).

Figures: images/s of the pipeline (Decode and RandomResizedCrop fused into one step, as a
map of the five transforms does by itself), of the same pipeline with fusion turned off,
and of the DataLoader; all under the default config.set_image_resampling("mindspore")
(MindSpore's OpenCV-convention kernels; the fused step then decodes the window at full
scale). And Resize alone on 500x375 uint8 images (to 224x224 and to a shorter side of 256,
LINEAR), called on arrays one by one, beside Pillow's Image.resize(BILINEAR) on the same
images as PIL images, in the same run.
"""

from __future__ import annotations

import io
import math
import random
from typing import Callable, Dict, List

import numpy as np

from harness import Figure, interleaved_median_seconds

NAME = "images"
IMAGES = 4_000
SIDE = 224
BATCH = 32
WORKERS = 2
MEAN = [0.485 * 255, 0.456 * 255, 0.406 * 255]
STD = [0.229 * 255, 0.224 * 255, 0.225 * 255]


def synthetic_jpegs(count: int, seed: int = 0) -> List[np.ndarray]:
    """JPEG files (quality 90, 4:2:0 as Pillow saves) of smooth colour fields with edges
    and noise: about 25 KB each, near what a 224x224 photograph takes."""
    from PIL import Image

    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:SIDE, 0:SIDE].astype(np.float32)
    files = []
    for i in range(count):
        a, b, c = rng.uniform(0.2, 3.0, 3)
        field = np.stack([127 + 100 * np.sin(x / (9 * a) + i), 127 + 100 * np.cos(y / (11 * b)),
                          127 + 100 * np.sin((x + y) / (13 * c))], axis=-1)
        top, left = rng.integers(0, SIDE // 2, 2)
        field[top:top + SIDE // 3, left:left + SIDE // 3] = rng.uniform(0, 255, 3)  # an edge
        field += rng.normal(0, 12, field.shape)
        out = io.BytesIO()
        Image.fromarray(np.clip(field, 0, 255).astype(np.uint8)).save(out, format="JPEG", quality=90)
        files.append(np.frombuffer(out.getvalue(), dtype=np.uint8))
    return files


class Files:
    """The encoded images as a random-access source: (image bytes, label)."""

    def __init__(self, files: List[np.ndarray]) -> None:
        self.files = files

    def __len__(self) -> int:
        return len(self.files)

    def __getitem__(self, index: int):
        return self.files[index], np.int32(index % 1000)


def headrace_runner(files: List[np.ndarray], fused: bool) -> Callable[[], int]:
    import headrace.dataset as ds
    from headrace.dataset import map as map_module
    from headrace.dataset import vision

    def run() -> int:
        data = ds.GeneratorDataset(Files(files), ["image", "label"], shuffle=False,
                                   python_multiprocessing=False)
        data = data.map([vision.Decode(), vision.RandomResizedCrop(SIDE), vision.RandomHorizontalFlip(),
                         vision.Normalize(mean=MEAN, std=STD), vision.HWC2CHW()],
                        input_columns="image", num_parallel_workers=WORKERS)
        data = data.batch(BATCH)
        map_module.FUSE_TRANSFORMS = fused  # read when the iterator builds the tree
        try:
            iterator = data.create_tuple_iterator(num_epochs=1)
        finally:
            map_module.FUSE_TRANSFORMS = True
        images = 0
        for image, _ in iterator:
            images += len(image)
        return images
    return run


def random_resized_crop_window(width: int, height: int, rng: random.Random):
    """torchvision's RandomResizedCrop.get_params with scale (0.08, 1), ratio (3/4, 4/3)."""
    area = width * height
    log_ratio = (math.log(3 / 4), math.log(4 / 3))
    for _ in range(10):
        target = area * rng.uniform(0.08, 1.0)
        ratio = math.exp(rng.uniform(*log_ratio))
        w = int(round(math.sqrt(target * ratio)))
        h = int(round(math.sqrt(target / ratio)))
        if 0 < w <= width and 0 < h <= height:
            return rng.randint(0, width - w), rng.randint(0, height - h), w, h
    return 0, 0, width, height


class PillowImages:
    """What a torchvision user's Dataset does per image, with Pillow and NumPy."""

    def __init__(self, files: List[np.ndarray]) -> None:
        self.files = files
        self.mean = np.asarray(MEAN, np.float32)
        self.inverse_std = 1 / np.asarray(STD, np.float32)
        self.rng = random.Random(0)

    def __len__(self) -> int:
        return len(self.files)

    def __getitem__(self, index: int):
        from PIL import Image

        image = Image.open(io.BytesIO(self.files[index].tobytes())).convert("RGB")
        left, top, w, h = random_resized_crop_window(image.width, image.height, self.rng)
        image = image.crop((left, top, left + w, top + h)).resize((SIDE, SIDE), Image.BILINEAR)
        if self.rng.random() < 0.5:
            image = image.transpose(Image.FLIP_LEFT_RIGHT)
        pixels = (np.asarray(image, np.float32) - self.mean) * self.inverse_std
        return np.ascontiguousarray(pixels.transpose(2, 0, 1)), index % 1000


def dataloader_runner(files: List[np.ndarray]) -> Callable[[], int]:
    import torch.utils.data

    def run() -> int:
        loader = torch.utils.data.DataLoader(PillowImages(files), batch_size=BATCH,
                                             num_workers=WORKERS)
        return sum(len(images) for images, _ in loader)
    return run


RESIZE_IMAGES = 64


def photos_500x375(count: int, seed: int = 1) -> List[np.ndarray]:
    """Photograph-like 375x500 RGB arrays (smooth fields, an edge, noise)."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:375, 0:500].astype(np.float32)
    images = []
    for i in range(count):
        a, b = rng.uniform(0.5, 3.0, 2)
        field = np.stack([127 + 100 * np.sin(x / (9 * a) + i), 127 + 100 * np.cos(y / (11 * b)),
                          127 + 100 * np.sin((x + y) / 23)], axis=-1)
        field[100:220, 150:330] = rng.uniform(0, 255, 3)
        field += rng.normal(0, 12, field.shape)
        images.append(np.clip(field, 0, 255).astype(np.uint8))
    return images


def resize_figures(quick: bool) -> List[Figure]:
    """Resize alone against Pillow's resize, both one image per call."""
    from PIL import Image

    from headrace.dataset import vision

    images = photos_500x375(RESIZE_IMAGES // 4 if quick else RESIZE_IMAGES)
    pil_images = [Image.fromarray(image) for image in images]
    figures = []
    for size, pil_size, label in [((224, 224), (224, 224), "to 224x224"), (256, (341, 256), "shorter side to 256")]:
        op = vision.Resize(size, vision.Inter.LINEAR)
        assert op(images[0]).shape[:2] == (pil_size[1], pil_size[0])
        repeats = 3 if quick else 10

        def ours(op=op) -> None:
            for _ in range(repeats):
                for image in images:
                    op(image)

        def pillow(pil_size=pil_size) -> None:
            for _ in range(repeats):
                for image in pil_images:
                    image.resize(pil_size, Image.BILINEAR)

        seconds = interleaved_median_seconds({"ours": ours, "pillow": pillow}, rounds=3 if quick else 7)
        count = repeats * len(images)
        figures.append(Figure(NAME, f"Resize {label} LINEAR, 500x375 uint8, one call per image", "images/s",
                              count / seconds["ours"], "Pillow Image.resize BILINEAR", count / seconds["pillow"],
                              higher_is_better=True))
    return figures


def run(quick: bool = False) -> List[Figure]:
    count = IMAGES // 8 if quick else IMAGES
    files = synthetic_jpegs(count)
    runners: Dict[str, Callable[[], int]] = {
        "fused": headrace_runner(files, fused=True),
        "unfused": headrace_runner(files, fused=False),
    }
    try:
        import torch  # noqa: F401
        runners["DataLoader"] = dataloader_runner(files)
    except ImportError:
        print(f"{NAME}: torch is not installed; the DataLoader anchor is skipped")
    for name, runner in runners.items():
        assert runner() == count, name  # also warms each one up
    seconds = interleaved_median_seconds(runners, rounds=2 if quick else 5)
    rate = {name: count / value for name, value in seconds.items()}
    if "DataLoader" not in rate:
        return resize_figures(quick)
    what = f"{count} JPEG {SIDE}px decode+RRC+flip+norm, w=2"
    return [
        Figure(NAME, what, "images/s", rate["fused"], "DataLoader+Pillow w=2", rate["DataLoader"],
               higher_is_better=True),
        Figure(NAME, "the same, Decode not fused", "images/s", rate["unfused"],
               "DataLoader+Pillow w=2", rate["DataLoader"], higher_is_better=True),
        *resize_figures(quick),
    ]
