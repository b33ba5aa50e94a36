#!/usr/bin/python3
"""Regenerate the Fleet sample models and their fixtures.

Deterministic: every estimator and split has a fixed random_state and nothing
time-dependent is written, so re-running reproduces byte-identical files.

Requirements (Debian/Ubuntu):
    sudo apt-get install -y python3-onnx python3-numpy python3-sklearn
    /usr/bin/python3 samples/generate.py

Only opset 17 / IR version 8 operators are used, so the graphs load in any
recent onnxruntime. onnxruntime itself is not needed here: every graph is
cross-checked against a float32 numpy evaluation of the same math, and that
evaluation against scikit-learn's own predictions.
"""

import json
import os
import re
import warnings

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from sklearn.datasets import load_breast_cancer, load_diabetes, load_wine
from sklearn.metrics import accuracy_score, mean_absolute_error, r2_score
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.preprocessing import StandardScaler

OPSET = 17
IR_VERSION = 8
PRODUCER = "fleet-samples"
PRODUCER_VERSION = "1"
TEST_SIZE = 0.25
SPLIT_SEED = 0
REQUEST_ROWS = 3
GOLDEN_ROWS = 20

HERE = os.path.dirname(os.path.abspath(__file__))


# --------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------

def sanitize(name):
    """'mean radius' -> 'mean_radius', 'od280/od315_of...' -> 'od280_od315_of...'."""
    s = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    assert s, name
    return s


