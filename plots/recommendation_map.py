#!/usr/bin/python3
"""The recommendation map: the variant fsd recommends over model size × query rate, as coloured regions.

Input: a sweep CSV with columns model.neurons, queries_per_day, recommended and
optionally model.layers (experiments/recommendation_map.yaml); one row per (model, rate) — if the
grid has more axes, the first row of each (model, rate) cell is used.
"""
import matplotlib.colors as mcolors
import matplotlib.patches as mpatches

from common import VARIANT_COLOURS, VARIANT_LABELS, args, plt, read_rows, save

csv_path, prefix = args()
rows = read_rows(csv_path, ["model.neurons", "queries_per_day", "recommended"])
has_layers = "model.layers" in rows[0]


def model_of(r):
    return (int(r["model.neurons"]), int(r["model.layers"]) if has_layers else 0)


# Models ordered by size (weights ∝ N·L), one band each; rates on a log axis.
models = sorted({model_of(r) for r in rows}, key=lambda m: (m[0] * max(m[1], 1), m))
rates = sorted({float(r["queries_per_day"]) for r in rows})
variants = list(VARIANT_COLOURS) + ["none"]
index = {v: i for i, v in enumerate(variants)}
grid = [[index["none"]] * len(rates) for _ in models]
seen = set()
for r in rows:
    key = (model_of(r), float(r["queries_per_day"]))
    if key in seen:
        continue
    seen.add(key)
    grid[models.index(key[0])][rates.index(key[1])] = index.get(r["recommended"], index["none"])


def edges(values):
    """Cell edges halfway (geometrically) between grid values."""
    if len(values) == 1:
        return [values[0] / 2, values[0] * 2]
    mids = [(a * b) ** 0.5 for a, b in zip(values, values[1:])]
    return [values[0] ** 2 / mids[0]] + mids + [values[-1] ** 2 / mids[-1]]


cmap = mcolors.ListedColormap([VARIANT_COLOURS[v] for v in VARIANT_COLOURS] + ["#ffffff"])
fig, ax = plt.subplots(figsize=(8.5, 5))
ax.pcolormesh(edges(rates), [i - 0.5 for i in range(len(models) + 1)], grid, cmap=cmap, vmin=-0.5,
              vmax=len(variants) - 0.5)
ax.set_xscale("log")
ax.set_yticks(range(len(models)))
ax.set_yticklabels([f"N={n}" + (f", L={l}" if has_layers else "") for n, l in models])
ax.set_xlabel("traffic (queries per day)")
ax.set_ylabel("model size (neurons per layer N, layers L)")
ax.set_title("Recommended deployment (cheapest feasible per day)")
present = sorted({v for row in grid for v in row})
ax.legend(handles=[mpatches.Patch(color=cmap(i), label=VARIANT_LABELS.get(variants[i], "nothing feasible"))
                   for i in present], fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
save(fig, prefix)
