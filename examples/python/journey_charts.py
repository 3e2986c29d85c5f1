"""Retention and an experiment over the demo company, as a manager reads them.

Usage: python examples/python/journey_charts.py OUTPUT_DIR

Builds the demo company in memory, then, notebook-style, one step at a time:

1. cohort retention: customers by the month they became active, and the
   share still customers 1, 3, 6 and 12 months later (retention.png, a
   heat map a manager reads row by row);
2. an experiment: the demo's payment reminders split into two wordings by
   a stable hash of each customer, and the share who paid within two weeks
   per wording, with the 95 % confidence interval of the difference
   (experiment.png);

and prints the churn reasons and the experiment's verdict.
"""

from __future__ import annotations

import datetime as dt
import sys
import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import PercentFormatter  # noqa: E402

import poolbook  # noqa: E402
from poolbook import frames  # noqa: E402

KEY = poolbook.static_key_provider(bytes(range(32)))


def retention_chart(book: poolbook.Book, out: Path) -> None:
    """Writes retention.png: one row per activation month, one column per mark."""
    report = book.retention(poolbook.RetentionQuery(as_of=dt.datetime.now(dt.timezone.utc)))
    table = frames.retention_frame(report).pivot(index="cohort", columns="months", values="share")
    sizes = frames.retention_frame(report).groupby("cohort")["customers"].first()
    fig, ax = plt.subplots(figsize=(7, 0.4 * len(table) + 1.6))
    image = ax.imshow(table.to_numpy(dtype=float), cmap="Greens", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(len(table.columns)), [f"{m} mo" for m in table.columns])
    ax.set_yticks(range(len(table.index)),
                  [f"{month:%b %Y} ({sizes[month]})" for month in table.index])
    for row, month in enumerate(table.index):
        for column, months in enumerate(table.columns):
            share = table.loc[month, months]
            ax.text(column, row, "–" if share != share else f"{share:.0%}", ha="center", va="center", fontsize=8)
    ax.set_title("Still a customer after … (by month they became active)")
    fig.colorbar(image, ax=ax, format=PercentFormatter(1.0))
    fig.tight_layout()
    fig.savefig(out / "retention.png", dpi=110)
    plt.close(fig)
    for reason in report.churn_reasons:
        print(f"churned: {reason.customers} × {reason.reason}")


def experiment_chart(book: poolbook.Book, out: Path) -> None:
    """Writes experiment.png: the paid-within-two-weeks rate per reminder wording, with the difference's CI."""
    definition = poolbook.ExperimentDefinition(
        name="reminder wording", variants=["plain", "friendly"], assignment=poolbook.Assignment.HASHED,
        exposure_action="message_sent", exposure_properties={"template": "payment_reminder"},
        goal_action="payment_made", window_hours=14 * 24,
    )
    report = book.experiment(definition)
    data = frames.experiment_frame(report)
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.6), gridspec_kw={"width_ratios": [3, 2]})
    left.bar(data["variant"], data["rate"], color=["#999999", "#2a7ab9"])
    for index, row in data.iterrows():
        left.text(index, row["rate"], f"{row['rate']:.0%}\n({row['converted']}/{row['people']})", ha="center", va="bottom")
    left.set_ylim(0, 1.15)
    left.set_ylabel("paid within 14 days of the reminder")
    left.set_title("Reminder wording")
    [comparison] = report.comparisons
    right.errorbar([comparison.difference * 100], [0],
                   xerr=[[(comparison.difference - comparison.ci_low) * 100],
                         [(comparison.ci_high - comparison.difference) * 100]],
                   fmt="o", capsize=6, color="#2a7ab9")
    right.axvline(0, color="#cc3333", linewidth=1)
    right.set_yticks([])
    right.set_xlabel("difference, percentage points (95 % CI)")
    right.set_title(f"{comparison.name} vs {comparison.against}")
    fig.suptitle("\n".join(textwrap.wrap(comparison.verdict, 120)), fontsize=8, y=0.02, va="bottom")
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    fig.savefig(out / "experiment.png", dpi=110)
    plt.close(fig)
    print(f"experiment: {comparison.verdict}")


def main(argv: "list[str]") -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    out = Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    with poolbook.Book.open_in_memory() as book:
        book.unlock(KEY)
        poolbook.populate_demo(book)
        retention_chart(book, out)
        experiment_chart(book, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
