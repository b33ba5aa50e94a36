#!/usr/bin/python3
"""Writes expected.json: fixed inputs and what SciPy 1.10 / NumPy compute for them.

Run with the Debian interpreter (numpy 1.24, scipy 1.10.1), from anywhere:
    /usr/bin/python3 tests/Fleet.Drift.Tests/Data/generate_expected.py
The output is committed: CI has no Python. Fleet.Drift.Tests compares Fleet.Drift against it.
"""
import json
import math
import os
from math import gcd

import numpy as np
import scipy
from scipy import stats
from scipy.spatial.distance import jensenshannon
from scipy.stats._stats_py import _attempt_exact_2kssamp

SEED = 20240611
rng = np.random.default_rng(SEED)


def normal(size, loc=0.0, scale=1.0, decimals=None):
    x = rng.normal(loc, scale, size)
    return np.round(x, decimals) if decimals is not None else x


# --- Two samples: KS, Wasserstein, normalised Wasserstein, PSI --------------------------------------

def psi_numeric(ref, cur):
    """Fleet's PSI definition: bins at the reference's deciles sorted[floor(k n / 10)], k = 1..9,
    merged when equal; bin = searchsorted(edges, x, side='right'); empty shares -> 0.0001."""
    s = np.sort(ref)
    n = len(s)
    edges = np.unique(np.array([s[(k * n) // 10] for k in range(1, 10)]))
    r = np.bincount(np.searchsorted(edges, ref, side='right'), minlength=len(edges) + 1) / len(ref)
    c = np.bincount(np.searchsorted(edges, cur, side='right'), minlength=len(edges) + 1) / len(cur)
    return psi_from_shares(r, c)


def psi_from_shares(r, c):
    r = np.where(r == 0, 0.0001, r)
    c = np.where(c == 0, 0.0001, c)
    return float(np.sum((r - c) * np.log(r / c)))


def sample_case(name, a, b):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    ks = stats.ks_2samp(a, b)  # method='auto', alternative='two-sided'
    method = 'exact' if max(len(a), len(b)) <= 10000 else 'asymp'
    w = stats.wasserstein_distance(a, b)
    std = np.std(a)
    # Fleet defines w / 0 as +infinity (0 when w is 0), written as the string "Infinity" (strict JSON).
    normalised = float(w / std) if std > 0 else ('Infinity' if w > 0 else 0.0)
    return {
        'name': name, 'method': method, 'a': a.tolist(), 'b': b.tolist(),
        'ks_statistic': float(ks.statistic), 'ks_pvalue': float(ks.pvalue),
        'wasserstein': float(w), 'normalised_wasserstein': normalised,
        'psi': psi_numeric(a, b),
    }


samples = [
    sample_case('tiny 5 vs 4', normal(5), normal(4)),
    sample_case('tiny equal 8 vs 8', normal(8), normal(8, 0.5)),
    sample_case('single values 1 vs 1', [0.5], [1.5]),
    sample_case('small ties 30 vs 25', rng.integers(0, 5, 30), rng.integers(0, 5, 25)),
    sample_case('equal 200 vs 200', normal(200), normal(200)),
    sample_case('unequal 300 vs 170', normal(300), normal(170, 0.1)),
    sample_case('identical 100', *(lambda x: (x, x.copy()))(normal(100))),
    sample_case('shifted 150 vs 120', normal(150), normal(120, 3.0)),
    sample_case('scale change 400 vs 600', normal(400), normal(600, 0, 1.5)),
    sample_case('exact unequal 1000 vs 10000', normal(1000, 0.05, decimals=3), normal(10000, decimals=3)),
    sample_case('exact equal 10000 vs 10000', normal(10000, decimals=3), normal(10000, 0.02, decimals=3)),
    sample_case('exact shifted 2000 vs 3000', normal(2000, decimals=3), normal(3000, 0.3, decimals=3)),
    sample_case('asymp 10800 vs 2000', normal(10800, decimals=3), normal(2000, decimals=3)),
    sample_case('asymp shifted 10001 vs 500', normal(10001, decimals=3), normal(500, 0.3, decimals=3)),
    sample_case('asymp 10001 vs 140', normal(10001, decimals=3), normal(140, 0.1, decimals=3)),
    sample_case('asymp ties 15000 vs 4000', rng.integers(0, 10, 15000), rng.integers(0, 10, 4000)),
    sample_case('asymp strongly shifted 10050 vs 1000', normal(10050, decimals=3), normal(1000, 1.0, decimals=3)),
    sample_case('many ties equal 500 vs 500', rng.integers(0, 3, 500), rng.integers(0, 3, 500)),
    sample_case('outside reference range 300 vs 200', normal(300), normal(200, 5.0)),
]

# --- KS p-value grid: exact two-sample counts and the Kolmogorov distribution --------------------------

exact_grid = []
for n1, n2 in [(5, 5), (30, 30), (7, 3), (3, 7), (10, 15), (40, 60), (100, 100), (100, 37), (500, 501),
               (1000, 10000), (10000, 10000), (9999, 10000), (3, 10000), (2000, 3000), (10000, 7)]:
    g = gcd(n1, n2)
    lcm = (n1 // g) * n2
    for h in sorted({1, 2, 3, lcm // 100, lcm // 20, lcm // 10, lcm // 5, lcm // 3, lcm // 2, lcm - 1, lcm}):
        if h < 1 or h > lcm:
            continue
        d = h / lcm
        ok, d_out, p = _attempt_exact_2kssamp(n1, n2, g, d, 'two-sided')
        if ok:
            method = 'exact'
        else:
            m, n = sorted([float(n1), float(n2)], reverse=True)
            p = stats.kstwo.sf(d, np.round(m * n / (m + n)))
            method = 'asymp-fallback'
        exact_grid.append({'n1': n1, 'n2': n2, 'max_cross': h * g, 'statistic': d_out,
                           'pvalue': float(np.clip(p, 0, 1)), 'method': method})

kstwo_grid = []
for n in [1, 2, 3, 5, 10, 50, 139, 140, 141, 500, 1000, 5000, 8333, 50000, 100000, 100001, 500000, 2000000]:
    xs = {0.4 / n, 0.7 / n, 1.0 / n, 1.5 / n, 1 - 1.5 / n, 0.5, 0.6, 0.9, 0.999}
    xs |= {math.sqrt(c / n) for c in [0.05, 0.2, 0.5, 0.7, 0.75, 0.76, 1.0, 2.0, 2.19, 2.21, 3.0, 3.9, 4.1, 8.0,
                                     17.0, 19.0, 50.0, 200.0, 369.0, 371.0]}
    xs |= {(1.4 / n) ** (2 / 3) * f for f in [0.5, 0.99, 1.01]}
    for x in sorted(xs):
        if 0 < x < 1:
            kstwo_grid.append({'n': n, 'x': x, 'sf': float(stats.kstwo.sf(x, n))})

# --- Categorical: chi-square of homogeneity, Jensen-Shannon, PSI --------------------------------------

def categorical_case(name, ref, cur):
    ref = np.asarray(ref, dtype=np.int64)
    cur = np.asarray(cur, dtype=np.int64)
    keep = (ref + cur) > 0
    table = np.array([ref[keep], cur[keep]])
    if keep.sum() < 2:
        chi2, p, dof = 0.0, 1.0, 0
    else:
        chi2, p, dof, _ = stats.chi2_contingency(table, correction=False)
    return {
        'name': name, 'reference': ref.tolist(), 'current': cur.tolist(),
        'chi2_statistic': float(chi2), 'chi2_pvalue': float(p), 'chi2_dof': int(dof),
        'jensen_shannon': float(jensenshannon(ref, cur, base=2)),
        'psi': psi_from_shares(ref / ref.sum(), cur / cur.sum()),
    }


probabilities = np.array([0.5, 0.3, 0.15, 0.05])
categorical = [
    categorical_case('same distribution', rng.multinomial(5000, probabilities), rng.multinomial(1000, probabilities)),
    categorical_case('moderate shift', rng.multinomial(5000, probabilities), rng.multinomial(1000, [0.4, 0.3, 0.2, 0.1])),
    categorical_case('strong shift', rng.multinomial(5000, probabilities), rng.multinomial(3000, [0.1, 0.2, 0.3, 0.4])),
    categorical_case('category unseen in reference', [400, 300, 200, 0], [90, 80, 50, 30]),
    categorical_case('category missing from current', [400, 300, 200, 100], [150, 120, 80, 0]),
    categorical_case('two categories', [700, 300], [320, 180]),
    categorical_case('single category', [500], [120]),
    categorical_case('category on neither side', [500, 0, 300], [100, 0, 90]),
    categorical_case('small counts', [3, 5, 2], [4, 1, 6]),
    categorical_case('large counts', rng.multinomial(2_000_000, probabilities), rng.multinomial(500_000, [0.499, 0.301, 0.15, 0.05])),
]

jensen_shannon = []
for p, q in [([0.2, 0.3, 0.5], [0.25, 0.25, 0.5]), ([1, 0, 0], [0, 1, 0]), ([1, 2, 3, 4], [4, 3, 2, 1]),
             ([0.5, 0.5, 0.0], [0.0, 0.5, 0.5]), ([3.0, 3.0], [3.0, 3.0])]:
    jensen_shannon.append({'p': p, 'q': q, 'distance': float(jensenshannon(p, q, base=2))})
weights = rng.random((3, 2, 12))
weights[:, :, ::5] = 0.0
for p, q in weights:
    jensen_shannon.append({'p': p.tolist(), 'q': q.tolist(), 'distance': float(jensenshannon(p, q, base=2))})

# --- Multiple testing (statsmodels' multipletests in NumPy: scipy 1.10 has no false_discovery_control) --

def bonferroni(p):
    return np.minimum(1.0, p * len(p))


def benjamini_hochberg(p):
    """statsmodels.stats.multitest.multipletests(p, method='fdr_bh')[1]."""
    order = np.argsort(p)
    sorted_p = p[order]
    n = len(p)
    ecdf_factor = np.arange(1, n + 1) / float(n)
    raw = sorted_p / ecdf_factor
    adjusted_sorted = np.minimum.accumulate(raw[::-1])[::-1]
    adjusted_sorted[adjusted_sorted > 1] = 1
    adjusted = np.empty_like(adjusted_sorted)
    adjusted[order] = adjusted_sorted
    return adjusted


p_sets = [
    np.array([0.01, 0.02, 0.03, 0.04, 0.05]),
    np.array([0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216]),
    np.array([0.5, 0.5, 0.01, 0.01, 0.9]),
    np.array([1e-12, 0.3, 1.0, 0.049]),
    np.concatenate([rng.random(40), rng.random(10) * 1e-3]),
]
multiple_testing = [{'p': p.tolist(), 'bonferroni': bonferroni(p).tolist(), 'benjamini_hochberg': benjamini_hochberg(p).tolist()}
                    for p in p_sets]

out = {
    'generator': {'numpy': np.__version__, 'scipy': scipy.__version__, 'seed': SEED},
    'samples': samples,
    'ks_exact_grid': exact_grid,
    'kstwo_grid': kstwo_grid,
    'categorical': categorical,
    'jensen_shannon': jensen_shannon,
    'multiple_testing': multiple_testing,
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'expected.json')
with open(path, 'w') as f:
    json.dump(out, f, separators=(',', ':'), allow_nan=False)
    f.write('\n')
print(f'wrote {path}: {len(samples)} sample pairs, {len(exact_grid)} exact KS points, {len(kstwo_grid)} kstwo points')
