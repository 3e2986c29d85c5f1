"""Parity with core's operation list, the GIL, the README quickstart, frames, round trips."""

from __future__ import annotations

import ast
import datetime as dt
import json
import re
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest

import poolbook
from poolbook import frames
from poolbook._records import decode, encode
from conftest import KEY, OFFICE, customer_with_pool

ROOT = Path(__file__).resolve().parents[2]

def test_every_core_operation_has_a_python_counterpart_with_its_arguments():
    """scripts/check-parity compares core's signatures with the installed package's."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check-parity"), "--python", str(Path(poolbook.__file__).parent)],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "core operations in Python" in result.stdout


def test_gil_is_released_during_a_long_call():
    ticks = []
    stop = threading.Event()

    def count() -> None:
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    book = poolbook.Book.open_in_memory()
    book.unlock(KEY)
    thread = threading.Thread(target=count)
    thread.start()
    try:
        time.sleep(0.01)
        started = time.perf_counter()
        poolbook.populate_demo(book)
        finished = time.perf_counter()
    finally:
        stop.set()
        thread.join()
    during = [t for t in ticks if started < t < finished]
    assert finished - started > 0.2
    # A thread blocked on the GIL would tick at most a handful of times.
    assert len(during) > 50, f"only {len(during)} ticks in {finished - started:.2f}s"


def test_readme_quickstart_runs(tmp_path, monkeypatch):
    readme = (ROOT / "README.md").read_text()
    block = re.search(
        r"<!-- python-quickstart: owned by bindings-python; run by its tests -->(.*?)<!-- /python-quickstart -->",
        readme,
        re.S,
    )
    assert block, "README has no python-quickstart block"
    code = re.search(r"```python\n(.*?)```", block.group(1), re.S)
    assert code, "the python-quickstart block has no python code"
    monkeypatch.chdir(tmp_path)
    program = compile(code.group(1), "README.md:python-quickstart", "exec")
    exec(program, {"__name__": "__quickstart__"})
    exec(program, {"__name__": "__quickstart__"})  # safe to run again, in the same book
    assert (tmp_path / "pools.sqlite").exists()
    with poolbook.Book.open(tmp_path / "pools.sqlite") as book:
        assert [c.display_name for c in book.list_customers().customers] == ["Rivera Family"] * 2


def test_frames_dtypes_and_values(demo):
    pytest.importorskip("pandas")
    book, summary = demo
    customer = next(c for c in summary.customers if book.timeline(customer_id=c, kinds=["visit"], limit=1).items)
    timeline = frames.timeline_frame(book, customer_id=customer)
    assert str(timeline["at"].dtype).startswith("datetime64") and str(timeline["at"].dt.tz) == "UTC"
    assert timeline["kind"].dtype == "category"
    assert len(timeline) == len(list(book.iter_timeline(customer_id=customer)))
    rows = frames.timeline_rows(book, customer_id=customer)
    assert rows[0].keys() == set(frames.TIMELINE_COLUMNS)
    visits = frames.visit_frame(book, customer)
    assert visits["ph"].dtype == "float64" and visits["ph"].dropna().between(6.5, 8.5).all()
    assert visits["ph"].isna().sum() == (visits["outcome"] == "skipped").sum()
    ledger = frames.ledger_frame(book, customer)
    assert all(isinstance(v, Decimal) for v in ledger["total"])
    assert sum(ledger["remaining"]) == book.balance(customer) + book.ledger(customer).unapplied
    assert str(ledger["issued_on"].dtype).startswith("datetime64")
    touch = frames.touchpoint_frame(book, customer_id=customer)
    assert touch["channel"].dtype == "category" and len(touch) == len(book.touchpoints(customer_id=customer))
    body = book.customer(customer).locations[0].bodies_of_water[0].id
    chem = frames.readings_frame(book, body)
    assert chem["saturation_index"].dtype == "float64" and len(chem) == len(book.readings_series(body))
    report = book.funnel(
        poolbook.FunnelDefinition(
            steps=[poolbook.FunnelStep(action="page_viewed"), poolbook.FunnelStep(action="estimate_requested")],
            window_hours=2160,
        )
    )
    funnel = frames.funnel_frame(report)
    cohort = funnel[funnel.breakdown == "cohort"]
    assert list(cohort[cohort.group == "all"]["step"]) == [1, 2]
    assert set(funnel.breakdown) >= {"cohort", "first_channel"}
    assert report.by_first_channel, "the demo's visitors arrive on some channel"
    for channel, counts in report.by_first_channel.items():
        rows = funnel[(funnel.breakdown == "first_channel") & (funnel.group == channel.value)]
        assert list(rows["entered"]) == [step.entered for step in counts.steps]
    for kind, counts in report.by_kind.items():
        rows = funnel[(funnel.breakdown == "kind") & (funnel.group == kind.value)]
        assert list(rows["converted"]) == [step.converted for step in counts.steps]
    assert str(funnel["entered"].dtype) == "int64" and str(funnel["breakdown"].dtype) == "category"
    response = frames.response_time_frame(book.lead_response_times())
    assert response.loc[0, "leads"] >= response.loc[0, "answered"]
    assert len(frames.unanswered_frame(book.lead_response_times())) == response.loc[0, "leads"] - response.loc[0, "answered"]
    attribution = frames.attribution_frame(book.attribution(conversion_action="payment_made"))
    sums = attribution[attribution.dimension == "channel"].groupby("model", observed=True)["credit"].sum()
    assert sums.round(6).nunique() == 1 and len(sums) == len(poolbook.AttributionModel)


def test_frames_without_pandas_say_how_to_install(demo, monkeypatch):
    book, summary = demo
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(poolbook.PoolbookError, match="pandas is not installed; DataFrames need it: pip install pandas"):
        frames.ledger_frame(book, summary.customers[0])
    assert isinstance(frames.ledger_rows(book, summary.customers[0]), list)


def test_demo_records_round_trip(demo):
    """Every demo customer read, re-encoded and written back unchanged: the records lose nothing."""
    book, summary = demo
    copy = poolbook.Book.open_in_memory()
    copy.unlock(poolbook.static_key_provider(bytes(32)))
    for tech in book.technicians(True):
        new_tech = poolbook.NewTechnician(**{f: getattr(tech, f) for f in poolbook.NewTechnician.__slots__})
        assert copy.add_technician(new_tech, OFFICE).id == tech.id
    codes = 0
    for cid in summary.customers[:40]:
        customer = book.customer(cid)
        new = poolbook.NewCustomer(**{f: getattr(customer, f) for f in poolbook.NewCustomer.__slots__})
        # A sealed code opens only in its own book: reveal it there, seal it again here.
        for location in new.locations:
            if location.access.gate_code is not None:
                location.access.gate_code = book.reveal_secret(location.id, "gate_code", OFFICE, "copying the book")
                codes += 1
        created = copy.create_customer(new, OFFICE)
        for field in poolbook.NewCustomer.__slots__:
            if field != "locations":
                assert getattr(created, field) == getattr(customer, field), field
        for mine, theirs in zip(created.locations, customer.locations):
            assert mine.access.gate_code is None or mine.access.gate_code.is_sealed
            mine.access.gate_code = theirs.access.gate_code = None
        assert created.locations == customer.locations
        for location in created.locations:
            assert book.reveal_secret(location.id, "gate_code", OFFICE, "check") == copy.reveal_secret(location.id, "gate_code", OFFICE, "check")
    assert codes > 10


def test_every_timeline_record_encodes_and_decodes_to_itself(demo):
    """Core's JSON for every kind of timeline item, decoded strictly and encoded back, is unchanged."""
    book, summary = demo
    seen = set()
    for cid in summary.customers[:25]:
        for item in book.iter_timeline(customer_id=cid, include_changes=True):
            seen.add(type(item.entry if isinstance(item, poolbook.TimelineItemEntry) else item).__name__)
            data = json.loads(json.dumps(encode(item, "item")))
            assert decode(poolbook.TimelineItem, data) == item
    assert {"Visit", "Invoice", "Payment", "Touchpoint"} <= seen
    changes = book.change_log(limit=300)
    assert len(changes) == 300
    for change in changes:
        assert decode(poolbook.ChangeRecord, json.loads(json.dumps(encode(change, "change")))) == change


