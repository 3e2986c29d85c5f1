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
from enum import Enum
from typing import TYPE_CHECKING, Any, Dict, List, Mapping

from ._errors import PoolbookError
from ._types import (
    AttributionReport,
    FunnelReport,
    QualityReport,
    Readings,
    ResponseTimeReport,
    TimelineItemEntry,
    Visit,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas

    from ._book import Book

Row = Dict[str, Any]

__all__ = [
    "READING_FIELDS", "attribution_frame", "duplicate_comparison_frame", "duplicate_comparison_rows",
    "duplicate_frame", "duplicate_rows", "fill_rate_frame", "finding_frame", "finding_rows", "funnel_frame", "ledger_frame", "ledger_rows", "readings_frame", "readings_rows",
    "response_time_frame", "timeline_columns", "timeline_frame", "timeline_rows", "touchpoint_frame",
    "touchpoint_rows", "unanswered_frame", "visit_frame", "visit_rows",
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
    """A customer's visits, one flat dict each with every reading as a column."""
    rows = []
    for item in book.iter_timeline(customer_id=customer_id, kinds=["visit"]):
        assert isinstance(item, TimelineItemEntry) and isinstance(item.entry, Visit)
        visit = item.entry
        row = {
            "at": visit.at, "visit_id": visit.id, "customer_id": visit.customer_id,
            "location_id": visit.location_id, "body_of_water_id": visit.body_of_water_id,
            "technician_id": visit.technician_id, "outcome": visit.outcome,
            "duration_minutes": visit.duration_minutes,
        }
        row.update({field: getattr(visit.readings, field) for field in READING_FIELDS})
        rows.append(row)
    return rows


def visit_frame(book: "Book", customer_id: str) -> "pandas.DataFrame":
    """:func:`visit_rows` as a DataFrame (readings ``float64``, NaN when not measured)."""
    return _frame(visit_rows(book, customer_id), VISIT_COLUMNS)


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
    return [{name: getattr(tp, name) for name in TOUCHPOINT_COLUMNS} for tp in book.touchpoints(**query)]


def touchpoint_frame(book: "Book", **query: Any) -> "pandas.DataFrame":
    """:func:`touchpoint_rows` as a DataFrame."""
    return _frame(touchpoint_rows(book, **query), TOUCHPOINT_COLUMNS)


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
