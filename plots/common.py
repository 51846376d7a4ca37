"""Shared helpers of the plots/ scripts: read a sweep CSV, save a figure as PNG and SVG.

Every script is run as `python3 plots/<name>.py RESULTS.csv OUT_PREFIX` (fsd report does this) and
writes OUT_PREFIX.png and OUT_PREFIX.svg. Only Python 3 and Debian's python3-matplotlib are used.
A missing column or an empty CSV ends the script with a one-line error and exit status 2.
"""
import csv
import math
import sys

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402  (after the backend is chosen)

# One colour per deployment variant, the same in every figure.
VARIANT_COLOURS = {
    "serial": "#7f7f7f",
    "queue": "#1f77b4",
    "object": "#ff7f0e",
    "server_always_on": "#2ca02c",
    "server_job_scoped": "#d62728",
}
VARIANT_LABELS = {
    "serial": "serial (one function)",
    "queue": "queue (SNS/SQS)",
    "object": "object (S3)",
    "server_always_on": "always-on server",
    "server_job_scoped": "job-scoped server",
}


def die(message):
    print(f"{sys.argv[0]}: {message}", file=sys.stderr)
    sys.exit(2)


def args():
    """(csv_path, out_prefix) from the command line."""
    if len(sys.argv) != 3:
        die("usage: python3 %s RESULTS.csv OUT_PREFIX" % sys.argv[0])
    return sys.argv[1], sys.argv[2]


def read_rows(path, required):
    """Rows with status ok, as dicts; dies if a required column is missing or nothing is left."""
    try:
        with open(path, newline="") as f:
            reader = csv.DictReader(f)
            missing = [c for c in required if c not in (reader.fieldnames or [])]
            if missing:
                die(f"{path}: missing column(s) {', '.join(missing)}")
            rows = [r for r in reader if r.get("status", "ok") == "ok"]
    except OSError as e:
        die(f"{path}: {e.strerror}")
    if not rows:
        die(f"{path}: no rows with status ok")
    return rows


def number(row, column):
    """A cell as a float (nan when empty)."""
    text = row[column]
    return float(text) if text not in ("", None) else math.nan


def save(fig, prefix):
    fig.tight_layout()
    for ext in ("png", "svg"):
        fig.savefig(f"{prefix}.{ext}", dpi=150)
    plt.close(fig)


def log_crossings(xs, ya, yb):
    """Points where curve a crosses curve b, interpolated linearly in log–log space.

    xs ascending and positive; ya, yb positive. Returns [(x, y)].
    """
    out = []
    for i in range(len(xs) - 1):
        d0 = math.log(ya[i]) - math.log(yb[i])
        d1 = math.log(ya[i + 1]) - math.log(yb[i + 1])
        if d0 == 0:
            out.append((xs[i], ya[i]))
        elif d0 * d1 < 0:
            t = d0 / (d0 - d1)
            lx = math.log(xs[i]) + t * (math.log(xs[i + 1]) - math.log(xs[i]))
            ly = math.log(ya[i]) + t * (math.log(ya[i + 1]) - math.log(ya[i]))
            out.append((math.exp(lx), math.exp(ly)))
    return out
