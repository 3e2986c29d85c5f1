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
