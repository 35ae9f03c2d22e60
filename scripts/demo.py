"""headrace demo: what the installed package does today, end to end.

Starts a real headrace-server on 127.0.0.1 (port 0: the server picks a free port and
says which), asks it for its status over gRPC, runs a pipeline through the threaded engine
(a Python map on 2 worker threads, a native TypeCast, shuffle, batch), hands NumPy arrays
to headrace's C++ core and back without copying, shows an error crossing from C++ as a
Python exception, and stops the server with SIGTERM. The cache and the channel join this
demo as they land (see `issues`).
"""

from __future__ import annotations

import time

import numpy as np

import headrace
import headrace.dataset as ds
from headrace.dataset import transforms
from headrace.errors import InvalidArgumentError
from headrace.server import ServerProcess


def main() -> None:
    print(f"headrace {headrace.__version__}")

    with ServerProcess.start(host="127.0.0.1", port=0) as server:
        print(f"started headrace-server pid {server.pid}, listening on {server.address}")
        status = server.status()
        print(f"status RPC: version {status['version']}, pid {status['pid']}, "
              f"port {status['port']}, up {status['uptime_seconds']:.3f} s")
        assert status["pid"] == server.pid and status["port"] == server.port

        pipeline = ds.NumpySlicesDataset(
            {"image": np.arange(10 * 4, dtype=np.int32).reshape(10, 4), "label": np.arange(10)},
            shuffle=False)
        pipeline = pipeline.map(lambda image: image * 2, input_columns="image",
                                num_parallel_workers=2)
        pipeline = pipeline.map(transforms.TypeCast(np.float32), input_columns="image")
        pipeline = pipeline.shuffle(4).batch(4)
        print(f"pipeline columns {pipeline.get_col_names()}, {pipeline.get_dataset_size()} batches:")
        for image, label in pipeline.create_tuple_iterator(num_epochs=1):
            print(f"  batch {image.dtype}{list(image.shape)} labels {label.tolist()}")

        images = np.random.default_rng(0).random((64, 224, 224, 3), dtype=np.float32)
        headrace.Tensor(images[:1]).numpy()  # the first call pays one-time set-up
        start = time.perf_counter()
        tensor = headrace.Tensor(images)
        back = tensor.numpy()
        elapsed_us = (time.perf_counter() - start) * 1e6
        shared = back.__array_interface__["data"][0] == images.ctypes.data
        print(f"{tensor!r}: {images.nbytes / 2**20:.0f} MB to C++ and back in "
              f"{elapsed_us:.0f} us, same memory: {shared}")
        assert shared

        words = headrace.Tensor(np.array(["cat", "собака", "猫"]))
        print(f"{words!r} -> {words.numpy().tolist()}")

        try:
            headrace.Tensor(np.zeros(3, dtype=np.complex64))
        except InvalidArgumentError as error:
            print(f"C++ error as Python {type(error).__name__} "
                  f"(a ValueError: {isinstance(error, ValueError)}): {error}")

        code = server.stop()
        print(f"server stopped by SIGTERM with exit code {code}")
        assert code == 0


if __name__ == "__main__":
    main()
