"""``poolbook.Book``: every core ``Book`` operation under its core name.

Each method encodes its arguments (records, datetimes, Decimals, Secrets)
as JSON, runs the core operation in Rust with the GIL released, and decodes
the result into Records. Long results also come as iterators
(:meth:`Book.iter_customers`, :meth:`Book.iter_timeline`,
:meth:`Book.iter_change_log`).
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from decimal import Decimal
from types import TracebackType
from typing import Any, Dict, Iterator, List, Mapping, Optional, Type, Union

from . import _native
from ._errors import ClosedError, from_native
from ._records import Record, decode, encode

Data = Union[Record, Mapping[str, Any]]


class Author(Record):
    """Who made a change: ``Author.office("dana")``, ``Author.technician(id)``, ..."""

    @staticmethod
    def technician(technician_id: str) -> "Author":
        """A technician, by id."""
        return Author(kind="technician", id=str(technician_id))

    @staticmethod
    def office(user: str) -> "Author":
        """An office user, by login."""
        return Author(kind="office", id=user)

    @staticmethod
    def import_(source: str) -> "Author":
        """An import, by the name of its source."""
        return Author(kind="import", id=source)

    @staticmethod
    def system() -> "Author":
        """poolbook itself."""
        return Author(kind="system", id="poolbook")


def _args(names: "tuple[str, ...]", values: "tuple[Any, ...]") -> str:
    return json.dumps([encode(v, n) for n, v in zip(names, values)])


def call_function(op: str, **args: Any) -> Any:
    """Runs the module-level core function ``op``; returns its decoded result."""
    try:
        out = _native.call_function(op, _args(tuple(args), tuple(args.values())))
    except _native.NativeError as error:
        raise from_native(error.args) from None
    return decode(json.loads(out))


def defaults(type_name: str, **fields: Any) -> Record:
    """Core's default value of the query type ``type_name``, with ``fields`` changed."""
    record = call_function(f"{type_name}.default")
    unknown = set(fields) - set(record.to_dict())
    if unknown:
        raise TypeError(f"{type_name} has no field(s) {sorted(unknown)}")
    for key, value in fields.items():
        setattr(record, key, value)
    return record


def _query(type_name: str, query: Optional[Data], fields: Dict[str, Any]) -> Data:
    if query is not None:
        if fields:
            raise TypeError("give either a query or keyword fields, not both")
        return query
    return defaults(type_name, **fields)


