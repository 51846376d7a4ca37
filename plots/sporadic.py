#!/usr/bin/python3
"""Sporadic traffic: cost per day vs queries per day for every variant, break-even points marked.

Input: a sweep CSV with columns queries_per_day (the rate the plan used), variant, usd_per_day, feasible
(experiments/sporadic.yaml, experiments/default.yaml). A break-even point is where the cheapest
variant changes; it is found by interpolating the two cost curves linearly in log–log space
between grid rates, and marked with its rate. Infeasible variants are left out at that rate.
If the grid also varies the model (model.neurons, model.layers), there is one panel per model.
With the warm/cold model's columns (workload_model: true) a second row shows the p95 latency the
traffic sees (cold starts, queueing behind busy instances) next to the predicted latency.
"""
import collections

from common import VARIANT_COLOURS, VARIANT_LABELS, args, log_crossings, number, plt, read_rows, save

csv_path, prefix = args()
rows = read_rows(csv_path, ["queries_per_day", "variant", "usd_per_day", "feasible"])


def model_of(r):
    return (int(r.get("model.neurons") or 0), int(r.get("model.layers") or 0))


# model → variant → rate → usd per day (and p95 latency under the traffic, when modelled)
cost = collections.defaultdict(lambda: collections.defaultdict(dict))
p95 = collections.defaultdict(lambda: collections.defaultdict(dict))
has_pool = "pool_latency_p95_s" in rows[0]
for r in rows:
    if r["feasible"] == "1":
        q = float(r["queries_per_day"])
        cost[model_of(r)][r["variant"]][q] = number(r, "usd_per_day")
        if has_pool and number(r, "pool_queries") > 0:  # a rare burst may not come within the replayed span
            p95[model_of(r)][r["variant"]][q] = number(r, "pool_latency_p95_s")
models = sorted(cost)
cols = len(models)
fig, axes = plt.subplots(2 if has_pool else 1, cols, figsize=(7.5 * cols, 5.5 * (2 if has_pool else 1)), squeeze=False)
for ax, model in zip(axes[0], models):
    by_variant = cost[model]
    for variant in VARIANT_COLOURS:
        if variant in by_variant:
            xs = sorted(by_variant[variant])
            ax.plot(xs, [by_variant[variant][x] for x in xs], "-", color=VARIANT_COLOURS[variant],
                    label=VARIANT_LABELS[variant])
    # The cheapest variant at each rate, and where it changes.
    rates = sorted({q for c in by_variant.values() for q in c})
    best = [min(((c[q], v) for v, c in by_variant.items() if q in c), default=(None, None))[1] for q in rates]
    for i in range(len(rates) - 1):
        a, b = best[i], best[i + 1]
        if a is None or b is None or a == b:
            continue
        xs = [rates[i], rates[i + 1]]
        for x, y in log_crossings(xs, [by_variant[a][q] for q in xs], [by_variant[b][q] for q in xs]):
            ax.plot([x], [y], "o", color="black", markersize=7, zorder=5)
            ax.annotate(f"break-even {x:,.0f}/day\n{VARIANT_LABELS[a].split(' (')[0]} → "
                        f"{VARIANT_LABELS[b].split(' (')[0]}", (x, y), textcoords="offset points", xytext=(8, -26),
                        fontsize=7)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("traffic (queries per day)")
    ax.set_ylabel("cost per day (USD)")
    title = "Cost per day vs traffic"
    if model[0]:
        title += f": N={model[0]}" + (f", L={model[1]}" if model[1] else "")
    ax.set_title(title + " (dots: break-even)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
if has_pool:
    for ax, model in zip(axes[1], models):
        for variant in VARIANT_COLOURS:
            if variant in p95[model]:
                xs = sorted(p95[model][variant])
                ax.plot(xs, [p95[model][variant][x] for x in xs], "-", color=VARIANT_COLOURS[variant],
                        label=VARIANT_LABELS[variant])
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("traffic (queries per day)")
        ax.set_ylabel("p95 latency under this traffic (s)")
        ax.set_title("Latency the traffic sees (warm/cold pool: cold starts, queueing)")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
save(fig, prefix)
