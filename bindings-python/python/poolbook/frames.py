"""Analytics: poolbook results as plain lists of dicts and pandas DataFrames.

Every ``*_rows`` function returns a list of flat dicts (no pandas needed);
the matching ``*_frame`` function returns a DataFrame with these dtypes:
instants ``datetime64[..., UTC]``, days ``datetime64[...]`` (the unit pandas picks), kinds/channels/
actions ``category``, ids ``string``, readings and rates ``float64``, counts
``int64``, and money as ``object`` columns of ``decimal.Decimal`` (exact, as
core keeps it; ``.astype(float)`` when a chart needs floats). pandas is
optional: a ``*_frame`` call without it raises :class:`PoolbookError`
saying how to install it.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Sequence

from ._errors import PoolbookError
from ._types import (
    Actor,
    AttributionReport,
    CustomerEngagement,
    Direction,
    ExperimentReport,
    FunnelComparison,
    FunnelReport,
    JourneyChannel,
    JourneyMap,
    NextActionsReport,
    QualityReport,
    Readings,
    Receivables,
    ResponseTimeReport,
    RetentionReport,
    SatisfactionReport,
    Stage,
    StageReport,
    TopicReport,
    TouchpointCount,
    VisitOutcome,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas

    from ._book import Book

Row = Dict[str, Any]

__all__ = [
    "READING_FIELDS", "attribution_frame", "churn_frame", "comparison_frame", "counts_frame",
    "duplicate_comparison_frame", "duplicate_comparison_rows", "duplicate_frame", "duplicate_rows",
    "engagement_frame", "experiment_frame", "feedback_frame", "fill_rate_frame", "finding_frame",
    "finding_rows", "funnel_frame", "journey_map_frame", "ledger_entries_frame", "ledger_frame",
    "ledger_rows", "next_actions_frame", "outbox_frame", "outbox_rows", "readings_frame",
    "readings_rows", "receivables_frame", "reply_rate_frame", "response_time_frame",
    "retention_frame", "satisfaction_frame", "stage_frame", "table_columns", "timeline_columns",
    "timeline_frame", "timeline_rows", "touchpoint_frame", "touchpoint_rows", "unanswered_frame",
    "visit_frame", "visit_rows",
]


def __dir__() -> List[str]:
    """What ``dir(frames)`` shows: the frame functions, not the typing names they use."""
    return sorted(__all__)

#: Every reading core records (the fields of ``Readings``), each a float column.
READING_FIELDS = tuple(Readings.__slots__)


def _pandas() -> Any:  # the pandas module (Any: pandas is optional at run time)
    try:
        import pandas
    except ImportError:
        raise PoolbookError(
            "pandas is not installed; DataFrames need it: pip install pandas "
            "(or use the *_rows functions for plain lists of dicts)"
        ) from None
    return pandas


def _frame(rows: List[Row], columns: Mapping[str, str]) -> "pandas.DataFrame":
    """A DataFrame of ``rows`` with ``columns`` (name -> dtype) in that order."""
    pd = _pandas()
    data: Dict[str, Any] = {}
    for name, dtype in columns.items():
        values = [row.get(name) for row in rows]
        if dtype == "instant":
            data[name] = pd.to_datetime(pd.Series(values, dtype=object), utc=True)
        elif dtype == "day":
            data[name] = pd.to_datetime(pd.Series(values, dtype=object))
        elif dtype == "decimal":
            data[name] = pd.Series(values, dtype=object)
        elif dtype in ("category", "string"):
            data[name] = pd.Series([v.value if isinstance(v, Enum) else v for v in values], dtype=dtype)
        else:
            data[name] = pd.Series(values, dtype=dtype)
    frame: "pandas.DataFrame" = pd.DataFrame(data, columns=list(columns))
    return frame


def _column_frame(columns: Dict[str, List[Any]], dtypes: Mapping[str, str]) -> "pandas.DataFrame":
    """A DataFrame of columns as :func:`table_columns` gives them, with ``dtypes``."""
    pd = _pandas()
    data: Dict[str, Any] = {}
    for name, dtype in dtypes.items():
        values = columns[name]
        if dtype == "instant":
            data[name] = pd.to_datetime(pd.Series(values, dtype="Int64"), unit="us", utc=True)
        elif dtype == "day":
            data[name] = pd.to_datetime(pd.Series(values, dtype="Int64"), unit="D")
        elif dtype == "decimal":
            data[name] = pd.Series([None if v is None else Decimal(v) for v in values], dtype=object)
        else:
            data[name] = pd.Series(values, dtype=dtype)
    frame: "pandas.DataFrame" = pd.DataFrame(data, columns=list(dtypes))
    return frame


# Whole tables, columnar --------------------------------------------------------
def table_columns(book: "Book", table: str, customer_id: "str | None" = None) -> Dict[str, List[Any]]:
    """A table of the book (``visits``, ``ledger``, ``touchpoints``, ``customers``,
    ``contacts``, ``locations``, ``bodies_of_water``, ``change_log``) as a dict of
    column lists, built in Rust from the same Arrow batches as ``Book.to_arrow``:
    instants are microseconds since the epoch (UTC), days are days since the
    epoch, money is decimal text, words are text. Only one customer's rows if
    ``customer_id`` is given."""
    return book._arrow_columns(table, customer_id)


# The timeline ---------------------------------------------------------------
TIMELINE_COLUMNS = {
    "at": "instant", "item": "category", "kind": "category", "id": "string",
    "customer_id": "string", "location_id": "string", "channel": "category", "action": "category",
}


_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)


def timeline_columns(book: "Book", **query: Any) -> Dict[str, List[Any]]:
    """The whole timeline (TimelineQuery fields as keywords) as a dict of columns.

    Give exactly one of ``customer_id`` and ``location_id``; ``kinds``,
    ``since``, ``until`` and ``include_changes`` narrow or widen it.

    Built in Rust page by page (no per-row JSON, no per-row call into Rust);
    ``at`` holds tz-aware UTC datetimes, the other columns are strings or None.
    """
    columns = book._timeline_columns(**query)
    columns["at"] = [_EPOCH + _dt.timedelta(microseconds=us) for us in columns.pop("at_us")]
    return {name: columns[name] for name in TIMELINE_COLUMNS}


def timeline_rows(book: "Book", **query: Any) -> List[Row]:
    """The timeline as one flat dict per item; give exactly one of ``customer_id`` and ``location_id``."""
    columns = timeline_columns(book, **query)
    names = list(columns)
    return [dict(zip(names, values)) for values in zip(*columns.values())]


def timeline_frame(book: "Book", **query: Any) -> "pandas.DataFrame":
    """The timeline as a DataFrame (``at`` is ``datetime64[..., UTC]``), straight from the columns.

    Give exactly one of ``customer_id`` and ``location_id``, as for :func:`timeline_columns`.
    """
    pd = _pandas()
    columns = book._timeline_columns(**query)
    data = {"at": pd.to_datetime(pd.Series(columns.pop("at_us"), dtype="int64"), unit="us", utc=True)}
    for name, dtype in TIMELINE_COLUMNS.items():
        if name != "at":
            data[name] = pd.Series(columns[name], dtype=dtype)
    frame: "pandas.DataFrame" = pd.DataFrame(data, columns=list(TIMELINE_COLUMNS))
    return frame


# Visits with their readings ------------------------------------------------
VISIT_COLUMNS = {
    "at": "instant", "visit_id": "string", "customer_id": "string", "location_id": "string",
    "body_of_water_id": "string", "technician_id": "string", "outcome": "category",
    "duration_minutes": "Int64", **{field: "float64" for field in READING_FIELDS},
}


def visit_rows(book: "Book", customer_id: str) -> List[Row]:
    """A customer's visits (not archived), newest first, one flat dict each with
    every reading as a column; built from the columnar (Arrow) path, not one
    decoded visit at a time."""
    columns = table_columns(book, "visits", customer_id)
    outcomes = {outcome.value: outcome for outcome in VisitOutcome}
    readings = [columns[field] for field in READING_FIELDS]
    rows: List[Row] = []
    for index, archived in enumerate(columns["archived"]):
        if archived:
            continue
        row = {
            "at": _EPOCH + _dt.timedelta(microseconds=columns["at"][index]),
            "visit_id": columns["id"][index], "customer_id": columns["customer_id"][index],
            "location_id": columns["location_id"][index],
            "body_of_water_id": columns["body_of_water_id"][index],
            "technician_id": columns["technician_id"][index],
            "outcome": outcomes[columns["outcome"][index]],
            "duration_minutes": columns["duration_minutes"][index],
        }
        row.update(zip(READING_FIELDS, (values[index] for values in readings)))
        rows.append(row)
    return rows


def visit_frame(book: "Book", customer_id: str) -> "pandas.DataFrame":
    """A customer's visits as a DataFrame (readings ``float64``, NaN when not
    measured), newest first, straight from the columnar (Arrow) path."""
    columns = table_columns(book, "visits", customer_id)
    live = [not archived for archived in columns["archived"]]
    columns = {name: [v for v, keep in zip(values, live) if keep] for name, values in columns.items()}
    columns["visit_id"] = columns.pop("id")
    return _column_frame(columns, VISIT_COLUMNS)


READINGS_COLUMNS = {"at": "instant", "visit_id": "string", **{f: "float64" for f in READING_FIELDS}, "saturation_index": "float64"}


def readings_rows(book: "Book", body_of_water_id: str) -> List[Row]:
    """One body of water's readings over time, with the saturation index (CSI)."""
    rows = []
    for point in book.readings_series(body_of_water_id):
        row = {"at": point.at, "visit_id": point.visit_id, "saturation_index": point.saturation_index}
        row.update({field: getattr(point.readings, field) for field in READING_FIELDS})
        rows.append(row)
    return rows


