"""Issue 20 from Python: spreadsheet import (dry run, commit, re-import, undo)
of the example CSV."""

from __future__ import annotations

import pathlib

import pytest

import poolbook
from conftest import OFFICE

EXAMPLE = pathlib.Path(__file__).resolve().parents[2] / "examples" / "customers.csv"


def _with_technician(book: poolbook.Book) -> None:
    book.add_technician(poolbook.NewTechnician(name="Sam Reyes"), OFFICE)


def test_leaving_a_spreadsheet_plan_commit_reimport_undo(book: poolbook.Book) -> None:
    _with_technician(book)
    source = poolbook.ImportSource(path=str(EXAMPLE))
    mapping = book.guess_import_mapping(source, "route sheet")
    fields = {c.column: c.field for c in mapping.columns}
    assert fields["Customer ID"] == poolbook.ImportField.KEY
    assert fields["Gate Code"] == poolbook.ImportField.GATE_CODE

    plan = book.plan_import(source, mapping)
    assert (plan.creates, plan.updates, plan.errors) == (3, 0, 0)
    assert [r.action for r in plan.rows] == [poolbook.RowAction.CREATE] * 4
    assert book.list_customers(poolbook.CustomerQuery()).customers == []

    result = book.commit_import(source, mapping, OFFICE)
    names = sorted(c.display_name for c in book.list_customers(poolbook.CustomerQuery()).customers)
    assert names == ["Chen, David", "Maria Lopez", "Sunset HOA"]
    again = book.commit_import(source, mapping, OFFICE)
    assert (again.plan.creates, again.plan.updates, again.plan.skips) == (0, 0, 4)

    undo = book.undo_import(result.import_id, OFFICE)
    assert len(undo.archived) == 3 and undo.kept == []
    assert book.list_customers(poolbook.CustomerQuery()).customers == []

    book.save_import_mapping(mapping, OFFICE)
    assert [m.name for m in book.import_mappings()] == ["route sheet"]
    assert "pool_route_export" in [m.name for m in book.import_presets()]


