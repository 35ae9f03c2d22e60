"""TextFileDataset: the lines of text files as rows (mindspore.dataset.TextFileDataset).

Each non-empty line is a row of one ``text`` column, a 0-d string array. Lines end with
"\\n" or "\\r\\n" (the "\\r" is dropped, unlike MindSpore, which keeps it); the last line
needs no line end. A line that is not UTF-8 is a DataLossError naming the file and the
line. Files are read by the C++ record-file op (record_files.py): shards are equal runs of
rows over the files one after another, shuffles as Shuffle describes.
"""

from __future__ import annotations

from typing import Any, Optional

from headrace.dataset.record_files import RecordFilesDataset, Shuffle

__all__ = ["TextFileDataset"]


class TextFileDataset(RecordFilesDataset):
    _equal_rows = True

    def __init__(self, dataset_files: Any, num_samples: Optional[int] = None,
                 num_parallel_workers: Optional[int] = None, shuffle: Any = Shuffle.GLOBAL,
                 num_shards: Optional[int] = None, shard_id: Optional[int] = None,
                 cache: Any = None) -> None:
        super().__init__()
        self._init_files(dataset_files, num_samples, num_parallel_workers, shuffle, num_shards,
                         shard_id, cache)

    def _make_format(self) -> Any:
        from headrace._core import records as _records

        return _records.TextLineFormat()