def test_decoding_is_strict_about_core_fields(book):
    created = customer_with_pool(book)
    data = json.loads(json.dumps(encode(created, "customer")))
    assert decode(poolbook.Customer, data) == created
    with pytest.raises(TypeError, match=r"core sent Customer with unknown field\(s\) \['colour'\]"):
        decode(poolbook.Customer, {**data, "colour": "blue"})
    del data["billing"]
    with pytest.raises(TypeError, match="core sent Customer without field 'billing'"):
        decode(poolbook.Customer, data)
    with pytest.raises(TypeError, match="unknown item 'memo'"):
        decode(poolbook.TimelineItem, {"item": "memo"})


def test_records_constructors_to_dict_and_repr(book):
    created = customer_with_pool(book)
    plain = created.to_dict()
    assert isinstance(plain["locations"][0], dict)
    assert isinstance(plain["created_at"], dt.datetime)
    assert plain["kind"] is poolbook.CustomerKind.RESIDENTIAL and plain["kind"] == "residential"
    assert repr(created).startswith("Customer(id=") and "kind=CustomerKind.RESIDENTIAL" in repr(created)
    note = poolbook.Note(customer_id=created.id, text="Gate sticks")
    assert note.to_dict()["entry"] == "note" and repr(note).startswith(f"Note(id='{note.id}', customer_id=")
    assert note.at.tzinfo is not None and note.location_id is None
    assert poolbook.Note(customer_id=created.id, text="x").id != note.id
    with pytest.raises(TypeError):
        poolbook.Note(customer_id=created.id)  # text is required, as in core's Note::new
    with pytest.raises(AttributeError):
        note.txet = "typo"  # type: ignore[attr-defined]
    assert poolbook.NewCustomer(kind="hoa", display_name="Palms HOA").status == poolbook.LifecycleStatus.ACTIVE
    assert poolbook.Billing().terms_days == 15 and poolbook.CustomerQuery().archived == "exclude"
    assert poolbook.Author.import_("crm") == poolbook.Author(kind=poolbook.AuthorKind.IMPORT, id="crm")
    assert str(poolbook.CustomerKind.HOA) == "hoa" and f"{poolbook.CustomerKind.HOA}" == "hoa"
    ranges = {poolbook.Parameter.PH: 1}
    assert ranges.get("ph") == 1 and {"ph": 2}.get(poolbook.Parameter.PH) == 2