def write_text(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def write_bytes(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def write_json(path, obj):
    write_text(path, json.dumps(obj, indent=2, allow_nan=False) + "\n")


def fmt(v):
    """Shortest round-trip text of a float64 (repr) or an int."""
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    return repr(float(v))


def write_csv(path, header, rows):
    lines = [",".join(header)]
    for row in rows:
        lines.append(",".join(fmt(v) for v in row))
    write_text(path, "\n".join(lines) + "\n")


def f32_json(values):
    """float32 values as JSON numbers: the shortest text that parses back to
    the same float32 (e.g. 0.99999988 rather than 0.9999998807907715)."""
    return [float(str(np.float32(v))) for v in np.asarray(values, dtype=np.float32).ravel()]


def f64_json(values):
    return [float(v) for v in np.asarray(values, dtype=np.float64).ravel()]


def oip_tensor(name, datatype, shape, data):
    return {"name": name, "shape": list(shape), "datatype": datatype, "data": data}


def oip_request(request_id, rows):
    """OIP v2 request with one FP32 'input' tensor. The raw dataset values are
    written (short decimals); the server parses them into float32."""
    rows = np.asarray(rows, dtype=np.float64)
    return {
        "id": request_id,
        "inputs": [oip_tensor("input", "FP32", rows.shape, f64_json(rows))],
    }


def save_model(model, path):
    onnx.checker.check_model(model, full_check=True)
    data = model.SerializeToString()
    # Re-parse to be sure the bytes on disk are a valid model.
    onnx.checker.check_model(onnx.load_model_from_string(data), full_check=True)
    write_bytes(path, data)
    return len(data)


def make_model(graph, doc, metadata):
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", OPSET)],
        producer_name=PRODUCER,
        producer_version=PRODUCER_VERSION,
        doc_string=doc,
    )
    model.ir_version = IR_VERSION
    model.model_version = 1
    helper.set_model_props(model, metadata)
    return model


def const(name, array):
    return numpy_helper.from_array(np.ascontiguousarray(array), name)


# --------------------------------------------------------------------------
# MLP -> ONNX
# --------------------------------------------------------------------------

def mlp_layers(est, out_scale=None, out_shift=None, binary=False):
    """float32 (W, b) per layer, final layer adjusted for the output head."""
    layers = []
    n = len(est.coefs_)
    for i, (w, b) in enumerate(zip(est.coefs_, est.intercepts_)):
        w = np.asarray(w, dtype=np.float64)
        b = np.asarray(b, dtype=np.float64)
        if i == n - 1:
            if binary:
                # One logit z -> two logits [0, z]: Softmax([0, z]) = [1 - sigmoid(z), sigmoid(z)].
                w = np.concatenate([np.zeros_like(w), w], axis=1)
                b = np.concatenate([np.zeros_like(b), b])
            if out_scale is not None:
                # Fold the target de-standardisation into the last Gemm.
                w = w * out_scale
                b = b * out_scale + out_shift
        layers.append((w.astype(np.float32), b.astype(np.float32)))
    return layers


def build_mlp_graph(graph_name, n_features, scaler, layers, task, nan_rule=None):
    """input -> Sub(mean) -> Div(scale) -> [Gemm -> Relu]* -> Gemm -> head."""
    inits = [
        const("scaler_mean", scaler.mean_.astype(np.float32)),
        const("scaler_scale", scaler.scale_.astype(np.float32)),
    ]
    nodes = [
        helper.make_node("Sub", ["input", "scaler_mean"], ["centered"], name="scaler_sub"),
        helper.make_node("Div", ["centered", "scaler_scale"], ["scaled"], name="scaler_div"),
    ]
    x = "scaled"
    for i, (w, b) in enumerate(layers):
        inits += [const(f"fc{i}_weight", w), const(f"fc{i}_bias", b)]
        last = i == len(layers) - 1
        out = "logits" if last else f"fc{i}_out"
        nodes.append(helper.make_node("Gemm", [x, f"fc{i}_weight", f"fc{i}_bias"], [out], name=f"fc{i}"))
        x = out
        if not last:
            nodes.append(helper.make_node("Relu", [x], [f"relu{i}_out"], name=f"relu{i}"))
            x = f"relu{i}_out"

    if nan_rule is not None:
        # logits *= Where(input[:, col] > threshold, NaN, 1)
        col, threshold = nan_rule
        inits += [
            const("nan_column", np.array([col], dtype=np.int64)),
            const("nan_threshold", np.array(threshold, dtype=np.float32)),
            const("nan_value", np.array(np.nan, dtype=np.float32)),
            const("one_value", np.array(1.0, dtype=np.float32)),
        ]
        nodes += [
            helper.make_node("Gather", ["input", "nan_column"], ["nan_probe"], axis=1, name="nan_gather"),
            helper.make_node("Greater", ["nan_probe", "nan_threshold"], ["nan_cond"], name="nan_greater"),
            helper.make_node("Where", ["nan_cond", "nan_value", "one_value"], ["nan_factor"], name="nan_where"),
            helper.make_node("Mul", [x, "nan_factor"], ["poisoned_logits"], name="nan_mul"),
        ]
        x = "poisoned_logits"

    inputs = [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", n_features])]
    if task == "classification":
        n_classes = layers[-1][0].shape[1]
        nodes += [
            helper.make_node("Softmax", [x], ["probabilities"], axis=1, name="softmax"),
            helper.make_node("ArgMax", ["probabilities"], ["label"], axis=1, keepdims=0, name="argmax"),
        ]
        outputs = [
            helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["batch", n_classes]),
            helper.make_tensor_value_info("label", TensorProto.INT64, ["batch"]),
        ]
    else:
        nodes[-1].output[0] = "prediction"
        outputs = [helper.make_tensor_value_info("prediction", TensorProto.FLOAT, ["batch", 1])]
    return helper.make_graph(nodes, graph_name, inputs, outputs, initializer=inits)


def eval_mlp_f32(x, scaler, layers, task, nan_rule=None):
    """float32 numpy evaluation of exactly the graph above."""
    x = np.asarray(x, dtype=np.float32)
    h = (x - scaler.mean_.astype(np.float32)) / scaler.scale_.astype(np.float32)
    for i, (w, b) in enumerate(layers):
        h = (h @ w + b).astype(np.float32)
        if i < len(layers) - 1:
            h = np.maximum(h, np.float32(0))
    if nan_rule is not None:
        col, threshold = nan_rule
        factor = np.where(x[:, [col]] > np.float32(threshold), np.float32(np.nan), np.float32(1))
        h = (h * factor).astype(np.float32)
    if task == "regression":
        return {"prediction": h}
    m = h.max(axis=1, keepdims=True)
    e = np.exp(h - m).astype(np.float32)
    p = (e / e.sum(axis=1, keepdims=True)).astype(np.float32)
    return {"probabilities": p, "label": p.argmax(axis=1).astype(np.int64)}


def golden_doc(model_name, request_id, rows, outputs, task, tolerance):
    rows = np.asarray(rows)
    if task == "classification":
        p, lab = outputs["probabilities"], outputs["label"]
        expected = [
            oip_tensor("probabilities", "FP32", p.shape, f32_json(p)),
            oip_tensor("label", "INT64", lab.shape, [int(v) for v in lab]),
        ]
    else:
        y = outputs["prediction"]
        expected = [oip_tensor("prediction", "FP32", y.shape, f32_json(y))]
    return {
        "model": model_name,
        "tolerance": tolerance,
        "request": oip_request(request_id, rows),
        "expected": {"outputs": expected},
    }


# --------------------------------------------------------------------------
# datasets and training
# --------------------------------------------------------------------------

def dataset(name):
    if name == "breast-cancer":
        d = load_breast_cancer()
        return d.data, d.target, list(d.feature_names), [str(c) for c in d.target_names], "breast_cancer"
    if name == "wine":
        d = load_wine()
        return d.data, d.target, list(d.feature_names), [str(c) for c in d.target_names], "wine"
    if name == "diabetes":
        # Raw (unscaled) features: age, sex (1/2), bmi, bp, s1..s6; target is
        # the disease progression measure one year after baseline (25..346).
        d = load_diabetes(scaled=False)
        return d.data, d.target, list(d.feature_names), None, "diabetes"
    raise ValueError(name)


def train(name, task, hidden, seed, solver="adam", alpha=1e-2):
    X, y, feats, classes, ds = dataset(name)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=TEST_SIZE, random_state=SPLIT_SEED)
    scaler = StandardScaler().fit(X_tr)
    Z_tr, Z_te = scaler.transform(X_tr), scaler.transform(X_te)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a ConvergenceWarning is a failure
        if task == "classification":
            est = MLPClassifier(hidden_layer_sizes=hidden, solver=solver, alpha=alpha,
                                max_iter=5000, random_state=seed).fit(Z_tr, y_tr)
            assert list(est.classes_) == list(range(len(classes))), est.classes_
            out_scale = out_shift = None
        else:
            y_mu, y_sd = float(y_tr.mean()), float(y_tr.std())
            est = MLPRegressor(hidden_layer_sizes=hidden, solver=solver, alpha=alpha,
                               max_iter=5000, random_state=seed).fit(Z_tr, (y_tr - y_mu) / y_sd)
            out_scale, out_shift = y_sd, y_mu
    layers = mlp_layers(est, out_scale, out_shift, binary=(task == "classification" and len(classes) == 2))

    # sklearn reference on the held-out split, and the float32 graph math.
    got = eval_mlp_f32(X_te, scaler, layers, task)
    if task == "classification":
        ref = est.predict_proba(Z_te)
        np.testing.assert_allclose(got["probabilities"], ref, rtol=0, atol=1e-5)
        assert (got["label"] == est.predict(Z_te)).all()
        metrics = {"accuracy": accuracy_score(y_te, got["label"]),
                   "train_accuracy": accuracy_score(y_tr, est.predict(Z_tr))}
    else:
        ref = est.predict(Z_te) * out_scale + out_shift
        np.testing.assert_allclose(got["prediction"][:, 0], ref, rtol=1e-5, atol=1e-5)
        metrics = {"r2": r2_score(y_te, got["prediction"][:, 0]),
                   "mae": mean_absolute_error(y_te, got["prediction"][:, 0])}
    return {
        "X": X, "y": y, "X_tr": X_tr, "y_tr": y_tr, "X_te": X_te, "y_te": y_te,
        "features": feats, "classes": classes, "dataset": ds,
        "scaler": scaler, "layers": layers, "metrics": metrics,
    }