def readings_frame(book: "Book", body_of_water_id: str) -> "pandas.DataFrame":
    """:func:`readings_rows` as a DataFrame."""
    return _frame(readings_rows(book, body_of_water_id), READINGS_COLUMNS)


# The ledger -----------------------------------------------------------------
LEDGER_COLUMNS = {
    "invoice_id": "string", "number": "string", "issued_on": "day", "due_on": "day",
    "total": "decimal", "paid": "decimal", "credited": "decimal", "remaining": "decimal",
}


def ledger_rows(book: "Book", customer_id: str) -> List[Row]:
    """A customer's invoices with what was paid and credited (money as Decimal)."""
    return [{name: getattr(balance, name) for name in LEDGER_COLUMNS} for balance in book.invoice_balances(customer_id)]


def ledger_frame(book: "Book", customer_id: str) -> "pandas.DataFrame":
    """:func:`ledger_rows` as a DataFrame (money columns hold Decimals, dtype object)."""
    return _frame(ledger_rows(book, customer_id), LEDGER_COLUMNS)


# Touchpoints ----------------------------------------------------------------
TOUCHPOINT_COLUMNS = {
    "at": "instant", "id": "string", "customer_id": "string", "visitor_id": "string",
    "channel": "category", "direction": "category", "actor": "category", "action": "category",
    "stage": "category", "source": "string", "campaign": "string", "value": "decimal",
}


