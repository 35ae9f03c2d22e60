"""headrace.dataset.vision against Pillow on the same input."""

from __future__ import annotations

import io

import numpy as np
import pytest

import headrace.dataset as ds
from headrace.dataset import vision

# These tests hold the transforms to Pillow (config.set_image_resampling("pillow")).
pytestmark = pytest.mark.usefixtures("pillow_resampling")

Image = pytest.importorskip("PIL.Image")


def encoded(array: np.ndarray, fmt: str, **options) -> np.ndarray:
    out = io.BytesIO()
    Image.fromarray(array).save(out, format=fmt, **options)
    return np.frombuffer(out.getvalue(), dtype=np.uint8)


def picture(height: int = 37, width: int = 53) -> np.ndarray:
    rng = np.random.default_rng(3)
    return rng.integers(0, 256, (height, width, 3), dtype=np.uint8)


def pillow_rgb(data: np.ndarray) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data.tobytes())).convert("RGB"))


@pytest.mark.parametrize("fmt, options", [("JPEG", {"quality": 90}), ("PNG", {})])
def test_decode_matches_pillow(fmt, options):
    data = encoded(picture(), fmt, **options)
    got = vision.Decode()(data)
    assert got.dtype == np.uint8 and got.shape == (37, 53, 3)
    np.testing.assert_array_equal(got, pillow_rgb(data))


@pytest.mark.parametrize("mode", ["L", "P", "RGBA", "I;16"])
def test_decode_converts_png_modes_to_rgb_as_pillow(mode):
    image = Image.fromarray(picture()).convert(mode if mode != "I;16" else "L")
    grey = np.asarray(image)
    if mode == "I;16":  # Pillow clips 16-bit values to 255; the high byte is the image
        image = Image.fromarray(grey.astype(np.uint16) * 257)
    out = io.BytesIO()
    image.save(out, format="PNG")
    data = np.frombuffer(out.getvalue(), dtype=np.uint8)
    expected = np.repeat(grey[..., None], 3, axis=2) if mode == "I;16" else pillow_rgb(data)
    np.testing.assert_array_equal(vision.Decode()(data), expected)


def test_decode_in_a_pipeline():
    images = [encoded(picture(10 + i, 20), "PNG") for i in range(4)]
    data = ds.GeneratorDataset(lambda: iter((img,) for img in images), ["image"])
    data = data.map(vision.Decode(), input_columns="image", num_parallel_workers=2)
    shapes = [row[0].shape for row in data.create_tuple_iterator(num_epochs=1)]
    assert shapes == [(10 + i, 20, 3) for i in range(4)]


def test_decode_errors_name_the_transform_and_the_fault():
    jpeg = encoded(picture(64, 64), "JPEG")
    with pytest.raises(ValueError, match="Decode: corrupt or truncated JPEG"):
        vision.Decode()(jpeg[: len(jpeg) // 2].copy())
    with pytest.raises(ValueError, match="Decode: the data is neither JPEG nor PNG"):
        vision.Decode()(np.zeros(100, dtype=np.uint8))
    with pytest.raises(ValueError, match="Decode: expected the encoded image as a 1-D uint8 array, "
                                         "got float32 of shape"):
        vision.Decode()(np.zeros((4, 4), dtype=np.float32))
    png = encoded(picture(), "PNG")
    with pytest.raises(ValueError, match="Decode: corrupt or truncated PNG"):
        vision.Decode()(png[: len(png) - 200].copy())
