#!/usr/bin/python3
"""Writes expected.json: inputs and scikit-learn's answers for the quality-metric tests.

Run with the Debian interpreter, which has the pinned versions (numpy 1.24, scipy 1.10, scikit-learn 1.2.1):

    /usr/bin/python3 tests/Fleet.Monitoring.Tests/Data/generate_expected.py

The inputs are stored next to the answers, so the C# tests need no Python and no matching RNG.
"""
import json
import os

import numpy as np
import scipy
import sklearn
from sklearn.decomposition import PCA
from sklearn.impute import SimpleImputer
from sklearn.isotonic import IsotonicRegression
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import accuracy_score, f1_score, log_loss, mean_absolute_error, mean_squared_error

# sklearn 1.2's log_loss defaults to eps="auto" (float64 machine epsilon); Fleet clips at 1e-15, the
# long-standing default before 1.2, so the eps is passed explicitly.
EPS = 1e-15

rng = np.random.default_rng(20240611)


def classification_case(name, n, k, flip, extreme_rows=0, drop_class=None):
    """Labels, a noisy predictor's probabilities and its argmax predictions."""
    labels = rng.integers(0, k, size=n)
    logits = rng.normal(0, 1, size=(n, k))
    logits[np.arange(n), labels] += flip
    probs = np.exp(logits)
    probs /= probs.sum(axis=1, keepdims=True)
    # Exact 0 and 1 probabilities exercise the clipping (and the renormalisation after it).
    for i in range(extreme_rows):
        row = np.zeros(k)
        row[(labels[i] + 1) % k if i % 2 == 0 else labels[i]] = 1.0
        probs[i] = row
    predicted = probs.argmax(axis=1)
    if drop_class is not None:
        # A class that is never predicted: its F1 is 0 (zero_division=0) and still counts in the macro mean.
        predicted[predicted == drop_class] = (drop_class + 1) % k
    case = {
        "name": name,
        "classes": k,
        "labels": labels.tolist(),
        "predicted": predicted.tolist(),
        "probabilities": probs.tolist(),
        "accuracy": accuracy_score(labels, predicted),
        "log_loss": log_loss(labels, probs, eps=EPS, labels=list(range(k))),
    }
    if k == 2:
        case["f1"] = f1_score(labels, predicted, average="binary", zero_division=0)
    else:
        case["f1"] = f1_score(labels, predicted, average="macro", zero_division=0)
    return case


def regression_case(n):
    actual = rng.normal(10, 3, size=n)
    predicted = actual + rng.standard_t(3, size=n)
    return {
        "actual": actual.tolist(),
        "predicted": predicted.tolist(),
        "mae": mean_absolute_error(actual, predicted),
        "rmse": float(np.sqrt(mean_squared_error(actual, predicted))),
    }


def isotonic_case(n):
    """An over-confident classifier: confidence in [0.3, 1], correct with a lower probability. Rounding
    the confidence creates ties, which sklearn averages before pool-adjacent-violators."""
    confidence = np.round(rng.uniform(0.3, 1.0, size=n), 2)
    correct = rng.uniform(size=n) < 0.2 + 0.7 * confidence ** 2
    model = IsotonicRegression(out_of_bounds="clip", y_min=0, y_max=1).fit(confidence, correct.astype(float))
    grid = np.concatenate([[0.0, 0.1, 0.29999], np.linspace(0.3, 1.0, 71) + 0.003, [1.0, 1.5]])
    return {
        "confidence": confidence.tolist(),
        "correct": correct.tolist(),
        "x_thresholds": model.X_thresholds_.tolist(),
        "y_thresholds": model.y_thresholds_.tolist(),
        "grid": grid.tolist(),
        "predictions": model.predict(grid).tolist(),
    }


def reconstruction_case(n_reference, n_analysis, chunks=10):
    """NannyML's data reconstruction with scikit-learn parts: mean imputation, StandardScaler, PCA keeping
    65% of the variance, mean Euclidean distance to the reconstruction; the band is mean +- 3 population
    standard deviations of the errors of contiguous reference chunks of n // chunks rows (the last takes
    the remainder), the lower limit clipped at 0."""
    mixing = np.array([[1.0, 0.8, 0.0, 0.3, 0.0], [0.0, 0.6, 0.0, 0.3, 0.0], [0.0, 0.0, 1.0, 0.0, 0.5],
                       [0.0, 0.0, 0.0, 0.9, 0.0], [0.0, 0.0, 0.0, 0.0, 0.8]])
    scales = np.array([1.0, 10.0, 0.1, 3.0, 100.0])
    offsets = np.array([0.0, 50.0, -1.0, 7.0, 1000.0])

    def draw(n):
        x = rng.normal(size=(n, 5)) @ mixing * scales + offsets
        x[rng.uniform(size=x.shape) < 0.02] = np.nan
        return x

    reference, analysis = draw(n_reference), draw(n_analysis)
    imputer = SimpleImputer(strategy="mean").fit(reference)
    scaler = StandardScaler().fit(imputer.transform(reference))
    prepare = lambda x: scaler.transform(imputer.transform(x))
    pca = PCA(n_components=0.65, svd_solver="full").fit(prepare(reference))
    error = lambda z: float(np.mean(np.linalg.norm(z - pca.inverse_transform(pca.transform(z)), axis=1)))
    size = n_reference // chunks
    bounds = [(k * size, n_reference if k == chunks - 1 else (k + 1) * size) for k in range(chunks)]
    chunk_errors = [error(prepare(reference[a:b])) for a, b in bounds]
    mean, sd = float(np.mean(chunk_errors)), float(np.std(chunk_errors))
    nan_to_none = lambda x: [[None if np.isnan(v) else float(v) for v in row] for row in x]
    return {
        "reference": nan_to_none(reference),
        "analysis": nan_to_none(analysis),
        "components": int(pca.n_components_),
        "reference_error": mean,
        "lower": max(0.0, mean - 3 * sd),
        "upper": mean + 3 * sd,
        "analysis_error": error(prepare(analysis)),
    }


expected = {
    "versions": {"numpy": np.__version__, "scipy": scipy.__version__, "sklearn": sklearn.__version__},
    "classification": [
        classification_case("binary", 300, 2, 1.2, extreme_rows=4),
        classification_case("multiclass", 400, 4, 1.5, extreme_rows=6),
        classification_case("multiclass_unpredicted_class", 250, 3, 0.8, drop_class=2),
    ],
    "regression": regression_case(500),
    "isotonic": isotonic_case(1500),
    "reconstruction": reconstruction_case(600, 150),
}

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "expected.json")
with open(path, "w") as f:
    json.dump(expected, f, indent=1)
    f.write("\n")
print(f"wrote {path}")