def touchpoint_rows(book: "Book", **query: Any) -> List[Row]:
    """Touchpoints (TouchpointQuery fields as keywords), one flat dict each.

    ``customer_id`` or ``visitor_id`` is required; ``since``, ``until`` and
    ``limit`` narrow it.
    """
    if set(query) != {"customer_id"}:
        return [{name: getattr(tp, name) for name in TOUCHPOINT_COLUMNS} for tp in book.touchpoints(**query)]
    # A customer's touchpoints alone: from the columnar (Arrow) path, in the
    # order ``Book.touchpoints`` gives (time, then id).
    columns = table_columns(book, "touchpoints", query["customer_id"])
    decoded: Dict[str, List[Any]] = {
        "at": [_EPOCH + _dt.timedelta(microseconds=us) for us in columns["at"]],
        "value": [None if v is None else Decimal(v) for v in columns["value"]],
    }
    for name, kind in (("channel", JourneyChannel), ("direction", Direction), ("actor", Actor), ("stage", Stage)):
        members: Dict[Any, Any] = {member.value: member for member in kind}
        decoded[name] = [members.get(v) for v in columns[name]]
    names = list(TOUCHPOINT_COLUMNS)
    rows = [dict(zip(names, values)) for values in zip(*(decoded.get(name, columns[name]) for name in names))]
    rows.sort(key=lambda row: (row["at"], row["id"]))
    return rows