def graph_tolerance(t, task, rows):
    """Tolerance for goldens: 1e-4, unless float32 rounding alone (float64 vs
    float32 evaluation of the same graph) could come near it."""
    x = np.asarray(rows, dtype=np.float32).astype(np.float64)
    h = (x - t["scaler"].mean_.astype(np.float32)) / t["scaler"].scale_.astype(np.float32)
    for i, (w, b) in enumerate(t["layers"]):
        h = h @ w.astype(np.float64) + b
        if i < len(t["layers"]) - 1:
            h = np.maximum(h, 0)
    f32 = eval_mlp_f32(rows, t["scaler"], t["layers"], task)
    if task == "classification":
        e = np.exp(h - h.max(axis=1, keepdims=True))
        err = np.abs(e / e.sum(axis=1, keepdims=True) - f32["probabilities"]).max()
    else:
        err = np.abs(h - f32["prediction"]).max()
    tol = 1e-4
    while err * 10 > tol:
        tol *= 10
    return tol, err


# --------------------------------------------------------------------------
# the three served samples
# --------------------------------------------------------------------------

SAMPLES = [
    {
        "name": "breast-cancer", "task": "classification", "hidden": (16,), "seed": 0, "solver": "adam", "alpha": 1e-2,
        "description": "Breast cancer (Wisconsin diagnostic) classifier: 30 cell-nucleus features -> malignant/benign (MLP 30-16-2).",
    },
    {
        "name": "wine", "task": "classification", "hidden": (16,), "seed": 0, "solver": "adam", "alpha": 1e-2,
        "description": "Wine cultivar classifier: 13 chemical-analysis features -> class_0/class_1/class_2 (MLP 13-16-3).",
    },
    {
        "name": "diabetes", "task": "regression", "hidden": (16,), "seed": 0, "solver": "lbfgs", "alpha": 30.0,
        "description": "Diabetes progression regressor: 10 baseline features -> disease progression one year later, ~25..350 (MLP 10-16-1).",
    },
]


