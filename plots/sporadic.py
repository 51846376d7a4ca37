#!/usr/bin/python3
"""Sporadic traffic: cost per day vs queries per day for every variant, break-even points marked.

Input: a sweep CSV with columns workload.arrival.queries_per_day, variant, usd_per_day
(experiments/sporadic.yaml). A break-even point is where the cheapest variant changes; it is
found by interpolating the two cost curves linearly in log–log space between grid rates, and
marked with its rate. Infeasible variants are left out at that rate.
"""
import collections

from common import VARIANT_COLOURS, VARIANT_LABELS, args, log_crossings, number, plt, read_rows, save

csv_path, prefix = args()
rows = read_rows(csv_path, ["workload.arrival.queries_per_day", "variant", "usd_per_day", "feasible"])
cost = collections.defaultdict(dict)  # variant → rate → usd per day
for r in rows:
    if r["feasible"] == "1":
        cost[r["variant"]][float(r["workload.arrival.queries_per_day"])] = number(r, "usd_per_day")
rates = sorted({q for c in cost.values() for q in c})

fig, ax = plt.subplots(figsize=(8, 5.5))
for variant in VARIANT_COLOURS:
    if variant in cost:
        xs = sorted(cost[variant])
        ax.plot(xs, [cost[variant][x] for x in xs], "-", color=VARIANT_COLOURS[variant], label=VARIANT_LABELS[variant])

# The cheapest variant at each rate, and where it changes.
best = [min(((c[q], v) for v, c in cost.items() if q in c), default=(None, None))[1] for q in rates]
for i in range(len(rates) - 1):
    a, b = best[i], best[i + 1]
    if a is None or b is None or a == b:
        continue
    xs = [rates[i], rates[i + 1]]
    for x, y in log_crossings(xs, [cost[a][q] for q in xs], [cost[b][q] for q in xs]):
        ax.plot([x], [y], "o", color="black", markersize=7, zorder=5)
        ax.annotate(f"break-even\n{x:,.0f} queries/day\n{VARIANT_LABELS[a].split(' (')[0]} → "
                    f"{VARIANT_LABELS[b].split(' (')[0]}", (x, y), textcoords="offset points", xytext=(8, -32),
                    fontsize=7)
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xlabel("traffic (queries per day)")
ax.set_ylabel("cost per day (USD)")
ax.set_title("Cost per day vs traffic (dots: break-even points of the cheapest variant)")
ax.grid(True, which="both", alpha=0.3)
ax.legend(fontsize=8)
save(fig, prefix)
