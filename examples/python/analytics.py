"""Analytics over the demo company with poolbook, pandas and matplotlib.

Usage: python examples/python/analytics.py OUTPUT_DIR [BOOK_FILE]

Opens BOOK_FILE (filling it with the demo company when it is empty; an
in-memory book when no file is given), then writes to OUTPUT_DIR:

* chemistry.png: free chlorine, pH and the calcium saturation index (CSI)
  over a year for the pool with the most visits, with the target ranges;
* funnel.png: how many prospects reach each step from first page view to
  first payment, within 60 days;

and prints a summary of how fast the office answers new leads.
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402

import poolbook  # noqa: E402
from poolbook import frames  # noqa: E402

FUNNEL_STEPS = [
    ("page_viewed", "Viewed the website"),
    ("estimate_requested", "Asked for an estimate"),
    ("call", "Had a call"),
    ("payment_made", "Made a first payment"),
]


def busiest_pool(book: poolbook.Book, customers: "list[poolbook.CustomerId]") -> "tuple[str, poolbook.BodyOfWater]":
    """The (customer name, pool) with the longest readings history."""
    best: "tuple[str, poolbook.BodyOfWater, int] | None" = None
    for customer_id in customers:
        customer = book.customer(customer_id)
        for location in customer.locations:
            for body in location.bodies_of_water:
                if body.kind != poolbook.WaterKind.POOL:
                    continue
                count = len(book.readings_series(body.id))
                if best is None or count > best[2]:
                    best = (customer.display_name, body, count)
    if best is None:
        raise SystemExit("the book has no pools")
    return best[0], best[1]


def chemistry_chart(book: poolbook.Book, customers: "list[poolbook.CustomerId]", out: Path) -> None:
    """Writes chemistry.png: FC, pH and CSI for one pool, with target bands."""
    name, body = busiest_pool(book, customers)
    data = frames.readings_frame(book, body.id).sort_values("at")
    profile = poolbook.best_profile(book.target_profiles(), body.kind, body.sanitizer, body.surface)
    ranges = profile.ranges if profile else {}

    def band(parameter: poolbook.Parameter) -> "tuple[float, float] | None":
        target = ranges.get(parameter)
        if target is None or target.min is None or target.max is None:
            return None
        return (target.min, target.max)

    panels = [
        ("free_chlorine", "Free chlorine (ppm)", band(poolbook.Parameter.FREE_CHLORINE), "tab:green"),
        ("ph", "pH", band(poolbook.Parameter.PH), "tab:purple"),
        ("saturation_index", "CSI (calcium saturation index)", band(poolbook.Parameter.SATURATION_INDEX), "tab:blue"),
    ]
    fig, axes = plt.subplots(3, 1, figsize=(11, 8.5), sharex=True, constrained_layout=True)
    for ax, (column, label, target, colour) in zip(axes, panels):
        series = data[["at", column]].dropna()
        if target is not None:
            low, high = target
            ax.axhspan(low, high, color=colour, alpha=0.12, label=f"target range\n{low:g} to {high:g}")
        ax.plot(series["at"], series[column], marker="o", markersize=3.5, linewidth=1.4, color=colour, label="measured")
        ax.set_ylabel(label.split(" (")[0] if column == "saturation_index" else label)
        ax.set_title(label, loc="left", fontsize=10)
        ax.grid(True, alpha=0.3)
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=9, frameon=False)
    axes[2].axhline(0, color="0.4", linewidth=0.8)
    axes[2].xaxis.set_major_locator(mdates.MonthLocator())
    axes[2].xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y"))
    axes[2].set_xlabel("Visit date (UTC)")
    profile_name = profile.name if profile else "no profile"
    fig.suptitle(
        f"Water chemistry at {name} ({body.name}): {len(data)} visits, targets from \"{profile_name}\"",
        fontsize=13,
        fontweight="bold",
    )
    fig.savefig(out / "chemistry.png", dpi=110)
    plt.close(fig)


def funnel_chart(book: poolbook.Book, out: Path) -> None:
    """Writes funnel.png: prospects reaching each step within 60 days."""
    steps = [poolbook.FunnelStep(action=action) for action, _ in FUNNEL_STEPS]
    report = book.funnel(poolbook.FunnelDefinition(steps=steps, window_hours=60 * 24))
    data = frames.funnel_frame(report)
    data = data[(data["breakdown"] == "cohort") & (data["group"] == "all")].reset_index(drop=True)
    labels = [label for _, label in FUNNEL_STEPS]
    entered = list(data["entered"])
    fig, ax = plt.subplots(figsize=(10, 5.5), constrained_layout=True)
    bars = ax.barh(labels[::-1], entered[::-1], color=["#1f77b4", "#4a90c2", "#7aaed6", "#a9cce8"][: len(labels)][::-1])
    first = entered[0] or 1
    for i, bar in enumerate(bars):
        step = len(labels) - 1 - i
        note = f"{entered[step]}  ({entered[step] / first:.0%} of visitors"
        if step > 0 and entered[step - 1]:
            note += f", {entered[step] / entered[step - 1]:.0%} of the step before"
        ax.text(bar.get_width() + first * 0.01, bar.get_y() + bar.get_height() / 2, note + ")", va="center", fontsize=10)
    ax.set_xlim(0, first * 1.6)
    ax.set_xlabel("People (visitors and customers)")
    ax.set_title("From first page view to first payment (within 60 days)", fontsize=14, fontweight="bold")
    ax.grid(True, axis="x", alpha=0.3)
    fig.savefig(out / "funnel.png", dpi=110)
    plt.close(fig)


def response_summary(book: poolbook.Book) -> None:
    """Prints how fast the office answers new leads."""
    report = book.lead_response_times()
    hours = lambda seconds: "n/a" if seconds is None else f"{seconds / 3600:.1f} h"  # noqa: E731
    print("Lead response time")
    print(f"  leads:             {report.leads}")
    print(f"  answered:          {report.answered} ({report.answered / max(report.leads, 1):.0%})")
    print(f"  median first reply {hours(report.median_seconds)}")
    print(f"  90th percentile    {hours(report.p90_seconds)}")
    print(f"  within {report.target_minutes} min:     {report.within_target:.0%}")
    unanswered = frames.unanswered_frame(report)
    if len(unanswered):
        print("  unanswered by channel: " + ", ".join(f"{k} {v}" for k, v in unanswered["channel"].value_counts().items() if v))


def main(argv: "list[str]") -> int:
    if len(argv) not in (2, 3):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    out = Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    book = poolbook.Book.open(argv[2]) if len(argv) == 3 else poolbook.Book.open_in_memory()
    with book:
        # The demo's gate codes are sealed under a key from this passphrase.
        book.unlock(poolbook.passphrase_key_provider("demo company passphrase"))
        if not book.list_customers(limit=1).customers:
            poolbook.populate_demo(book)
        customers = [c.id for c in book.iter_customers()]
        chemistry_chart(book, customers, out)
        funnel_chart(book, out)
        response_summary(book)
    print(f"wrote {out / 'chemistry.png'} and {out / 'funnel.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