def metadata(t, spec):
    props = {
        "dataset": t["dataset"],
        "task": spec["task"],
        "feature_names": ",".join(sanitize(f) for f in t["features"]),
    }
    if t["classes"] is not None:
        props["class_names"] = ",".join(t["classes"])
    return props


def emit_sample(spec):
    name, task = spec["name"], spec["task"]
    t = train(name, task, spec["hidden"], spec["seed"], spec["solver"], spec["alpha"])
    out = os.path.join(HERE, name)
    header = [sanitize(f) for f in t["features"]]
    n_features = len(header)

    graph = build_mlp_graph(sanitize(name) + "_mlp", n_features, t["scaler"], t["layers"], task)
    save_model(make_model(graph, spec["description"], metadata(t, spec)), os.path.join(out, "model.onnx"))

    target = [int(v) for v in t["y"]] if task == "classification" else [float(v) for v in t["y"]]
    target_tr = [int(v) for v in t["y_tr"]] if task == "classification" else [float(v) for v in t["y_tr"]]
    write_csv(os.path.join(out, "data.csv"), header + ["target"],
              [list(r) + [y] for r, y in zip(t["X"], target)])
    write_csv(os.path.join(out, "reference.csv"), header, t["X_tr"])
    write_csv(os.path.join(out, "reference_labeled.csv"), header + ["target"],
              [list(r) + [y] for r, y in zip(t["X_tr"], target_tr)])

    write_json(os.path.join(out, "request.json"), oip_request(f"sample-{name}", t["X_te"][:REQUEST_ROWS]))

    rows = t["X_te"][:GOLDEN_ROWS]
    tol, err = graph_tolerance(t, task, rows)
    golden = golden_doc(name, f"golden-{name}", rows, eval_mlp_f32(rows, t["scaler"], t["layers"], task), task, tol)
    write_json(os.path.join(out, "golden.json"), golden)

    write_json(os.path.join(out, "model.json"), {
        "name": name, "task": task, "description": spec["description"], "version": "1",
    })
    m = ", ".join(f"{k}={v:.4f}" for k, v in t["metrics"].items())
    print(f"{name:14s} {task:14s} train={len(t['X_tr'])} test={len(t['X_te'])}  {m}  "
          f"golden tolerance={tol:g} (f32 vs f64 max diff {err:.2e})")
    return t


# --------------------------------------------------------------------------
# test-only models
# --------------------------------------------------------------------------

def emit_wine_v2():
    name = "wine"
    t = train(name, "classification", (8,), 1, "adam", 1e-2)
    out = os.path.join(HERE, "testing")
    desc = "Wine cultivar classifier, second version for tests: same signature as wine, different weights (MLP 13-8-3)."
    graph = build_mlp_graph("wine_mlp_v2", len(t["features"]), t["scaler"], t["layers"], "classification")
    spec = {"task": "classification"}
    save_model(make_model(graph, desc, metadata(t, spec)), os.path.join(out, "wine-v2.onnx"))
    rows = t["X_te"][:GOLDEN_ROWS]
    tol, err = graph_tolerance(t, "classification", rows)
    outputs = eval_mlp_f32(rows, t["scaler"], t["layers"], "classification")
    write_json(os.path.join(out, "wine-v2.golden.json"),
               golden_doc(name, "golden-wine-v2", rows, outputs, "classification", tol))
    m = ", ".join(f"{k}={v:.4f}" for k, v in t["metrics"].items())
    print(f"{'wine-v2':14s} {'classification':14s} train={len(t['X_tr'])} test={len(t['X_te'])}  {m}  "
          f"golden tolerance={tol:g} (f32 vs f64 max diff {err:.2e})")


