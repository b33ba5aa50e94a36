#!/usr/bin/python3
"""Writes samples/testing/breast-cancer-inverted.onnx: the bundled breast-cancer model with its answers inverted.

The same graph, then its class probabilities reversed (Gather [1, 0] on axis 1) and its label flipped
(1 - label): a version that runs, passes every shape and range check and answers confidently and wrongly,
the failure Fleet must catch against the world (the live version's labels, floors, the reference labels),
not against itself. Deterministic; needs only Debian's python3-onnx:

    apt-get install -y python3-onnx
    /usr/bin/python3 samples/generate_inverted.py
"""

import os

import numpy as np
import onnx
from onnx import helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    model = onnx.load(os.path.join(HERE, "breast-cancer", "model.onnx"))
    graph = model.graph
    for node in graph.node:
        node.output[:] = ["raw_" + o if o in ("probabilities", "label") else o for o in node.output]
        node.input[:] = ["raw_" + i if i in ("probabilities", "label") else i for i in node.input]
    graph.initializer.extend([
        numpy_helper.from_array(np.array([1, 0], dtype=np.int64), "invert_order"),
        numpy_helper.from_array(np.array(1, dtype=np.int64), "invert_one"),
    ])
    graph.node.extend([
        helper.make_node("Gather", ["raw_probabilities", "invert_order"], ["probabilities"], axis=1, name="invert_probabilities"),
        helper.make_node("Sub", ["invert_one", "raw_label"], ["label"], name="invert_label"),
    ])
    model.doc_string = "breast-cancer MLP with inverted answers (test fixture, samples/generate_inverted.py)"
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(HERE, "testing", "breast-cancer-inverted.onnx"))


if __name__ == "__main__":
    main()