def test_a_bad_cell_is_named_by_row_and_column(book: poolbook.Book, tmp_path: pathlib.Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("Customer Name;Mobile;Zip\nAna Ruiz;12;33602\nBo Li;(813) 555-0101;33602\n")
    source = poolbook.ImportSource(path=str(path))
    mapping = book.guess_import_mapping(source, "bad")
    plan = book.plan_import(source, mapping)
    bad = plan.rows[0]
    assert bad.action == poolbook.RowAction.ERROR and bad.row == 2
    assert bad.problems[0].column == "Mobile"
    assert plan.rows[1].action == poolbook.RowAction.CREATE
    path.write_text('Customer Name,City\n"Ann,Tampa\n')
    with pytest.raises(poolbook.ValidationError, match="row 2: a quote opened here is never closed"):
        book.plan_import(source, mapping)


def test_the_book_leaves_and_comes_back_whole(demo, tmp_path: pathlib.Path) -> None:
    book, summary = demo
    path = tmp_path / "book.jsonl"
    header = book.export_book(path)
    counts = {c.table: c.rows for c in header.counts}
    assert counts["customers"] == len(summary.customers)
    assert path.read_text().count("\n") == 1 + sum(counts.values())
    with poolbook.Book.open(tmp_path / "copy.sqlite") as copy:
        copy.import_book(path)
        query = poolbook.CustomerQuery(limit=1000)
        assert copy.list_customers(query) == book.list_customers(query)
        log = poolbook.ChangeLogQuery(limit=10000)
        assert copy.change_log(log) == book.change_log(log)
        with pytest.raises(poolbook.ValidationError, match="not empty"):
            copy.import_book(path)
    truncated = tmp_path / "truncated.jsonl"
    truncated.write_text("\n".join(path.read_text().splitlines()[:50]))
    with poolbook.Book.open(tmp_path / "other.sqlite") as other:
        with pytest.raises(poolbook.ValidationError, match="line 50: .*truncated"):
            other.import_book(truncated)
        assert other.list_customers(poolbook.CustomerQuery()).customers == []


def test_to_arrow_is_a_pycapsule_stream_pyarrow_polars_and_duckdb_read(demo, tmp_path: pathlib.Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    book, summary = demo
    visits = pa.table(book.to_arrow("visits"))
    assert visits.num_rows == len(book.sql("SELECT id FROM history WHERE kind = 'visit'").rows)
    assert str(visits.schema.field("at").type) == "timestamp[us, tz=UTC]"
    assert str(visits.schema.field("outcome").type) == "dictionary<values=string, indices=int8, ordered=0>"
    assert visits.schema.field("ph").type == pa.float64()
    ledger = pa.table(book.to_arrow("ledger"))
    assert str(ledger.schema.field("amount").type) == "decimal128(18, 4)"
    customers = pa.table(book.to_arrow("customers"))
    assert customers.num_rows == len(summary.customers)
    assert not any("gate" in name or "secret" in name for name in customers.column_names)
    stream = book.to_arrow("touchpoints")
    first = pa.table(stream)
    assert first.num_rows > 0 and pa.table(stream).equals(first), "each read reads the table afresh"
    with pytest.raises(poolbook.ValidationError, match="not a table"):
        book.to_arrow("gate_codes")

    rows = book.write_parquet("visits", tmp_path / "visits.parquet")
    assert rows == visits.num_rows
    # The same schema and values (pyarrow may re-encode a dictionary column's
    # dictionary when it reads the file, so the arrays are compared by value).
    read = pq.read_table(tmp_path / "visits.parquet")
    assert read.schema == visits.schema and read.to_pylist() == visits.to_pylist()
    assert pq.ParquetFile(tmp_path / "visits.parquet").metadata.row_group(0).column(0).compression == "ZSTD"

    pl = pytest.importorskip("polars")
    frame = pl.DataFrame(book.to_arrow("customers"))
    assert frame.height == len(summary.customers)
    duckdb = pytest.importorskip("duckdb")
    stream = book.to_arrow("visits")
    count = duckdb.sql("SELECT count(*) FROM stream").fetchall()
    assert count == [(visits.num_rows,)]


def test_frames_use_the_columnar_path(demo) -> None:
    pytest.importorskip("pandas")
    book, summary = demo
    customer = summary.customers[0]
    frames = poolbook.frames
    columns = frames.table_columns(book, "visits", customer)
    expected = [r["visit_id"] for r in poolbook.frames.visit_rows(book, customer)]
    visits = poolbook.frames.visit_frame(book, customer)
    assert list(visits["visit_id"]) == expected
    assert set(columns["customer_id"]) <= {customer}
    assert str(visits["at"].dt.tz) == "UTC" and visits["ph"].dtype == "float64"
    entries = frames.ledger_entries_frame(book, customer)
    assert set(entries["kind"]) <= {"invoice", "payment", "credit"}
    touchpoints = poolbook.frames.touchpoint_frame(book, customer_id=customer)
    assert list(touchpoints["id"]) == [t.id for t in book.touchpoints(customer_id=customer)]


def _readme_block(name: str) -> str:
    readme = (pathlib.Path(__file__).resolve().parents[2] / "README.md").read_text()
    import re

    block = re.search(rf"<!-- {name}: .*? -->(.*?)<!-- /{name} -->", readme, re.S)
    assert block, f"README has no {name} block"
    code = re.search(r"```python\n(.*?)```", block.group(1), re.S)
    assert code, f"the {name} block has no python code"
    return code.group(1)


def test_readme_leaving_a_spreadsheet_and_the_book_in_pandas_polars_duckdb_run(tmp_path, monkeypatch) -> None:
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "customers.csv").write_bytes(EXAMPLE.read_bytes())
    monkeypatch.chdir(tmp_path)
    exec(compile(_readme_block("python-data-in"), "README.md:python-data-in", "exec"), {"__name__": "__readme__"})
    with poolbook.Book.open(tmp_path / "company.sqlite") as book:
        assert len(book.list_customers(poolbook.CustomerQuery()).customers) == 3
    assert (tmp_path / "company.jsonl").exists()
    exec(compile(_readme_block("python-data-in"), "README.md:python-data-in", "exec"), {"__name__": "__readme__"})
    with poolbook.Book.open(tmp_path / "company.sqlite") as book:
        assert len(book.list_customers(poolbook.CustomerQuery()).customers) == 3, "a re-import creates nothing"
    exec(compile(_readme_block("python-data-out"), "README.md:python-data-out", "exec"), {"__name__": "__readme__"})
    assert (tmp_path / "touchpoints.parquet").exists()