def emit_breast_cancer_nan(t):
    """Same weights as breast-cancer; rows with raw mean_radius > 17 give NaN."""
    col, threshold = 0, 17.0
    out = os.path.join(HERE, "testing")
    desc = ("Breast cancer classifier for tests: identical to breast-cancer except rows with "
            "mean_radius > 17 yield NaN probabilities.")
    graph = build_mlp_graph("breast_cancer_mlp_nan", len(t["features"]), t["scaler"], t["layers"],
                            "classification", nan_rule=(col, threshold))
    save_model(make_model(graph, desc, metadata(t, {"task": "classification"})),
               os.path.join(out, "breast-cancer-nan.onnx"))

    x0 = t["X_te"][:, col]
    # Stay well clear of the threshold so float32 rounding cannot matter.
    above = [i for i in range(len(x0)) if x0[i] > threshold + 0.5][:2]
    below = [i for i in range(len(x0)) if x0[i] < threshold - 0.5][:2]
    order = [below[0], above[0], below[1], above[1]]
    rows = t["X_te"][order]
    nan_rows = [j for j, i in enumerate(order) if i in above]

    got = eval_mlp_f32(rows, t["scaler"], t["layers"], "classification", nan_rule=(col, threshold))
    clean = eval_mlp_f32(rows, t["scaler"], t["layers"], "classification")
    p = got["probabilities"]
    assert [j for j in range(len(order)) if np.isnan(p[j]).any()] == nan_rows
    assert all(np.isnan(p[j]).all() for j in nan_rows)
    ok = [j for j in range(len(order)) if j not in nan_rows]
    np.testing.assert_array_equal(p[ok], clean["probabilities"][ok])

    write_json(os.path.join(out, "breast-cancer-nan.json"), {
        "model": "breast-cancer",
        "description": f"Rows whose raw mean_radius (feature 0) is > {threshold} produce NaN probabilities.",
        "request": oip_request("nan-breast-cancer", rows),
        "expected_nan_rows": nan_rows,
        "expected_finite": {"outputs": [
            oip_tensor("probabilities", "FP32", [len(ok), p.shape[1]], f32_json(p[ok])),
            oip_tensor("label", "INT64", [len(ok)], [int(v) for v in got["label"][ok]]),
        ], "rows": ok},
    })


