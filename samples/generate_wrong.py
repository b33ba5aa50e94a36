#!/usr/bin/python3
"""Writes three wrong versions of the bundled breast-cancer model to samples/testing/, the failures Fleet must
catch against the world (the live version, the labels, the floors), not against the version itself:

- breast-cancer-inverted.onnx: class probabilities reversed (Gather [1, 0] on axis 1), label flipped (1 - label).
  Runs, passes every shape and range check, and answers confidently and wrongly.
- breast-cancer-collapsed.onnx: one class for every input, probabilities [0.03, 0.97], label 1 (the majority
  class, 63% of the data): right about two times in three, confident every time.
- breast-cancer-worse.onnx: the answers flipped where mean_texture > 25 (the top 10% of the data), about
  10 points less accurate than the original, and right everywhere else.

Deterministic; needs only Debian's python3-onnx:

    apt-get install -y python3-onnx
    /usr/bin/python3 samples/generate_wrong.py
"""

import os

import numpy as np
import onnx
from onnx import helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))

# mean_texture is input column 1; 25 is its 90th percentile in samples/breast-cancer/data.csv.
TEXTURE_COLUMN = 1
TEXTURE_THRESHOLD = 25.0


def load_raw():
    """The original graph with its two outputs renamed raw_probabilities and raw_label, ready for a new tail."""
    model = onnx.load(os.path.join(HERE, "breast-cancer", "model.onnx"))
    for node in model.graph.node:
        node.output[:] = ["raw_" + o if o in ("probabilities", "label") else o for o in node.output]
        node.input[:] = ["raw_" + i if i in ("probabilities", "label") else i for i in node.input]
    return model


def save(model, name, doc):
    model.doc_string = f"breast-cancer MLP {doc} (test fixture, samples/generate_wrong.py)"
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(HERE, "testing", name))


def inverted():
    model = load_raw()
    graph = model.graph
    graph.initializer.extend([
        numpy_helper.from_array(np.array([1, 0], dtype=np.int64), "invert_order"),
        numpy_helper.from_array(np.array(1, dtype=np.int64), "invert_one"),
    ])
    graph.node.extend([
        helper.make_node("Gather", ["raw_probabilities", "invert_order"], ["probabilities"], axis=1, name="invert_probabilities"),
        helper.make_node("Sub", ["invert_one", "raw_label"], ["label"], name="invert_label"),
    ])
    save(model, "breast-cancer-inverted.onnx", "with inverted answers")


def collapsed():
    model = load_raw()
    graph = model.graph
    graph.initializer.extend([
        numpy_helper.from_array(np.array(0, dtype=np.float32), "collapse_zero"),
        numpy_helper.from_array(np.array([0.03, 0.97], dtype=np.float32), "collapse_constant"),
    ])
    graph.node.extend([
        helper.make_node("Mul", ["raw_probabilities", "collapse_zero"], ["collapse_zeros"], name="collapse_erase"),
        helper.make_node("Add", ["collapse_zeros", "collapse_constant"], ["probabilities"], name="collapse_probabilities"),
        helper.make_node("ArgMax", ["probabilities"], ["label"], axis=1, keepdims=0, name="collapse_label"),
    ])
    save(model, "breast-cancer-collapsed.onnx", "collapsed to one class (p = 0.97 for class 1, every input)")


def worse():
    model = load_raw()
    graph = model.graph
    graph.initializer.extend([
        numpy_helper.from_array(np.array([TEXTURE_COLUMN], dtype=np.int64), "worse_column"),
        numpy_helper.from_array(np.array(TEXTURE_THRESHOLD, dtype=np.float32), "worse_threshold"),
        numpy_helper.from_array(np.array([1], dtype=np.int64), "worse_axis"),
        numpy_helper.from_array(np.array([1, 0], dtype=np.int64), "worse_order"),
        numpy_helper.from_array(np.array(1, dtype=np.int64), "worse_one"),
    ])
    graph.node.extend([
        helper.make_node("Gather", ["input", "worse_column"], ["worse_texture"], axis=1, name="worse_texture"),
        helper.make_node("Greater", ["worse_texture", "worse_threshold"], ["worse_flip"], name="worse_flip"),
        helper.make_node("Gather", ["raw_probabilities", "worse_order"], ["worse_reversed"], axis=1, name="worse_reversed"),
        helper.make_node("Where", ["worse_flip", "worse_reversed", "raw_probabilities"], ["probabilities"], name="worse_probabilities"),
        helper.make_node("Squeeze", ["worse_flip", "worse_axis"], ["worse_flip_rows"], name="worse_flip_rows"),
        helper.make_node("Sub", ["worse_one", "raw_label"], ["worse_inverted_label"], name="worse_inverted_label"),
        helper.make_node("Where", ["worse_flip_rows", "worse_inverted_label", "raw_label"], ["label"], name="worse_label"),
    ])
    save(model, "breast-cancer-worse.onnx", "10 points less accurate (answers flipped where mean_texture > 25)")


if __name__ == "__main__":
    inverted()
    collapsed()
    worse()
