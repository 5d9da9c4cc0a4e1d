"""Times POT's NumPy Sinkhorn (ot.sinkhorn_log and ot.sinkhorn) on the same problem as
bench/sinkhorn.ts, for the CPU-backend comparison. Prints JSON: milliseconds per iteration."""
import json
import sys
import time

import numpy as np
import ot


def cloud(count, shift, seed):
    k = np.arange(count) + seed
    return np.stack([(k * 0.6180339887) % 1 + shift, (k * 0.7548776662) % 1], axis=1)


def median_ms_per_iteration(solver, a, b, cost, eps, iterations, runs):
    solver(a, b, cost, eps, numItermax=iterations, stopThr=0)  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        solver(a, b, cost, eps, numItermax=iterations, stopThr=0)
        times.append((time.perf_counter() - start) * 1000 / iterations)
    return float(np.median(times))


def main():
    n, iterations, runs = (int(v) for v in sys.argv[1:4])
    x, y = cloud(n, 0, 1), cloud(n, 0.5, 7)
    weights = np.full(n, 1 / n)
    cost = ot.dist(x, y)  # squared Euclidean, as in the TypeScript benchmark
    print(json.dumps({
        "version": ot.__version__,
        "sinkhorn_log": median_ms_per_iteration(ot.bregman.sinkhorn_log, weights, weights, cost, 0.01, iterations, runs),
        "sinkhorn": median_ms_per_iteration(ot.bregman.sinkhorn_knopp, weights, weights, cost, 0.01, iterations, runs),
    }))


main()
