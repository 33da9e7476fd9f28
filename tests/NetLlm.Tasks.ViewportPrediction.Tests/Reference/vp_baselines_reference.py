"""Independent pure-Python reference for the VP baselines' MAE (no numpy needed).

Re-implements, from the description of the original NetLLM code (upstream-reference.md section 2), the sample
cutting (trim 30/60, step 15), the normalisation (180/90/180), the LR baseline (per-axis least squares on
(index -> value), rolled out step by step, refitting on history + predictions), the velocity baseline, the
hold baseline (repeat the last orientation) and the
wrapped MAE, in double precision. The C# tests compare against the numbers it prints.

Usage: python3 vp_baselines_reference.py <data root>
"""
import os
import sys

SPLITS = {
    'Jin2022': ([4, 8, 14, 18, 24, 25],
                [83, 15, 3, 35, 48, 22, 55, 4, 45, 60, 26, 21, 44, 23, 53, 84, 59, 49, 7, 47, 30]),
    'Wu2017': ([3, 5], [16, 7, 46, 5, 35, 2, 41, 47, 13]),
}
SCALES = (180.0, 90.0, 180.0)


def load(root, ds, video, user):
    path = os.path.join(root, 'vp', 'viewports', ds, f'video{video}', '5Hz', f'simple_5Hz_user{user}.csv')
    with open(path) as f:
        return [[float(x) for x in line.split(',')[1:]] for line in f if line.strip()]


def fit(ys):
    n = len(ys)
    mx = (n - 1) / 2.0
    my = sum(ys) / n
    sxy = sum((i - mx) * (y - my) for i, y in enumerate(ys))
    sxx = sum((i - mx) ** 2 for i in range(n))
    slope = sxy / sxx
    return slope, my - slope * mx


def lr(hist, fut):
    out = [[0.0] * 3 for _ in range(fut)]
    for a in range(3):
        ys = [r[a] / SCALES[a] for r in hist]
        for k in range(fut):
            s, b = fit(ys)
            p = b + s * len(ys)
            ys.append(p)
            out[k][a] = p * SCALES[a]
    return out


def velocity(hist, fut):
    m = len(hist)
    out = [[0.0] * 3 for _ in range(fut)]
    for a in range(3):
        x0, x1 = hist[0][a] / SCALES[a], hist[-1][a] / SCALES[a]
        v = (x1 - x0) / (m - 1)
        for k in range(fut):
            out[k][a] = (x1 + (k + 1) * v) * SCALES[a]
    return out


def hold(hist, fut):
    return [list(hist[-1]) for _ in range(fut)]


def err(p, g):
    e = abs(g - p)
    return min(e, abs(g + 360 - p), abs(g - 360 - p))


def run(root, ds, his, fut):
    videos, users = SPLITS[ds]
    totals = {'lr': 0.0, 'velocity': 0.0, 'hold': 0.0}
    count = 0
    samples = 0
    for v in videos:
        for u in users:
            trace = load(root, ds, v, u)
            for t in range(30, len(trace) - 60, 15):
                h, g = trace[t - his:t], trace[t:t + fut]
                samples += 1
                for name, f in (('lr', lr), ('velocity', velocity), ('hold', hold)):
                    pred = f(h, fut)
                    totals[name] += sum(err(pred[k][a], g[k][a]) for k in range(fut) for a in range(3))
                count += fut * 3
    return samples, {k: v / count for k, v in totals.items()}


if __name__ == '__main__':
    root = sys.argv[1]
    for name, ds, his, fut in (('default', 'Jin2022', 10, 20), ('unseen-1', 'Jin2022', 10, 25),
                               ('unseen-2', 'Wu2017', 10, 20), ('unseen-3', 'Wu2017', 10, 25)):
        n, mae = run(root, ds, his, fut)
        print(f'{name}: samples {n}, LR {mae["lr"]:.6f}, velocity {mae["velocity"]:.6f}, hold {mae["hold"]:.6f}')
