"""MixUpBatch, CutMixBatch and MixUp: each output image against the NumPy formula at the
lambda and partner its one-hot labels reveal, the distribution of the draws, pipelines
after batch() with several workers, and errors."""

from __future__ import annotations

import numpy as np
import pytest

import headrace.dataset as ds
from headrace.dataset import vision
from headrace.dataset.vision import ImageBatchFormat


def batch_of(n: int, shape=(6, 7, 3), dtype=np.uint8, seed=0):
    """n random images and one-hot labels naming each image's own class (N = C)."""
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, size=(n,) + shape).astype(dtype)
    return images, np.eye(n, dtype=np.int32)


def partner_and_lambda(label_row: np.ndarray, i: int):
    """The image a mixed row took its rest from, and its own weight."""
    others = [j for j in np.flatnonzero(label_row) if j != i]
    return (others[0], float(label_row[i])) if others else (i, 1.0)


# -- MixUpBatch -------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
@pytest.mark.parametrize("shape", [(6, 7, 3), (1, 5, 4)])
def test_mixup_batch_mixes_every_image_with_one_lambda(dtype, shape):
    images, labels = batch_of(8, shape, dtype)
    ds.config.set_seed(3)
    out_images, out_labels = vision.MixUpBatch(alpha=0.8)(images, labels)
    assert out_images.dtype == dtype and out_images.shape == images.shape
    assert out_labels.dtype == np.float32 and out_labels.shape == labels.shape
    np.testing.assert_allclose(out_labels.sum(axis=1), 1.0, rtol=1e-6)
    lams = set()
    partners = []
    for i in range(8):
        j, lam = partner_and_lambda(out_labels[i], i)
        partners.append(j)
        if j == i:  # lam * x + (1 - lam) * x: x, up to float rounding
            np.testing.assert_allclose(out_images[i], images[i], rtol=1e-6, atol=0 if dtype == np.uint8 else 1e-4)
            continue
        lams.add(round(lam, 6))
        lam32 = np.float32(lam)
        mixed = lam32 * images[i].astype(np.float32) + (np.float32(1) - lam32) * images[j].astype(np.float32)
        if dtype == np.uint8:  # MindSpore 2.10's uint8 output is exactly this (checked against it)
            np.testing.assert_array_equal(out_images[i], np.clip(np.rint(mixed), 0, 255))
        else:
            np.testing.assert_allclose(out_images[i], mixed, rtol=1e-6)
    assert len(lams) <= 1  # one lambda for the batch
    assert sorted(partners) == list(range(8))  # a permutation


def test_mixup_batch_lambda_follows_beta():
    images, labels = batch_of(4, (2, 2, 1))
    ds.config.set_seed(9)
    draws = []
    op = vision.MixUpBatch(alpha=0.5)
    for _ in range(600):
        _, out = op(images, labels)
        j, lam = partner_and_lambda(out[0], 0)
        if j != 0:
            draws.append(lam)
    draws = np.array(draws)
    # Beta(0.5, 0.5): mean 1/2, variance 1 / (4 (2 alpha + 1)) = 1/8.
    assert abs(draws.mean() - 0.5) < 0.05 and abs(draws.var() - 0.125) < 0.02


def test_mixup_batch_labels_of_several_per_image():
    images, _ = batch_of(3)
    labels = np.zeros((3, 2, 4), np.int64)
    labels[:, 0, 1] = 1
    labels[:, 1, 3] = 1
    _, out = vision.MixUpBatch()(images, labels)
    assert out.shape == (3, 2, 4)
    np.testing.assert_allclose(out, labels.astype(np.float32))  # the same labels mix to themselves


def test_mixup_batch_takes_any_numeric_labels_and_images():
    images, labels = batch_of(4, (3, 3, 1))
    for label_dtype in (np.float32, np.float64, np.uint8):
        _, out = vision.MixUpBatch()(images, labels.astype(label_dtype))
        assert out.dtype == np.float32  # as MindSpore 2.10
    out_images, out_labels = vision.MixUpBatch()(images.astype(np.int16) * 100, labels)
    assert out_images.dtype == np.int16
    for i in range(4):
        j, lam = partner_and_lambda(out_labels[i], i)
        mixed = lam * images[i].astype(float) * 100 + (1 - lam) * images[j].astype(float) * 100
        np.testing.assert_allclose(out_images[i], np.rint(mixed), atol=1)