def touchpoint_frame(book: "Book", **query: Any) -> "pandas.DataFrame":
    """:func:`touchpoint_rows` as a DataFrame; a customer's touchpoints
    (``customer_id`` alone) come straight from the columnar (Arrow) path."""
    if set(query) != {"customer_id"}:
        return _frame(touchpoint_rows(book, **query), TOUCHPOINT_COLUMNS)
    columns = table_columns(book, "touchpoints", query["customer_id"])
    frame = _column_frame(columns, TOUCHPOINT_COLUMNS)
    return frame.sort_values(["at", "id"], kind="stable").reset_index(drop=True)


LEDGER_ENTRY_COLUMNS = {
    "at": "instant", "id": "string", "customer_id": "string", "kind": "category", "on": "day",
    "due_on": "day", "number": "string", "amount": "decimal", "credit_kind": "category", "archived": "bool",
}


def ledger_entries_frame(book: "Book", customer_id: "str | None" = None) -> "pandas.DataFrame":
    """Invoices, payments and credits (the whole book's, or one customer's) as a
    DataFrame, newest first, straight from the columnar (Arrow) path: ``amount``
    holds Decimals (an invoice's total, a payment's or credit's amount)."""
    return _column_frame(table_columns(book, "ledger", customer_id), LEDGER_ENTRY_COLUMNS)


# Journey reports --------------------------------------------------------------
FUNNEL_COLUMNS = {
    "breakdown": "category", "group": "string", "step": "int64", "action": "string", "entered": "int64", "converted": "int64",
    "conversion_rate": "float64", "drop_off": "int64",
    "median_seconds_to_convert": "float64", "p90_seconds_to_convert": "float64",
}


def funnel_frame(report: FunnelReport) -> "pandas.DataFrame":
    """A funnel report, long form: one row per breakdown, group and step.

    ``breakdown`` is ``cohort`` (groups ``all``, ``new``, ``returning``),
    ``first_channel``, ``kind`` or ``tag`` (groups: each channel, account
    kind or tag the report has); ``group`` names the group.
    """
    rows = []
    groups = [("cohort", name, getattr(report, name)) for name in ("all", "new", "returning")]
    for breakdown, mapping in (("first_channel", report.by_first_channel), ("kind", report.by_kind),
                               ("tag", report.by_tag)):
        groups += [(breakdown, key.value if isinstance(key, Enum) else key, counts) for key, counts in mapping.items()]
    for breakdown, group, counts in groups:
        for number, step in enumerate(counts.steps, start=1):
            rows.append({"breakdown": breakdown, "group": group, "step": number, **step.to_dict()})
    return _frame(rows, FUNNEL_COLUMNS)


def attribution_frame(report: AttributionReport) -> "pandas.DataFrame":
    """An attribution report: one row per model, dimension (channel/campaign) and key, with its credit."""
    rows = []
    for model in report.models:
        for dimension in ("channel", "campaign"):
            for key, credit in getattr(model, f"by_{dimension}").items():
                rows.append({"model": model.model, "dimension": dimension, "key": key, "credit": float(credit)})
    return _frame(rows, {"model": "category", "dimension": "category", "key": "string", "credit": "float64"})


def response_time_frame(report: ResponseTimeReport) -> "pandas.DataFrame":
    """A lead response-time report's summary as a one-row DataFrame."""
    summary = {k: v for k, v in report.to_dict().items() if not isinstance(v, list)}
    frame: "pandas.DataFrame" = _pandas().DataFrame([summary])
    return frame