def test_timeline_columns_match_records(demo):
    book, summary = demo
    customer = max(summary.customers[:20], key=lambda c: len(list(book.iter_timeline(customer_id=c))))
    records = list(book.iter_timeline(customer_id=customer, include_changes=True))
    rows = frames.timeline_rows(book, customer_id=customer, include_changes=True)
    assert len(rows) == len(records) > 100
    for row, item in zip(rows, records):
        body = item.entry if isinstance(item, poolbook.TimelineItemEntry) else item
        assert row["item"] == item.item
        assert row["at"] == body.at and row["at"].tzinfo is not None
        if isinstance(body, poolbook.Entry):
            assert (row["kind"], row["id"], row["location_id"]) == (body.entry, body.id, getattr(body, "location_id", None))
        elif isinstance(body, poolbook.Touchpoint):
            assert (row["id"], row["channel"], row["action"]) == (body.id, body.channel, body.action)
        else:
            assert (row["kind"], row["id"]) == (body.action, str(body.seq))


def _calls(source: str) -> tuple[set[str], set[str]]:
    """The names called as ``x.name(...)`` (x not an imported module) and as ``name(...)``."""
    tree = ast.parse(source)
    modules = {alias.asname or alias.name.split(".")[0]
               for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
               for alias in node.names if isinstance(node, ast.Import)}
    methods, functions = set(), set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Attribute):
            receiver = node.func.value
            if isinstance(receiver, ast.Name) and receiver.id in modules - {"poolbook", "frames"}:
                continue
            if isinstance(receiver, ast.Name) and receiver.id in ("poolbook", "frames"):
                functions.add(f"{receiver.id}.{node.func.attr}")
            methods.add(node.func.attr)
        elif isinstance(node.func, ast.Name):
            functions.add(node.func.id)
    return methods, functions