class Book:
    """A customer book (a SQLite file, or in memory).

    Open with :meth:`open` or :meth:`memory`; use it as a context manager to
    close it at the end. A Book may be shared by threads.
    """

    def __init__(self, native: "_native.Book") -> None:
        """Wraps a native book; use :meth:`open` or :meth:`memory` instead."""
        self._native: Optional[_native.Book] = native

    @staticmethod
    def open(path: Union[str, "os.PathLike[str]"]) -> "Book":
        """Opens (or creates) the book file at ``path``."""
        try:
            return Book(_native.Book.open(os.fspath(path)))
        except _native.NativeError as error:
            raise from_native(error.args) from None

    @staticmethod
    def memory() -> "Book":
        """A new, empty book held in memory (core's ``open_in_memory``)."""
        return Book(_native.Book.memory())

    open_in_memory = memory

    def __enter__(self) -> "Book":
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.close()

    def _book(self) -> "_native.Book":
        if self._native is None:
            raise ClosedError("the book is closed")
        return self._native

    def _call(self, op: str, **args: Any) -> Any:
        try:
            out = self._book().call(op, _args(tuple(args), tuple(args.values())))
        except _native.NativeError as error:
            raise from_native(error.args) from None
        return decode(json.loads(out))

    def close(self) -> None:
        """Closes the book; later calls raise :class:`ClosedError`. Closing twice is fine."""
        if self._native is not None:
            self._call("close")
            self._native = None

    # The customer record -------------------------------------------------
    def default_region(self) -> Record:
        """The region phone numbers are read in: ``code``, ``calling_code``, ``trunk_prefix``."""
        return self._call("default_region")

    def set_default_region(self, code: str, author: Data) -> None:
        """Sets the default phone region by its code (e.g. ``"US"``)."""
        self._call("set_default_region", code=code, author=author)

    def create_customer(self, new: Data, author: Data) -> Record:
        """Creates a customer from a NewCustomer (see :func:`poolbook.new_customer`)."""
        return self._call("create_customer", new=new, author=author)

    def customer(self, id: str) -> Record:
        """The customer with this id."""
        return self._call("customer", id=id)

    def update_customer(self, id: str, expected_version: int, patch: Data, author: Data) -> Record:
        """Applies a CustomerPatch to the customer at ``expected_version``."""
        return self._call("update_customer", id=id, expected_version=expected_version, patch=patch, author=author)

    def archive_customer(self, id: str, expected_version: int, author: Data) -> Record:
        """Archives the customer."""
        return self._call("archive_customer", id=id, expected_version=expected_version, author=author)

    def restore_customer(self, id: str, expected_version: int, author: Data) -> Record:
        """Brings the customer back from the archive."""
        return self._call("restore_customer", id=id, expected_version=expected_version, author=author)

    def list_customers(self, query: Optional[Data] = None, **fields: Any) -> Record:
        """One page of customers (``customers``, ``next_after``); fields of CustomerQuery as keywords."""
        return self._call("list_customers", query=_query("CustomerQuery", query, fields))

    def iter_customers(self, **fields: Any) -> Iterator[Record]:
        """Every customer matching the CustomerQuery fields, page by page (keyset)."""
        query = defaults("CustomerQuery", **fields)
        while True:
            page = self.list_customers(query)
            yield from page.customers
            if page.next_after is None:
                return
            query.after = page.next_after

    def search_customers(self, query: str, limit: int = 20) -> List[Record]:
        """Customers matching free text (name, phone, email, address), best first."""
        return self._call("search_customers", query=query, limit=limit)

    def transfer_location(self, location_id: str, to: str, author: Data) -> Record:
        """Moves a service location to another customer; returns ``from`` and ``to`` customers."""
        return self._call("transfer_location", location_id=location_id, to=to, author=author)

    def add_technician(self, new: Data, author: Data) -> Record:
        """Adds a technician from a NewTechnician (see :func:`poolbook.new_technician`)."""
        return self._call("add_technician", new=new, author=author)

    def update_technician(self, id: str, expected_version: int, patch: Data, author: Data) -> Record:
        """Applies a TechnicianPatch."""
        return self._call("update_technician", id=id, expected_version=expected_version, patch=patch, author=author)

    def technician(self, id: str) -> Record:
        """The technician with this id."""
        return self._call("technician", id=id)

    def technicians(self, include_inactive: bool = False) -> List[Record]:
        """All technicians."""
        return self._call("technicians", include_inactive=include_inactive)

    def change_log(self, query: Optional[Data] = None, **fields: Any) -> List[Record]:
        """Change records; fields of ChangeLogQuery as keywords."""
        return self._call("change_log", query=_query("ChangeLogQuery", query, fields))

    def iter_change_log(self, **fields: Any) -> Iterator[Record]:
        """Every change record matching the ChangeLogQuery fields, oldest first, in pages."""
        query = defaults("ChangeLogQuery", **fields)
        if query.limit is None:
            query.limit = 500
        while True:
            page = self.change_log(query)
            yield from page
            if len(page) < query.limit:
                return
            query.after_seq = page[-1].seq

    # The field day and chemistry -----------------------------------------
    def target_profiles(self) -> List[Record]:
        """The chemistry target profiles."""
        return self._call("target_profiles")

    def put_target_profile(self, profile: Data, author: Data) -> Record:
        """Adds or replaces a target profile."""
        return self._call("put_target_profile", profile=profile, author=author)

    def stop_card(self, location_id: str) -> Record:
        """What a technician needs at the gate of this location (secrets as :class:`Secret`)."""
        return self._call("stop_card", location_id=location_id)

    def route(self, technician_id: str, date: _dt.date) -> Record:
        """The technician's route for the day."""
        return self._call("route", technician_id=technician_id, date=date)

    def assess_visit(self, visit_id: str, method: str = "tfp") -> Record:
        """The water assessment (CSI and flags) of a recorded visit."""
        return self._call("assess_visit", visit_id=visit_id, method=method)

    def readings_series(
        self, body_of_water_id: str, since: Optional[_dt.datetime] = None, until: Optional[_dt.datetime] = None
    ) -> List[Record]:
        """The readings of one body of water over time."""
        return self._call("readings_series", body_of_water_id=body_of_water_id, since=since, until=until)

    # History -------------------------------------------------------------
    def record_visit(self, visit: Data, author: Data) -> Record:
        """Records a visit (see :func:`poolbook.visit_completed`)."""
        return self._call("record_visit", visit=visit, author=author)

    def add_invoice(self, invoice: Data, author: Data) -> Record:
        """Adds an invoice."""
        return self._call("add_invoice", invoice=invoice, author=author)

    def record_payment(self, payment: Data, author: Data) -> Record:
        """Records a payment."""
        return self._call("record_payment", payment=payment, author=author)

    def add_credit(self, credit: Data, author: Data) -> Record:
        """Adds a credit."""
        return self._call("add_credit", credit=credit, author=author)

    def record_message(self, message: Data, author: Data) -> Record:
        """Records a message to or from the customer."""
        return self._call("record_message", message=message, author=author)

    def open_issue(self, issue: Data, author: Data) -> Record:
        """Opens an issue."""
        return self._call("open_issue", issue=issue, author=author)

    def resolve_issue(self, id: str, resolution: str, author: Data) -> Record:
        """Resolves an open issue."""
        return self._call("resolve_issue", id=id, resolution=resolution, author=author)

    def add_note(self, note: Data, author: Data) -> Record:
        """Adds a note (see :func:`poolbook.new_note`)."""
        return self._call("add_note", note=note, author=author)

    def record_feedback(self, feedback: Data, author: Data) -> Record:
        """Records customer feedback (see :func:`poolbook.new_feedback`)."""
        return self._call("record_feedback", feedback=feedback, author=author)

    def entry(self, id: str) -> Record:
        """A stored history entry."""
        return self._call("entry", id=id)

    def archive_entry(self, id: str, author: Data) -> Record:
        """Archives a history entry."""
        return self._call("archive_entry", id=id, author=author)

    def restore_entry(self, id: str, author: Data) -> Record:
        """Brings a history entry back from the archive."""
        return self._call("restore_entry", id=id, author=author)

    def timeline(self, query: Optional[Data] = None, **fields: Any) -> Record:
        """One page of the timeline (``items``, ``next_cursor``); fields of TimelineQuery as keywords."""
        return self._call("timeline", query=_query("TimelineQuery", query, fields))

    def iter_timeline(self, **fields: Any) -> Iterator[Record]:
        """Every timeline item matching the TimelineQuery fields, page by page."""
        query = defaults("TimelineQuery", **fields)
        while True:
            page = self.timeline(query)
            yield from page.items
            if page.next_cursor is None:
                return
            query.cursor = page.next_cursor

    def _timeline_columns(self, **fields: Any) -> Dict[str, List[Any]]:
        """The whole timeline as columns built in Rust (see :mod:`poolbook.frames`)."""
        query = defaults("TimelineQuery", **fields)
        try:
            return self._book().timeline_columns(_args(("query",), (query,)))
        except _native.NativeError as error:
            raise from_native(error.args) from None

    # The ledger ----------------------------------------------------------
    def ledger(self, customer_id: str) -> Record:
        """The customer's ledger: ``invoice_balances``, ``balance``, ``unapplied``."""
        return self._call("ledger", customer_id=customer_id)

    def balance(self, customer_id: str) -> Decimal:
        """What the customer owes."""
        return Decimal(self._call("balance", customer_id=customer_id))

    def invoice_balances(self, customer_id: str) -> List[Record]:
        """Each invoice with what has been paid and credited against it."""
        return self._call("invoice_balances", customer_id=customer_id)

    def statement(self, customer_id: str, from_: _dt.date, to: _dt.date) -> Record:
        """The account statement between two days (``from_`` is core's ``from``)."""
        return self._call("statement", customer_id=customer_id, **{"from": from_}, to=to)

    def aging(self, customer_id: str, as_of: _dt.date) -> Record:
        """What the customer owes by age, as of a day."""
        return self._call("aging", customer_id=customer_id, as_of=as_of)

    # The journey ---------------------------------------------------------
    def import_segment_events(self, input: str, mapping: Optional[Data] = None, author: Optional[Data] = None) -> Record:
        """Imports journey events in the Segment format (one JSON event per line)."""
        return self._call(
            "import_segment_events",
            input=input,
            mapping=mapping if mapping is not None else defaults("EventMapping"),
            author=author if author is not None else Author.import_("segment"),
        )

    def stage_map(self) -> Dict[str, str]:
        """Which stage each action marks."""
        return dict(self._call("stage_map").to_dict())

    def set_stage_map(self, map: Mapping[str, str], author: Data) -> None:
        """Replaces the stage map."""
        self._call("set_stage_map", map=map, author=author)

    def record_touchpoints(self, touchpoints: List[Data], author: Data) -> Record:
        """Records touchpoints, checked one at a time; returns the report."""
        return self._call("record_touchpoints", touchpoints=touchpoints, author=author)

    def touchpoints(self, query: Optional[Data] = None, **fields: Any) -> List[Record]:
        """Touchpoints; fields of TouchpointQuery as keywords."""
        return self._call("touchpoints", query=_query("TouchpointQuery", query, fields))

    def link_visitor(self, visitor_id: str, customer_id: str, author: Data) -> None:
        """Links an anonymous visitor to a customer."""
        self._call("link_visitor", visitor_id=visitor_id, customer_id=customer_id, author=author)

    def unlink_visitor(self, visitor_id: str, author: Data) -> None:
        """Undoes a visitor's link."""
        self._call("unlink_visitor", visitor_id=visitor_id, author=author)

    def funnel(self, definition: Data) -> Record:
        """A funnel report (see :func:`poolbook.funnel_definition`)."""
        return self._call("funnel", definition=definition)

    def lead_response_times(self, query: Optional[Data] = None, **fields: Any) -> Record:
        """First staff reply to each inbound lead; fields of ResponseTimeQuery as keywords."""
        return self._call("lead_response_times", query=_query("ResponseTimeQuery", query, fields))

    def attribution(self, query: Optional[Data] = None, **fields: Any) -> Record:
        """Attribution credits per model; fields of AttributionQuery as keywords."""
        return self._call("attribution", query=_query("AttributionQuery", query, fields))

    def save_segment(self, segment: Data, author: Data) -> Record:
        """Saves a named segment rule."""
        return self._call("save_segment", segment=segment, author=author)

    def segments(self) -> List[Record]:
        """The saved segments."""
        return self._call("segments")

    def segment_members(self, name: str, as_of: _dt.datetime) -> List[Record]:
        """Members of a saved segment as of an instant."""
        return self._call("segment_members", name=name, as_of=as_of)

    def evaluate_segment(self, segment: Data, as_of: _dt.datetime) -> List[Record]:
        """Members of an unsaved segment as of an instant."""
        return self._call("evaluate_segment", segment=segment, as_of=as_of)

    # The demo company ----------------------------------------------------
    def _populate_demo(
        self, seed: int, customers: int, technicians: int, through: _dt.date, weeks: int
    ) -> Record:
        try:
            out = self._book().populate_demo(seed, customers, technicians, through.isoformat(), weeks)
        except _native.NativeError as error:
            raise from_native(error.args) from None
        return decode(json.loads(out))