def unanswered_frame(report: ResponseTimeReport) -> "pandas.DataFrame":
    """The leads in a response-time report that no one answered."""
    columns = {"at": "instant", "customer_id": "string", "visitor_id": "string", "action": "category", "channel": "category"}
    return _frame([lead.to_dict() for lead in report.unanswered], columns)


# The outbox -----------------------------------------------------------------
OUTBOX_COLUMNS = {
    "send_at": "instant", "key": "string", "rule": "category", "customer_id": "string",
    "customer_name": "string", "contact_id": "string", "recipient_name": "string", "channel": "category",
    "address": "string", "reason": "string", "subject": "string", "body": "string", "template": "category",
    "variant": "category", "language": "category", "legally_required": "bool", "internal": "bool",
    "suppressed": "string",
}


def outbox_rows(book: "Book", at: _dt.datetime, horizon_minutes: int) -> List[Row]:
    """The outbox for review: each due message, then each held-back one (``suppressed`` says why)."""
    outbox = book.due_messages(at, horizon_minutes)
    rows: List[Row] = [{name: getattr(message, name) for name in OUTBOX_COLUMNS if name != "suppressed"}
                       for message in outbox.due]
    for held in outbox.suppressed:
        rows.append({"key": held.key, "rule": held.rule, "customer_id": held.customer_id,
                     "contact_id": held.contact_id, "channel": held.channel, "suppressed": held.why,
                     "legally_required": False, "internal": False})
    return rows


def outbox_frame(book: "Book", at: _dt.datetime, horizon_minutes: int) -> "pandas.DataFrame":
    """:func:`outbox_rows` as a DataFrame: due messages by send time, then held-back ones (no send time)."""
    return _frame(outbox_rows(book, at, horizon_minutes), OUTBOX_COLUMNS)


REPLY_RATE_COLUMNS = {
    "template": "category", "variant": "category", "sent": "int64", "replied": "int64", "stopped": "int64",
    "rate": "float64",
}


def reply_rate_frame(
    book: "Book", since: Optional[_dt.datetime] = None, until: Optional[_dt.datetime] = None
) -> "pandas.DataFrame":
    """Reply rates per template and variant of the messages sent in ``[since, until)``."""
    return _frame([rate.to_dict() for rate in book.reply_rates(since, until)], REPLY_RATE_COLUMNS)


# The connected journey (issue 17) -------------------------------------------
def _value(v: Any) -> Any:
    return v.value if isinstance(v, Enum) else v


def counts_frame(counts: List[TouchpointCount], names: Sequence[str] = ()) -> "pandas.DataFrame":
    """Touchpoint counts (:meth:`Book.count_touchpoints`), long form: one row per period and group.

    ``names`` names the dimension columns in the query's order (default ``group_1``, ``group_2``, …).
    """
    width = max((len(c.group) for c in counts), default=len(names))
    columns = list(names) + [f"group_{n}" for n in range(len(names) + 1, width + 1)]
    rows = []
    for count in counts:
        row: Row = {"period_start": count.period_start, "touchpoints": count.touchpoints, "value": count.value}
        row.update(zip(columns, count.group))
        rows.append(row)
    dtypes: Dict[str, str] = {"period_start": "day"}
    dtypes.update({name: "category" for name in columns})
    dtypes.update({"touchpoints": "int64", "value": "float64"})
    return _frame(rows, dtypes)


def retention_frame(report: RetentionReport) -> "pandas.DataFrame":
    """Cohort retention, long form: one row per cohort month and mark (months after activation).

    ``share`` is NaN where no customer's mark has come yet; pivot on ``months`` for the usual table.
    """
    rows = [
        {"cohort": cohort.month, "customers": cohort.customers, "months": cell.months, "measured": cell.measured,
         "retained": cell.retained, "share": cell.share}
        for cohort in report.cohorts for cell in cohort.cells
    ]
    return _frame(rows, {"cohort": "day", "customers": "int64", "months": "int64", "measured": "int64",
                         "retained": "int64", "share": "float64"})