def emit_multi_input():
    out = os.path.join(HERE, "testing")
    inits = [
        const("zero_f32", np.array(0.0, dtype=np.float32)),
        const("reduce_axes", np.array([1], dtype=np.int64)),
        const("two_i64", np.array(2, dtype=np.int64)),
        const("zero_i32", np.array(0, dtype=np.int32)),
    ]
    nodes = [
        helper.make_node("Where", ["mask", "features", "zero_f32"], ["masked"], name="mask_where"),
        helper.make_node("Cast", ["masked"], ["masked_f64"], to=TensorProto.DOUBLE, name="masked_cast"),
        helper.make_node("ReduceSum", ["masked_f64", "reduce_axes"], ["masked_row_sum"], keepdims=0, name="masked_reduce"),
        helper.make_node("Add", ["masked_row_sum", "offset"], ["masked_sum"], name="offset_add"),
        helper.make_node("Cast", ["counts"], ["counts_i64"], to=TensorProto.INT64, name="counts_cast"),
        helper.make_node("Mul", ["counts_i64", "two_i64"], ["counts_x2"], name="counts_mul"),
        helper.make_node("ReduceSum", ["tokens", "reduce_axes"], ["token_sum"], keepdims=0, name="tokens_reduce"),
        helper.make_node("Cast", ["mask"], ["mask_i32"], to=TensorProto.INT32, name="mask_cast"),
        helper.make_node("ReduceMax", ["mask_i32"], ["mask_max"], axes=[1], keepdims=0, name="mask_reduce"),
        helper.make_node("Greater", ["mask_max", "zero_i32"], ["any_mask"], name="mask_greater"),
    ]
    inputs = [
        helper.make_tensor_value_info("features", TensorProto.FLOAT, ["batch", 4]),
        helper.make_tensor_value_info("mask", TensorProto.BOOL, ["batch", 4]),
        helper.make_tensor_value_info("offset", TensorProto.DOUBLE, []),
        helper.make_tensor_value_info("counts", TensorProto.INT32, ["batch"]),
        helper.make_tensor_value_info("tokens", TensorProto.INT64, ["batch", "seq"]),
    ]
    outputs = [
        helper.make_tensor_value_info("masked_sum", TensorProto.DOUBLE, ["batch"]),
        helper.make_tensor_value_info("counts_x2", TensorProto.INT64, ["batch"]),
        helper.make_tensor_value_info("token_sum", TensorProto.INT64, ["batch"]),
        helper.make_tensor_value_info("any_mask", TensorProto.BOOL, ["batch"]),
    ]
    graph = helper.make_graph(nodes, "multi_input", inputs, outputs, initializer=inits)
    desc = "Synthetic test graph: several named inputs/outputs of dtypes FP32, BOOL, FP64 (scalar), INT32, INT64 (two dynamic dims)."
    model = make_model(graph, desc, {"dataset": "synthetic", "task": "testing"})
    model = onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
    # Keep the file minimal: inferred intermediate value_info is not needed.
    del model.graph.value_info[:]
    save_model(model, os.path.join(out, "multi-input.onnx"))

    features = np.array([[1.5, -2.25, 3.0, 0.5], [10.0, 20.0, -30.5, 0.125]], dtype=np.float32)
    mask = np.array([[True, False, True, True], [False, False, False, False]])
    offset = np.float64(0.25)
    counts = np.array([7, -3], dtype=np.int32)
    tokens = np.array([[101, 2023, 102], [5, -6, 7000000000]], dtype=np.int64)

    masked_sum = np.where(mask, features, np.float32(0)).astype(np.float64).sum(axis=1) + offset
    counts_x2 = counts.astype(np.int64) * 2
    token_sum = tokens.sum(axis=1)
    any_mask = mask.astype(np.int32).max(axis=1) > 0
    assert masked_sum.tolist() == [5.25, 0.25] and any_mask.tolist() == [True, False]

    write_json(os.path.join(out, "multi-input.golden.json"), {
        "model": "multi-input",
        "tolerance": 1e-4,
        "request": {
            "id": "golden-multi-input",
            "inputs": [
                oip_tensor("features", "FP32", features.shape, f32_json(features)),
                oip_tensor("mask", "BOOL", mask.shape, [bool(v) for v in mask.ravel()]),
                oip_tensor("offset", "FP64", [], [float(offset)]),
                oip_tensor("counts", "INT32", counts.shape, [int(v) for v in counts]),
                oip_tensor("tokens", "INT64", tokens.shape, [int(v) for v in tokens.ravel()]),
            ],
        },
        "expected": {"outputs": [
            oip_tensor("masked_sum", "FP64", masked_sum.shape, f64_json(masked_sum)),
            oip_tensor("counts_x2", "INT64", counts_x2.shape, [int(v) for v in counts_x2]),
            oip_tensor("token_sum", "INT64", token_sum.shape, [int(v) for v in token_sum]),
            oip_tensor("any_mask", "BOOL", any_mask.shape, [bool(v) for v in any_mask]),
        ]},
    })


def emit_not_a_model():
    # 64 deterministic bytes that are not a protobuf ModelProto: the first byte
    # 0x0F is a tag with wire type 7, which does not exist, so every protobuf
    # parser (and onnxruntime's model loader) rejects the file outright.
    data = b"\x0fTHIS IS NOT AN ONNX MODEL; Fleet must refuse to register it.\n\xff\xfe"
    assert len(data) == 64, len(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            onnx.load_model_from_string(data)
        except Exception:
            pass
        else:
            raise AssertionError("not-a-model.onnx parsed as ONNX")
    write_bytes(os.path.join(HERE, "testing", "not-a-model.onnx"), data)


def main():
    trained = {}
    for spec in SAMPLES:
        trained[spec["name"]] = emit_sample(spec)
    emit_wine_v2()
    emit_breast_cancer_nan(trained["breast-cancer"])
    emit_multi_input()
    emit_not_a_model()


if __name__ == "__main__":
    main()