def test_every_public_function_and_method_is_called_by_a_test():
    sources = [path.read_text() for path in Path(__file__).parent.glob("*.py")]
    readme = (ROOT / "README.md").read_text()
    sources += re.findall(r"```python\n(.*?)```", readme, re.S)
    methods: set[str] = set()
    functions: set[str] = set()
    for source in sources:
        called_methods, called_functions = _calls(source)
        methods |= called_methods
        functions |= called_functions
    unexercised = [f"Book.{n}" for n in dir(poolbook.Book) if not n.startswith("_") and n not in methods]
    unexercised += [n for n in poolbook.__all__ if callable(getattr(poolbook, n)) and n[0].islower()
                    and n not in functions and f"poolbook.{n}" not in functions]
    unexercised += [f"frames.{n}" for n in dir(frames) if n.endswith(("_rows", "_frame", "_columns")) and n[0] != "_"
                    and f"frames.{n}" not in functions and n not in functions]
    assert unexercised == []


def test_row_functions_and_defaults(demo):
    book, summary = demo
    query = poolbook.defaults(poolbook.CustomerQuery, limit=3)
    assert (query.limit, query.status, query.after) == (3, None, None)
    assert poolbook.defaults(poolbook.AttributionQuery).conversion_action == "payment_made"
    with pytest.raises(TypeError, match="no field 'colour'"):
        poolbook.defaults(poolbook.CustomerQuery, colour="blue")
    customer = next(c for c in summary.customers if book.timeline(customer_id=c, kinds=["visit"], limit=1).items)
    visits = frames.visit_rows(book, customer)
    entries = [i.entry for i in book.iter_timeline(customer_id=customer, kinds=["visit"])]
    assert [v["visit_id"] for v in visits] == [e.id for e in entries]
    for row, entry in zip(visits, entries):
        assert (row["at"], row["outcome"], row["duration_minutes"]) == (entry.at, entry.outcome, entry.duration_minutes)
        assert (row["customer_id"], row["location_id"], row["body_of_water_id"], row["technician_id"]) == (
            entry.customer_id, entry.location_id, entry.body_of_water_id, entry.technician_id)
        assert all(row[field] == getattr(entry.readings, field) for field in frames.READING_FIELDS)
    body = book.customer(customer).locations[0].bodies_of_water[0].id
    readings = frames.readings_rows(book, body)
    assert [r["visit_id"] for r in readings] == [p.visit_id for p in book.readings_series(body)]
    touches = frames.touchpoint_rows(book, customer_id=customer)
    # A customer's rows come from the columnar path: the same dicts, in the
    # same order, as from the touchpoints themselves.
    assert touches == [
        {name: getattr(t, name) for name in frames.TOUCHPOINT_COLUMNS} for t in book.touchpoints(customer_id=customer)
    ]
    columns = frames.timeline_columns(book, customer_id=customer)
    assert list(columns) == list(frames.TIMELINE_COLUMNS)
    assert len({len(values) for values in columns.values()}) == 1
    assert columns["id"] == [r["id"] for r in frames.timeline_rows(book, customer_id=customer)]