def churn_frame(report: RetentionReport) -> "pandas.DataFrame":
    """The churn reasons of a retention report: one row per reason."""
    return _frame([r.to_dict() for r in report.churn_reasons], {"reason": "string", "customers": "int64"})


def satisfaction_frame(report: SatisfactionReport) -> "pandas.DataFrame":
    """Ratings, long form: one row per breakdown (overall, period, technician, stage) and group."""
    rows: List[Row] = [{"breakdown": "overall", "group": "all", **report.overall.to_dict()}]
    rows += [{"breakdown": "period", "group": str(p.period_start), **p.ratings.to_dict()} for p in report.by_period]
    rows += [{"breakdown": "technician", "group": t.technician_id, **t.ratings.to_dict()} for t in report.by_technician]
    rows += [{"breakdown": "stage", "group": _value(s.stage) or "(none)", **s.ratings.to_dict()}
             for s in report.by_stage]
    return _frame(rows, {"breakdown": "category", "group": "string", "responses": "int64", "average": "float64",
                         "share_4_5": "float64"})


def engagement_frame(engagement: List[CustomerEngagement]) -> "pandas.DataFrame":
    """Engagement per customer (:meth:`Book.engagement`): one row per customer."""
    return _frame([e.to_dict() for e in engagement], {
        "customer_id": "string", "display_name": "string", "portal_recent": "int64", "portal_before": "int64",
        "email_recent": "int64", "email_before": "int64", "trend": "category", "last_active_at": "instant",
        "quiet": "bool",
    })


def experiment_frame(report: ExperimentReport) -> "pandas.DataFrame":
    """An experiment: one row per variant with its rate and, against the first, the difference and 95 % CI."""
    against = {c.name: c for c in report.comparisons}
    rows = []
    for variant in report.variants:
        row: Row = variant.to_dict()
        comparison = against.get(variant.variant)
        if comparison is not None:
            row.update(difference=comparison.difference, ci_low=comparison.ci_low, ci_high=comparison.ci_high,
                       p_value=comparison.p_value, verdict=comparison.verdict)
        rows.append(row)
    return _frame(rows, {"variant": "string", "people": "int64", "converted": "int64", "rate": "float64",
                         "difference": "float64", "ci_low": "float64", "ci_high": "float64", "p_value": "float64",
                         "verdict": "string"})


def comparison_frame(comparison: FunnelComparison) -> "pandas.DataFrame":
    """A funnel before and after a change: one row per step (and ``overall``) with the difference and 95 % CI."""
    return _frame([c.to_dict() for c in comparison.steps], {
        "name": "string", "against": "string", "difference": "float64", "ci_low": "float64", "ci_high": "float64",
        "p_value": "float64", "enough_data": "bool", "verdict": "string",
    })


def next_actions_frame(report: NextActionsReport) -> "pandas.DataFrame":
    """What people did next: one row per next action, then ``(nothing)`` for those who did nothing."""
    rows: List[Row] = [n.to_dict() for n in report.next]
    rows.append({"action": "(nothing)", "channel": None, "people": report.nothing, "share": report.nothing_share})
    return _frame(rows, {"action": "string", "channel": "category", "people": "int64", "share": "float64"})


def stage_frame(report: StageReport) -> "pandas.DataFrame":
    """People entering each journey stage per period: one row per stage and period."""
    rows = [
        {"stage": _value(flow.stage), "period_start": p.period_start, "entered": p.people,
         "median_days": flow.median_days}
        for flow in report.stages for p in flow.entered_by_period
    ]
    return _frame(rows, {"stage": "category", "period_start": "day", "entered": "int64", "median_days": "float64"})


def journey_map_frame(journey_map: JourneyMap) -> "pandas.DataFrame":
    """A journey map: one row per stage and action that matters there, with the stage's measured numbers."""
    rows = []
    for stage in journey_map.stages:
        base = {"stage": _value(stage.stage), "reached": stage.people, "share": stage.share,
                "moved_on": stage.moved_on, "median_days": stage.median_days}
        if not stage.actions:
            rows.append({**base, "action": None, "people": 0, "touchpoints": 0})
        for action in stage.actions:
            rows.append({**base, "action": action.action, "people": action.people, "touchpoints": action.touchpoints})
    return _frame(rows, {"stage": "category", "reached": "int64", "share": "float64", "moved_on": "float64",
                         "median_days": "float64", "action": "string", "people": "int64", "touchpoints": "int64"})