def test_mixup_batch_errors():
    images, labels = batch_of(4)
    with pytest.raises(ValueError, match="MixUpBatch: alpha must be positive"):
        vision.MixUpBatch(alpha=0)
    with pytest.raises(TypeError, match="MixUpBatch: alpha must be a number"):
        vision.MixUpBatch(alpha="1")
    with pytest.raises(ValueError, match="MixUpBatch: images and labels must be numeric, got bool"):
        vision.MixUpBatch()(images, labels.astype(bool))
    with pytest.raises(ValueError, match="MixUpBatch: expected a batch of images .* got images of shape "
                                         r"\[6, 7, 3\]"):
        vision.MixUpBatch()(images[0], labels)
    with pytest.raises(ValueError, match="MixUpBatch: expected two columns"):
        vision.MixUpBatch()(images)


# -- CutMixBatch ------------------------------------------------------------------------

def constant_batch(n: int, height: int, width: int, nchw: bool):
    images = np.stack([np.full((height, width, 3), 10 * (k + 1), np.uint8) for k in range(n)])
    return (images.transpose(0, 3, 1, 2).copy() if nchw else images), np.eye(n, dtype=np.uint8)


@pytest.mark.parametrize("nchw", [False, True])
def test_cutmix_batch_pastes_one_box_from_the_partner(nchw):
    n, height, width = 6, 20, 24
    images, labels = constant_batch(n, height, width, nchw)
    fmt = ImageBatchFormat.NCHW if nchw else ImageBatchFormat.NHWC
    ds.config.set_seed(4)
    op = vision.CutMixBatch(fmt, alpha=1.0, prob=1.0)
    areas = []
    for _ in range(20):
        out_images, out_labels = op(images, labels)
        assert out_images.shape == images.shape and out_images.dtype == np.uint8
        assert out_labels.dtype == np.float32
        for i in range(n):
            image = out_images[i].transpose(1, 2, 0) if nchw else out_images[i]
            j, lam = partner_and_lambda(out_labels[i], i)
            pasted = (image == 10 * (j + 1)).all(axis=2) if j != i else np.zeros((height, width), bool)
            assert ((image == 10 * (i + 1)).all(axis=2) | pasted).all()
            if j == i:
                continue
            rows, cols = np.flatnonzero(pasted.any(axis=1)), np.flatnonzero(pasted.any(axis=0))
            box = pasted[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
            assert box.all() and box.size == pasted.sum()  # one rectangle
            # The labels mix by the pasted share: 1 - area / (H W), in float32.
            assert np.float32(lam) == np.float32(1) - np.float32(pasted.sum()) / np.float32(height * width)
            # MindSpore clamps the box inside [0, W - 1] x [0, H - 1].
            assert rows[-1] < height - 1 or box.shape[0] == 1
            areas.append(pasted.sum() / (height * width))
    assert 0.1 < np.mean(areas) < 0.6 and len(set(areas)) > 10


def test_cutmix_batch_prob():
    images, labels = constant_batch(8, 10, 10, False)
    ds.config.set_seed(1)
    out_images, out_labels = vision.CutMixBatch(ImageBatchFormat.NHWC, prob=0.0)(images, labels)
    np.testing.assert_array_equal(out_images, images)
    np.testing.assert_array_equal(out_labels, labels.astype(np.float32))
    op = vision.CutMixBatch(ImageBatchFormat.NHWC, prob=0.5)
    changed = sum(not np.array_equal(op(images, labels)[1][i], labels[i]) for _ in range(50) for i in range(8))
    assert 140 < changed < 260  # at most 200 of 400 minus the rows paired with themselves


def test_cutmix_batch_errors():
    images, labels = constant_batch(2, 4, 4, False)
    with pytest.raises(TypeError, match="CutMixBatch: image_batch_format must be a ImageBatchFormat"):
        vision.CutMixBatch("NHWC")
    with pytest.raises(ValueError, match=r"CutMixBatch: prob must be in \[0.0, 1.0\]"):
        vision.CutMixBatch(ImageBatchFormat.NHWC, prob=2)
    with pytest.raises(ValueError, match="CutMixBatch: images do not match the NCHW format"):
        vision.CutMixBatch(ImageBatchFormat.NCHW)(images, labels)
    with pytest.raises(ValueError, match=r"CutMixBatch: labels must be one-hot of shape \(N, C\) or \(N, L, C\)"):
        vision.CutMixBatch(ImageBatchFormat.NHWC)(images, np.zeros((2,), np.int32))


# -- MixUp ------------------------------------------------------------------------------

def test_mixup_single_mixes_each_image_with_the_next():
    images, labels = batch_of(5, (3, 4, 3))
    ds.config.set_seed(6)
    out_images, out_labels = vision.MixUp(batch_size=5, alpha=0.4)(images, labels)
    assert out_images.dtype == np.float64 and out_labels.dtype == np.float64
    for i in range(5):
        lam = out_labels[i, i]
        assert out_labels[i, (i + 1) % 5] == pytest.approx(1 - lam)
        shifted = images[(i + 1) % 5]
        np.testing.assert_array_equal(out_images[i], lam * images[i] + (1 - lam) * shifted)
    assert len({round(float(out_labels[i, i]), 9) for i in range(5)}) == 5  # one lambda per image


def test_mixup_lambda_follows_beta():
    images, labels = batch_of(50, (1, 1, 1))
    ds.config.set_seed(2)
    lams = np.concatenate([np.diag(vision.MixUp(50, 2.0)(images, labels)[1]) for _ in range(20)])
    assert abs(lams.mean() - 0.5) < 0.03 and abs(lams.var() - 1 / 20) < 0.01  # Beta(2, 2)


def test_mixup_across_batches_mixes_with_the_previous_output():
    op = vision.MixUp(batch_size=3, alpha=1.0, is_single=False)
    first, labels = batch_of(3, (2, 2, 1), seed=1)
    second, _ = batch_of(3, (2, 2, 1), seed=2)
    out1, out_labels1 = op(first, labels)
    np.testing.assert_array_equal(out1, first.astype(np.float64))
    np.testing.assert_array_equal(out_labels1, labels.astype(np.float64))
    shifted_labels = np.roll(labels, 1, axis=1)  # row i names class (i + 1) % 3
    out2, out_labels2 = op(second, shifted_labels)
    lam = np.array([out_labels2[i, (i + 1) % 3] for i in range(3)])
    np.testing.assert_allclose(out_labels2, lam[:, None] * shifted_labels + (1 - lam[:, None]) * out_labels1)
    np.testing.assert_allclose(out2, lam[:, None, None, None] * second + (1 - lam[:, None, None, None]) * out1)


def test_mixup_errors():
    images, labels = batch_of(4)
    with pytest.raises(ValueError, match="MixUp: expected images \\(batch_size, H, W, C\\) .* batch_size 3"):
        vision.MixUp(3, 1.0)(images, labels)
    with pytest.raises(ValueError, match=r"MixUp: batch_size must be in \[1, "):
        vision.MixUp(0, 1.0)
    with pytest.raises(TypeError, match="MixUp: is_single must be a bool"):
        vision.MixUp(2, 1.0, is_single=None)


# -- pipelines --------------------------------------------------------------------------

def mixed(seed: int, workers: int) -> list:
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(40, 8, 8, 3)).astype(np.uint8)
    labels = np.eye(5, dtype=np.int32)[np.arange(40) % 5]
    ds.config.set_seed(seed)
    data = ds.NumpySlicesDataset({"image": images, "label": labels}, shuffle=False).batch(8)
    data = data.map([vision.CutMixBatch(ImageBatchFormat.NHWC, 1.0, 0.8), vision.MixUpBatch(0.5)],
                    input_columns=["image", "label"], num_parallel_workers=workers)
    return list(data.create_tuple_iterator(num_epochs=1))


def test_batch_mixers_repeat_with_the_seed_and_any_number_of_workers():
    first = mixed(5, 1)
    assert len(first) == 5
    for (a_images, a_labels), (b_images, b_labels) in zip(first, mixed(5, 3)):
        np.testing.assert_array_equal(a_images, b_images)
        np.testing.assert_array_equal(a_labels, b_labels)
    other = mixed(6, 1)
    assert sum(np.array_equal(a[1], b[1]) for a, b in zip(first, other)) < 2
    assert first[0][0].shape == (8, 8, 8, 3) and first[0][1].shape == (8, 5) and first[0][1].dtype == np.float32
