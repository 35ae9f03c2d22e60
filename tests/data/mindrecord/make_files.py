"""Writes the MindRecord files in this folder with MindSpore 2.10 (run with a Python that
has mindspore; the tests only read the results). Values are derived from the row number,
so the tests recompute them instead of storing them; what MindSpore reads back from each
file (order, dtypes, shapes, values) is stored in mindspore_reads.json."""

import json
import os

import numpy as np
from mindspore.mindrecord import FileWriter
import mindspore.dataset as ds

from rows import TYPES_SCHEMA, pages_row, types_row

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, schema, rows, shard_num=1, calls=1, page_size=1 << 15, index=None):
    path = os.path.join(HERE, name)
    writer = FileWriter(path, shard_num=shard_num, overwrite=True)
    writer.set_header_size(1 << 14)
    writer.set_page_size(page_size)
    writer.add_schema(schema, name)
    if index:
        writer.add_index(index)
    step = (len(rows) + calls - 1) // calls
    for start in range(0, len(rows), step):
        writer.write_raw_data(rows[start:start + step])
    writer.commit()


def reads(files):
    data = ds.MindDataset([os.path.join(HERE, f) for f in files], shuffle=False)
    out = []
    for row in data.create_dict_iterator(output_numpy=True, num_epochs=1):
        out.append({k: [str(v.dtype), list(v.shape)] for k, v in row.items()})
    return data.get_dataset_size(), out


def main():
    write("types.mindrecord", TYPES_SCHEMA, [types_row(i) for i in range(30)])
    write("pages.mindrecord", {"id": {"type": "int64"}, "label": {"type": "int32"}, "data": {"type": "bytes"}},
          [pages_row(i) for i in range(60)], shard_num=2, calls=3)
    write("noblob.mindrecord", {"id": {"type": "int64"}, "name": {"type": "string"}},
          [{"id": i, "name": f"n{i}"} for i in range(10)])
    write("onlyblob.mindrecord", {"data": {"type": "bytes"}, "vec": {"type": "int64", "shape": [3]}},
          [{"data": bytes([i] * (i + 1)), "vec": np.array([i, -i, 1000 * i], np.int64)} for i in range(10)])
    result = {}
    for name, files in [("types", ["types.mindrecord"]), ("pages", ["pages.mindrecord0", "pages.mindrecord1"]),
                        ("noblob", ["noblob.mindrecord"]), ("onlyblob", ["onlyblob.mindrecord"])]:
        size, rows = reads(files)
        data = ds.MindDataset([os.path.join(HERE, f) for f in files], shuffle=False)
        first = [int(r["id"]) if "id" in r else None for r in data.create_dict_iterator(output_numpy=True, num_epochs=1)]
        result[name] = {"num_rows": size, "columns": data.get_col_names(), "types_of_row0": rows[0],
                        "order": first if first[0] is not None else None}
    with open(os.path.join(HERE, "mindspore_reads.json"), "w") as out:
        json.dump(result, out, indent=1)


if __name__ == "__main__":
    main()
