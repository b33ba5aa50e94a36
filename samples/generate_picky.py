#!/usr/bin/python3
"""Writes samples/testing/picky.onnx: a healthy graph that some inputs make ONNX Runtime fail.

Input `x` FP32 [1, n] (n dynamic) -> Reshape to [-1, 4] -> ReduceSum over axis 1 -> `sums` FP32 [n / 4].
ONNX Runtime's Reshape kernel fails (RUNTIME_EXCEPTION, not INVALID_ARGUMENT) when n is not a multiple
of 4, the way real graphs fail on odd image sizes or a too-short audio chunk: the input is at fault, not
the model. Deterministic (no randomness); needs only Debian's python3-onnx:

    apt-get install -y python3-onnx
    /usr/bin/python3 samples/generate_picky.py
"""

import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    inits = [
        numpy_helper.from_array(np.array([-1, 4], dtype=np.int64), "block_shape"),
        numpy_helper.from_array(np.array([1], dtype=np.int64), "axes"),
    ]
    nodes = [
        helper.make_node("Reshape", ["x", "block_shape"], ["blocks"], name="to_blocks"),
        helper.make_node("ReduceSum", ["blocks", "axes"], ["sums"], keepdims=0, name="block_sums"),
    ]
    graph = helper.make_graph(
        nodes, "picky",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, "n"])],
        [helper.make_tensor_value_info("sums", TensorProto.FLOAT, ["blocks"])],
        initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="fleet-samples",
                              producer_version="1", doc_string="Sums blocks of 4 values; fails when the length is not a multiple of 4.")
    model.ir_version = 8
    model.model_version = 1
    onnx.checker.check_model(model, full_check=True)
    with open(os.path.join(HERE, "testing", "picky.onnx"), "wb") as f:
        f.write(model.SerializeToString())


if __name__ == "__main__":
    main()
