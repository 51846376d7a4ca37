#!/usr/bin/python3
"""Simulator vs the published FSD-Inference runs: `fsd validate`'s validate.csv as a figure.

Left: simulated vs measured per-worker batch time for every point, log-log, with y = x and the
±15% band of issue 6's target (colour: variant; marker: network size; black edge: a calibration
target). Right: the batch-time error against the number of workers P, one line per variant and
size, so a trend with P or N shows.

Usage: python3 plots/validate.py validate.csv OUT_PREFIX  (writes OUT_PREFIX.png and .svg).
Exits 3 with one line when python3-matplotlib is missing (fsd validate then prints a note).
"""
import sys

try:
    from common import VARIANT_COLOURS, VARIANT_LABELS, args, die, number, plt, read_rows, save
    from matplotlib.ticker import FuncFormatter
except ModuleNotFoundError as e:
    if e.name == "matplotlib":
        print(f"{sys.argv[0]}: python3-matplotlib is not installed", file=sys.stderr)
        sys.exit(3)
    raise

MARKERS = {1024: "o", 4096: "s", 16384: "^", 65536: "D"}

csv_path, prefix = args()
rows = read_rows(csv_path, ["point", "variant", "neurons", "workers", "quantity", "measured", "simulated", "role"])
rows = [r for r in rows if r["quantity"] == "batch time s" and r["simulated"] not in ("", None)]
if not rows:
    die(f"{csv_path}: no simulated batch times")

fig, (ax, ax_err) = plt.subplots(1, 2, figsize=(11.5, 5.0))
measured = [number(r, "measured") for r in rows]
simulated = [number(r, "simulated") for r in rows]
lo = min(measured + simulated) / 1.3
hi = max(measured + simulated) * 1.3
ax.fill_between([lo, hi], [lo * 0.85, hi * 0.85], [lo * 1.15, hi * 1.15], color="#dddddd", label="±15%")
ax.plot([lo, hi], [lo, hi], "-", color="black", linewidth=1, label="y = x")
for r, x, y in zip(rows, measured, simulated):
    target = r["role"] == "target"
    ax.plot(x, y, MARKERS.get(int(r["neurons"]), "x"), color=VARIANT_COLOURS.get(r["variant"], "black"),
            markeredgecolor="black" if target else "none", markeredgewidth=1.5 if target else 0, alpha=0.85)
for variant in sorted({r["variant"] for r in rows}):
    ax.plot([], [], "o", color=VARIANT_COLOURS.get(variant, "black"), label=VARIANT_LABELS.get(variant, variant))
for n in sorted({int(r["neurons"]) for r in rows}):
    ax.plot([], [], MARKERS.get(n, "x"), color="grey", label=f"{n} neurons")
ax.plot([], [], "o", color="white", markeredgecolor="black", markeredgewidth=1.5, label="calibration target")
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xlim(lo, hi)
ax.set_ylim(lo, hi)
for axis in (ax.xaxis, ax.yaxis):  # seconds as plain numbers, not powers of ten
    axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    axis.set_minor_formatter(FuncFormatter(lambda v, _: f"{v:g}" if f"{v:g}"[0] in "25" else ""))
ax.set_xlabel("measured per-worker batch time (s)")
ax.set_ylabel("simulated per-worker batch time (s)")
ax.set_title("Every published point")
ax.grid(True, which="both", alpha=0.3)
ax.legend(fontsize=7, loc="upper left")

ax_err.axhspan(-15, 15, color="#dddddd")
ax_err.axhline(0, color="black", linewidth=1)
for variant in sorted({r["variant"] for r in rows}):
    for n in sorted({int(r["neurons"]) for r in rows if r["variant"] == variant}):
        sel = sorted((int(r["workers"]), 100 * number(r, "error")) for r in rows
                     if r["variant"] == variant and int(r["neurons"]) == n)
        ax_err.plot([p for p, _ in sel], [e for _, e in sel], "-" + MARKERS.get(n, "x"),
                    color=VARIANT_COLOURS.get(variant, "black"), label=f"{variant} {n}", alpha=0.85)
ax_err.set_xscale("log")
ax_err.set_xticks(sorted({int(r["workers"]) for r in rows}))
ax_err.set_xticklabels([str(p) for p in sorted({int(r["workers"]) for r in rows})])
ax_err.set_xlabel("workers P")
ax_err.set_ylabel("batch time error, simulated vs measured (%)")
ax_err.set_title("Error against P (grey: ±15%)")
ax_err.grid(True, alpha=0.3)
ax_err.legend(fontsize=7, ncol=4, loc="upper center", bbox_to_anchor=(0.5, -0.13))  # below: never over a point
save(fig, prefix)