def feedback_frame(topics: List[TopicReport]) -> "pandas.DataFrame":
    """Feedback by topic (:meth:`Book.feedback_report`): one row per topic."""
    return _frame([t.to_dict() for t in topics], {
        "topic": "string", "feedback": "int64", "average_rating": "float64", "led_to_issue": "int64",
        "fixed": "int64", "share_fixed": "float64", "median_days_to_fix": "float64",
    })


def receivables_frame(report: Receivables) -> "pandas.DataFrame":
    """Who owes most (:meth:`Book.receivables`): one row per debtor, money as Decimal."""
    return _frame([d.to_dict() for d in report.top_debtors], {
        "customer_id": "string", "display_name": "string", "owed": "decimal", "over_30": "decimal",
        "oldest_days_past_due": "int64",
    })


# Data quality -------------------------------------------------------------------
DUPLICATE_COLUMNS = {
    "a": "string", "a_name": "string", "b": "string", "b_name": "string", "weight": "float64",
    "probability": "float64", "prior": "float64", "band": "category", "verdict": "category",
}
COMPARISON_COLUMNS = {
    "a": "string", "b": "string", "field": "category", "a_value": "string", "b_value": "string",
    "level": "category", "weight": "float64",
}
FINDING_COLUMNS = {
    "customer_id": "string", "field": "string", "rule": "category", "severity": "category", "message": "string",
}
FILL_RATE_COLUMNS = {"field": "string", "filled": "int64", "total": "int64", "rate": "float64"}


def duplicate_rows(book: "Book", **query: Any) -> List[Row]:
    """Duplicate candidates (DuplicateQuery fields as keywords), one flat dict per pair, most likely first."""
    return [
        {name: _plain(getattr(candidate, name)) for name in DUPLICATE_COLUMNS}
        for candidate in book.duplicate_candidates(**query)
    ]


def duplicate_frame(book: "Book", **query: Any) -> "pandas.DataFrame":
    """:func:`duplicate_rows` as a DataFrame."""
    return _frame(duplicate_rows(book, **query), DUPLICATE_COLUMNS)


def duplicate_comparison_rows(book: "Book", **query: Any) -> List[Row]:
    """Every candidate's explanation, long form: one row per pair and compared field.

    Each pair's ``weight`` column sums, with its ``prior``, to the pair's weight.
    """
    return [
        {"a": candidate.a, "b": candidate.b, "field": line.field, "a_value": line.a_value,
         "b_value": line.b_value, "level": line.level, "weight": line.weight}
        for candidate in book.duplicate_candidates(**query)
        for line in candidate.comparisons
    ]


def duplicate_comparison_frame(book: "Book", **query: Any) -> "pandas.DataFrame":
    """:func:`duplicate_comparison_rows` as a DataFrame (a waterfall per pair)."""
    return _frame(duplicate_comparison_rows(book, **query), COMPARISON_COLUMNS)


def finding_rows(report: QualityReport) -> List[Row]:
    """A quality report's findings, one flat dict each."""
    return [{name: _plain(getattr(finding, name)) for name in FINDING_COLUMNS} for finding in report.findings]


def finding_frame(report: QualityReport) -> "pandas.DataFrame":
    """:func:`finding_rows` as a DataFrame."""
    return _frame(finding_rows(report), FINDING_COLUMNS)


def fill_rate_frame(report: QualityReport) -> "pandas.DataFrame":
    """A quality report's fill rates, one row per field."""
    rows = [{name: getattr(rate, name) for name in FILL_RATE_COLUMNS} for rate in report.fill_rates]
    return _frame(rows, FILL_RATE_COLUMNS)


def _plain(value: Any) -> Any:
    """An enum as its text; anything else as it is."""
    return value.value if isinstance(value, Enum) else value
