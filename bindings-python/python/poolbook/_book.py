"""``poolbook.Book``: every core ``Book`` operation under its core name.

Each method encodes its arguments (records, datetimes, Decimals, Secrets)
as JSON, runs the core operation in Rust with the GIL released, and decodes
the result into the record class core's operation returns (generated in
:mod:`poolbook._types`). Long results also come as iterators
(:meth:`Book.iter_customers`, :meth:`Book.iter_timeline`,
:meth:`Book.iter_change_log`, :meth:`Book.iter_touchpoints`).
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from decimal import Decimal
from types import TracebackType
from typing import Any, Callable, Dict, Iterator, List, Mapping, Optional, Sequence, Type, TypeVar, Union

from . import _native
from ._errors import ClosedError, ValidationError
from ._errors import core_errors as _core_errors
from ._keys import KeyProvider
from ._records import Record, Secret, decode, encode
from ._native import ArrowStream
from ._sql import SqlRows, SqlValue
from ._types import (
    Aging,
    BookEntryPage,
    BookFilter,
    BookTouchpointPage,
    CustomerEngagement,
    ExperimentReport,
    FeedbackFollowUp,
    FunnelComparison,
    JourneyMap,
    JourneyMapQuery,
    LifecycleStatus,
    NextActionsReport,
    Period,
    Receivables,
    RetentionReport,
    SatisfactionQuery,
    SatisfactionReport,
    StageReport,
    StoppedReport,
    TopicReport,
    TouchpointCount,
    ArrowTable,
    BookFile,
    AttributionQuery,
    BillingSettings,
    DraftOptions,
    DrivingRoute,
    InvoiceDraft,
    RouteOptions,
    AttributionReport,
    Author,
    BackupReport,
    ChangeLogQuery,
    ChangeRecord,
    Credit,
    CsiMethod,
    Entry,
    Customer,
    CustomerPage,
    CustomerQuery,
    DemoSummary,
    DuplicateCandidate,
    DuplicateQuery,
    DuplicateVerdict,
    MergeOutcome,
    QualityReport,
    UnmergeOutcome,
    EventMapping,
    Feedback,
    FunnelReport,
    ImportMapping,
    ImportPlan,
    ImportReport,
    ImportResult,
    ImportSource,
    UndoReport,
    IntegrityReport,
    Invoice,
    InvoiceBalance,
    Issue,
    LocationTransfer,
    Message,
    MessageTemplate,
    Note,
    Outbox,
    OutboxQuery,
    OutboxRecord,
    OutboxRule,
    OutboxSettings,
    Payment,
    ReadingPoint,
    ReplyOutcome,
    ReplyRate,
    ResponseTimeQuery,
    ResponseTimeReport,
    Region,
    Route,
    ScanPosition,
    SearchHit,
    SecretField,
    SecretReveal,
    SecretRevealQuery,
    Segment,
    SegmentMember,
    Stage,
    Statement,
    StopCard,
    StoredEntry,
    TargetProfile,
    Technician,
    TimelineItem,
    TimelinePage,
    TimelineQuery,
    Touchpoint,
    TouchpointQuery,
    TouchpointReport,
    UnmappedAction,
    Visit,
    WaterAssessment,
)

#: A record argument: the record class, or a dict of core's field names.
Data = Union[Record, Mapping[str, Any]]
#: A query argument's class, for the keyword-argument form of a query method.
Q = TypeVar("Q", bound=Record)
#: What a core operation returns.
T = TypeVar("T")


class Ledger(Record):
    """A customer's ledger as core computes it: each invoice's balance, the total, unapplied money.

    Core's ``Ledger`` keeps its invoices, payments and credits private; these
    are its public results.
    """

    __slots__ = ("invoice_balances", "balance", "unapplied")
    invoice_balances: List[InvoiceBalance]
    balance: Decimal
    unapplied: Decimal

    def __init__(self, *, invoice_balances: List[InvoiceBalance], balance: Decimal, unapplied: Decimal) -> None:
        self.invoice_balances = invoice_balances
        self.balance = balance
        self.unapplied = unapplied


def _args(args: Mapping[str, Any]) -> str:
    """The arguments as the JSON array the native side reads; each name places it in errors."""
    return json.dumps([encode(value, name) for name, value in args.items()])


def _run(entry: Callable[[str, str], str], op: str, result: Type[T], args: Mapping[str, Any]) -> T:
    """Runs the core operation ``op`` through the native ``entry`` point; reads its result as ``result``."""
    with _core_errors():
        out = entry(op, _args(args))
    value: T = decode(result, json.loads(out))
    return value


def call_function(op: str, result: Type[T], **args: Any) -> T:
    """Runs the module-level core function ``op``; returns its result read as the type ``result``."""
    return _run(_native.call_function, op, result, args)


def defaults(query_class: Type[Q], **fields: Any) -> Q:
    """Core's ``Default`` of a query or mapping class (e.g. ``AttributionQuery``), with ``fields`` changed."""
    record: Q = call_function(f"{query_class.__name__}.default", query_class)
    for key, value in fields.items():
        try:
            setattr(record, key, value)
        except AttributeError:
            raise TypeError(f"{query_class.__name__} has no field {key!r}") from None
    return record


def _query(query_class: Type[Q], query: Optional[Data], fields: Dict[str, Any]) -> Data:
    if query is not None:
        if fields:
            raise TypeError("give either a query or keyword fields, not both")
        return query
    return defaults(query_class, **fields)


class Book:
    """A customer book (a SQLite file, or in memory).

    Open with :meth:`open`, :meth:`open_read_only` or :meth:`open_in_memory`; use it as a context manager to
    close it at the end. A Book may be shared by threads.
    """

    def __init__(self, native: "_native.Book") -> None:
        """Wraps a native book; use :meth:`open` or :meth:`open_in_memory` instead."""
        self._native: Optional[_native.Book] = native

    @staticmethod
    def open(path: Union[str, "os.PathLike[str]"]) -> "Book":
        """Opens (or creates) the book file at ``path``, or the book in the PostgreSQL
        database a ``postgresql://`` URL names (the same ``Book`` either way)."""
        with _core_errors():
            return Book(_native.Book.open(os.fspath(path)))

    @staticmethod
    def open_read_only(path: Union[str, "os.PathLike[str]"]) -> "Book":
        """Opens the book file at ``path`` for reading only; writes raise :class:`ReadOnlyError`."""
        with _core_errors():
            return Book(_native.Book.open_read_only(os.fspath(path)))

    @staticmethod
    def open_with(path: Union[str, "os.PathLike[str]"], options: Data) -> "Book":
        """Opens the book file at ``path`` as ``options`` (an :class:`OpenOptions`) say.

        Read-write or read-only, how long a write waits for another process's lock before
        :class:`BusyError` (``busy_timeout_ms``), and whether SQLite's ``quick_check`` runs first
        (``check_on_open``; a damaged file raises :class:`CorruptError`).
        """
        with _core_errors():
            return Book(_native.Book.open_with(os.fspath(path), _args({"options": options})))

    @staticmethod
    def open_in_memory() -> "Book":
        """A new, empty book held in memory."""
        return Book(_native.Book.memory())

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

    def _call(self, op: str, result: Type[T], **args: Any) -> T:
        return _run(self._book().call, op, result, args)

    def close(self) -> None:
        """Closes the book; later calls raise :class:`ClosedError`. Closing twice is fine."""
        if self._native is not None:
            self._call("close", type(None))
            self._native = None

    # The customer record -------------------------------------------------
    def default_region(self) -> Region:
        """The region phone numbers are read in: ``code``, ``calling_code``, ``trunk_prefix``."""
        return self._call("default_region", Region)

    def set_default_region(self, code: str, author: Data) -> None:
        """Sets the default phone region by its code (e.g. ``"US"``)."""
        self._call("set_default_region", type(None), code=code, author=author)

    def time_zone(self) -> str:
        """The book's time zone, an IANA name (``"America/Phoenix"``; ``"UTC"`` until set)."""
        return self._call("time_zone", str)

    def set_time_zone(self, name: str, author: Data) -> None:
        """Sets the book's time zone by IANA name; "today" and the field day are reckoned in it."""
        self._call("set_time_zone", type(None), name=name, author=author)

    def author_name(self, author: Data) -> str:
        """The author as a person reads it: a technician by name, ``"dana (office)"``, ..."""
        return self._call("author_name", str, author=author)

    def create_customer(self, new: Data, author: Data) -> Customer:
        """Creates a customer from a NewCustomer (a :class:`poolbook.NewCustomer`)."""
        return self._call("create_customer", Customer, new=new, author=author)

    def create_customers(self, news: Sequence[Data], author: Data) -> List[Customer]:
        """Creates many customers in one transaction; one bad record refuses them all, naming its index."""
        return self._call("create_customers", List[Customer], news=news, author=author)

    def customer(self, id: str) -> Customer:
        """The customer with this id."""
        return self._call("customer", Customer, id=id)

    def update_customer(self, id: str, expected_version: int, patch: Data, author: Data) -> Customer:
        """Applies a CustomerPatch to the customer at ``expected_version``."""
        return self._call("update_customer", Customer, id=id, expected_version=expected_version, patch=patch, author=author)

    def archive_customer(self, id: str, expected_version: int, author: Data) -> Customer:
        """Archives the customer."""
        return self._call("archive_customer", Customer, id=id, expected_version=expected_version, author=author)

    def restore_customer(self, id: str, expected_version: int, author: Data) -> Customer:
        """Brings the customer back from the archive."""
        return self._call("restore_customer", Customer, id=id, expected_version=expected_version, author=author)

    def list_customers(self, query: Optional[Data] = None, **fields: Any) -> CustomerPage:
        """One page of customers (``customers``, ``next_after``); fields of CustomerQuery as keywords."""
        return self._call("list_customers", CustomerPage, query=_query(CustomerQuery, query, fields))

    def iter_customers(self, **fields: Any) -> Iterator[Customer]:
        """Every customer matching the CustomerQuery fields, page by page (keyset)."""
        query = defaults(CustomerQuery, **fields)
        while True:
            page = self.list_customers(query)
            yield from page.customers
            if page.next_after is None:
                return
            query.after = page.next_after

    def search_customers(self, query: str, limit: int = 20) -> List[SearchHit]:
        """Customers matching free text (name, phone, email, address), best first."""
        return self._call("search_customers", List[SearchHit], query=query, limit=limit)

    def transfer_location(self, location_id: str, to: str, author: Data) -> LocationTransfer:
        """Moves a service location to another customer; returns ``from`` and ``to`` customers."""
        return self._call("transfer_location", LocationTransfer, location_id=location_id, to=to, author=author)

    def add_technician(self, new: Data, author: Data) -> Technician:
        """Adds a technician from a NewTechnician (a :class:`poolbook.NewTechnician`)."""
        return self._call("add_technician", Technician, new=new, author=author)

    def update_technician(self, id: str, expected_version: int, patch: Data, author: Data) -> Technician:
        """Applies a TechnicianPatch."""
        return self._call("update_technician", Technician, id=id, expected_version=expected_version, patch=patch, author=author)

    def technician(self, id: str) -> Technician:
        """The technician with this id."""
        return self._call("technician", Technician, id=id)

    def technicians(self, include_inactive: bool = False) -> List[Technician]:
        """All technicians."""
        return self._call("technicians", List[Technician], include_inactive=include_inactive)

    def change_log(self, query: Optional[Data] = None, **fields: Any) -> List[ChangeRecord]:
        """Change records; fields of ChangeLogQuery as keywords."""
        return self._call("change_log", List[ChangeRecord], query=_query(ChangeLogQuery, query, fields))

    def iter_change_log(self, **fields: Any) -> Iterator[ChangeRecord]:
        """Every change record matching the ChangeLogQuery fields, oldest first, in pages."""
        query = defaults(ChangeLogQuery, **fields)
        if query.limit is None:
            query.limit = 500
        while True:
            page = self.change_log(query)
            yield from page
            if len(page) < query.limit:
                return
            query.after_seq = page[-1].seq

    # Secrets and the book's key -------------------------------------------
    def unlock(self, provider: KeyProvider) -> None:
        """Unlocks the book's secrets with the key ``provider`` gives.

        ``provider`` is :func:`poolbook.static_key_provider`, :func:`poolbook.passphrase_key_provider`
        or any object with a ``key_encryption_key(salt: bytes) -> Optional[bytes]`` method (the
        platform's keychain, a secret store). A wrong key raises :class:`WrongKeyError`, a provider
        with no key :class:`LockedError`. The first unlock makes the book's data key and seals any
        plain-text codes of an older book.
        """
        with _core_errors():
            self._book().unlock(provider)

    def lock(self) -> None:
        """Forgets the key: the book is locked again."""
        self._call("lock", type(None))

    def is_unlocked(self) -> bool:
        """Whether the book holds its key."""
        return self._call("is_unlocked", bool)

    def reveal_secret(self, location_id: str, field: Union[SecretField, str], author: Data, reason: str) -> Optional[Secret]:
        """Reveals one secret of a location (a :class:`Secret` whose ``reveal()`` gives the value).

        Records who, when, which field, on which device and why in the audit (never the value);
        ``None`` if the location has no such secret. A locked book raises :class:`LockedError`,
        a blob altered in the file :class:`TamperedSecretError`.
        """
        found: List[Secret] = self._call(
            "reveal_secret", List[Secret], location_id=location_id, field=field, author=author, reason=reason
        )
        return found[0] if found else None

    def secret_reveals(self, query: Optional[Data] = None, **fields: Any) -> List[SecretReveal]:
        """Reveals of secrets, newest first; fields of SecretRevealQuery as keywords."""
        return self._call("secret_reveals", List[SecretReveal], query=_query(SecretRevealQuery, query, fields))

    def rotate_key_encryption_key(self, provider: KeyProvider, author: Data) -> None:
        """Wraps the data key under the key ``provider`` gives; the old key no longer opens the book."""
        with _core_errors():
            self._book().rotate_key_encryption_key(provider, _args({"author": author}))

    def rotate_data_key(self, provider: KeyProvider, author: Data) -> None:
        """Reseals every secret under a new data key, wrapped by the key ``provider`` gives."""
        with _core_errors():
            self._book().rotate_data_key(provider, _args({"author": author}))

    # The field day and chemistry -----------------------------------------
    def target_profiles(self) -> List[TargetProfile]:
        """The chemistry target profiles."""
        return self._call("target_profiles", List[TargetProfile])

    def put_target_profile(self, profile: Data, author: Data) -> TargetProfile:
        """Adds or replaces a target profile."""
        return self._call("put_target_profile", TargetProfile, profile=profile, author=author)

    def stop_card(self, location_id: str) -> StopCard:
        """What a technician needs at the gate of this location (secrets as :class:`Secret`)."""
        return self._call("stop_card", StopCard, location_id=location_id)

    def route(self, technician_id: str, date: _dt.date) -> Route:
        """The technician's route for the day."""
        return self._call("route", Route, technician_id=technician_id, date=date)

    def ordered_route(
        self, technician_id: str, date: _dt.date, options: Optional[Data] = None, **fields: Any
    ) -> DrivingRoute:
        """The technician's day in driving order, with distances and expected arrivals.

        Fields of RouteOptions (start, end, depart_at, average_speed_kmh, service_minutes, pins)
        as keywords, or an ``options`` record.
        """
        return self._call(
            "ordered_route", DrivingRoute, technician_id=technician_id, date=date,
            options=_query(RouteOptions, options, fields),
        )

    def reassign_plans(self, from_: str, to: Optional[str], author: Data) -> List[str]:
        """Moves every plan of technician ``from_`` to ``to`` (or unassigned: None) in one change."""
        return self._call("reassign_plans", List[str], **{"from": from_}, to=to, author=author)

    def deactivate_technician(
        self, id: str, expected_version: int, plans_to: Optional[str], author: Data
    ) -> Technician:
        """Deactivates a technician, moving their plans to ``plans_to`` (or unassigned: None) first."""
        return self._call(
            "deactivate_technician", Technician, id=id, expected_version=expected_version,
            plans_to=plans_to, author=author,
        )

    def assess_visit(self, visit_id: str, method: Union[CsiMethod, str] = "tfp") -> WaterAssessment:
        """The water assessment (CSI and flags) of a recorded visit."""
        return self._call("assess_visit", WaterAssessment, visit_id=visit_id, method=method)

    def readings_series(
        self, body_of_water_id: str, since: Optional[_dt.datetime] = None, until: Optional[_dt.datetime] = None
    ) -> List[ReadingPoint]:
        """The readings of one body of water over time."""
        return self._call("readings_series", List[ReadingPoint], body_of_water_id=body_of_water_id, since=since, until=until)

    # History -------------------------------------------------------------
    def record_entries(self, entries: Sequence[Data], author: Data) -> List[Entry]:
        """Records many history entries in one transaction; one bad entry refuses them all, naming its index."""
        return self._call("record_entries", List[Entry], entries=entries, author=author)

    def record_visit(self, visit: Data, author: Data) -> Visit:
        """Records a visit (a :class:`poolbook.Visit`)."""
        return self._call("record_visit", Visit, visit=visit, author=author)

    def add_invoice(self, invoice: Data, author: Data) -> Invoice:
        """Adds an invoice."""
        return self._call("add_invoice", Invoice, invoice=invoice, author=author)

    def record_payment(self, payment: Data, author: Data) -> Payment:
        """Records a payment."""
        return self._call("record_payment", Payment, payment=payment, author=author)

    def add_credit(self, credit: Data, author: Data) -> Credit:
        """Adds a credit."""
        return self._call("add_credit", Credit, credit=credit, author=author)

    def record_message(self, message: Data, author: Data) -> Message:
        """Records a message to or from the customer."""
        return self._call("record_message", Message, message=message, author=author)

    def open_issue(self, issue: Data, author: Data) -> Issue:
        """Opens an issue."""
        return self._call("open_issue", Issue, issue=issue, author=author)

    def resolve_issue(self, id: str, resolution: str, author: Data) -> Issue:
        """Resolves an open issue."""
        return self._call("resolve_issue", Issue, id=id, resolution=resolution, author=author)

    def add_note(self, note: Data, author: Data) -> Note:
        """Adds a note (a :class:`poolbook.Note`)."""
        return self._call("add_note", Note, note=note, author=author)

    def record_feedback(self, feedback: Data, author: Data) -> Feedback:
        """Records customer feedback (a :class:`poolbook.Feedback`)."""
        return self._call("record_feedback", Feedback, feedback=feedback, author=author)

    def entry(self, id: str) -> StoredEntry:
        """A stored history entry."""
        return self._call("entry", StoredEntry, id=id)

    def archive_entry(self, id: str, author: Data) -> StoredEntry:
        """Archives a history entry."""
        return self._call("archive_entry", StoredEntry, id=id, author=author)

    def restore_entry(self, id: str, author: Data) -> StoredEntry:
        """Brings a history entry back from the archive."""
        return self._call("restore_entry", StoredEntry, id=id, author=author)

    def timeline(self, query: Optional[Data] = None, **fields: Any) -> TimelinePage:
        """One page of the timeline (``items``, ``next_cursor``); fields of TimelineQuery as keywords.

        Give exactly one of ``customer_id`` and ``location_id``.
        """
        return self._call("timeline", TimelinePage, query=_query(TimelineQuery, query, fields))

    def iter_timeline(self, **fields: Any) -> Iterator[TimelineItem]:
        """Every timeline item matching the TimelineQuery fields, page by page."""
        query = defaults(TimelineQuery, **fields)
        while True:
            page = self.timeline(query)
            yield from page.items
            if page.next_cursor is None:
                return
            query.cursor = page.next_cursor

    def _timeline_columns(self, **fields: Any) -> Dict[str, List[Any]]:
        """The whole timeline as columns built in Rust (see :mod:`poolbook.frames`)."""
        query = defaults(TimelineQuery, **fields)
        with _core_errors():
            return self._book().timeline_columns(_args({"query": query}))

    # Arrow and Parquet ---------------------------------------------------
    def to_arrow(self, table: Union[ArrowTable, str]) -> ArrowStream:
        """``table`` (``customers``, ``contacts``, ``locations``, ``bodies_of_water``,
        ``visits``, ``ledger``, ``touchpoints``, ``change_log``) as an object
        implementing the Arrow PyCapsule stream interface: ``pyarrow.table(s)``,
        ``polars.DataFrame(s)`` and DuckDB read it, page by page, without a copy
        and without poolbook depending on them. Read it once."""
        with _core_errors():
            return self._book().to_arrow(str(getattr(table, "value", table)))

    def write_parquet(self, table: Union[ArrowTable, str], path: Union[str, "os.PathLike[str]"]) -> int:
        """Writes ``table`` to a Parquet file (ZSTD compressed); returns the rows written."""
        with _core_errors():
            return self._book().write_parquet(str(getattr(table, "value", table)), os.fspath(path))

    def _arrow_columns(self, table: str, customer_id: Optional[str] = None) -> Dict[str, List[Any]]:
        """``table`` as a dict of column lists built in Rust (see :mod:`poolbook.frames`)."""
        with _core_errors():
            return self._book().arrow_columns(table, customer_id)

    # The ledger ----------------------------------------------------------
    def ledger(self, customer_id: str) -> Ledger:
        """The customer's ledger: ``invoice_balances``, ``balance``, ``unapplied``."""
        return self._call("ledger", Ledger, customer_id=customer_id)

    def balance(self, customer_id: str) -> Decimal:
        """What the customer owes."""
        return self._call("balance", Decimal, customer_id=customer_id)

    def invoice_balances(self, customer_id: str) -> List[InvoiceBalance]:
        """Each invoice with what has been paid and credited against it."""
        return self._call("invoice_balances", List[InvoiceBalance], customer_id=customer_id)

    def statement(self, customer_id: str, from_: _dt.date, to: _dt.date) -> Statement:
        """The account statement between two days (``from_`` is core's ``from``)."""
        return self._call("statement", Statement, customer_id=customer_id, **{"from": from_}, to=to)

    def aging(self, customer_id: str, as_of: _dt.date) -> Aging:
        """What the customer owes by age, as of a day."""
        return self._call("aging", Aging, customer_id=customer_id, as_of=as_of)

    # The journey ---------------------------------------------------------
    # Billing -------------------------------------------------------------
    def billing_settings(self) -> BillingSettings:
        """The book's tax rate, chemical price list and first invoice number."""
        return self._call("billing_settings", BillingSettings)

    def set_billing_settings(self, settings: Data, author: Data) -> BillingSettings:
        """Replaces the billing settings."""
        return self._call("set_billing_settings", BillingSettings, settings=settings, author=author)

    def draft_invoices(
        self, period: Data, options: Optional[Data] = None, **fields: Any
    ) -> List[InvoiceDraft]:
        """Drafts a period's invoices from the record (nothing is stored).

        ``period`` is a BillingPeriod (``from``, ``to``); fields of DraftOptions (customer_id,
        issued_on, charges) as keywords, or an ``options`` record.
        """
        return self._call(
            "draft_invoices", List[InvoiceDraft], period=period,
            options=_query(DraftOptions, options, fields),
        )

    def issue_invoices(self, drafts: Sequence[Data], author: Data) -> List[Invoice]:
        """Issues reviewed drafts, numbered from the book-wide sequence; nothing is billed twice."""
        return self._call("issue_invoices", List[Invoice], drafts=drafts, author=author)

    def void_invoice(self, invoice_id: str, on: _dt.date, reason: str, author: Data) -> Credit:
        """Voids an unpaid invoice with a ledger entry; what it billed may be billed again."""
        return self._call("void_invoice", Credit, invoice_id=invoice_id, on=on, reason=reason, author=author)

    def refund_payment(
        self, payment_id: str, amount: Decimal, on: _dt.date, reason: str, author: Data
    ) -> Credit:
        """Gives part of a payment back to the customer (a ledger entry)."""
        return self._call(
            "refund_payment", Credit, payment_id=payment_id, amount=amount, on=on, reason=reason,
            author=author,
        )

    def apply_payment(
        self, payment_id: str, invoice_id: str, amount: Decimal, on: _dt.date, author: Data
    ) -> Payment:
        """Applies money on account from a payment to an invoice, dated ``on``."""
        return self._call(
            "apply_payment", Payment, payment_id=payment_id, invoice_id=invoice_id, amount=amount,
            on=on, author=author,
        )

    def import_segment_events(
        self, input: str, mapping: Optional[Data] = None, author: Optional[Data] = None
    ) -> ImportReport:
        """Imports journey events in the Segment format (one JSON event per line)."""
        return self._call(
            "import_segment_events",
            ImportReport,
            input=input,
            mapping=mapping if mapping is not None else defaults(EventMapping),
            author=author if author is not None else Author.import_("segment"),
        )

    def plan_import(self, source: Data, mapping: Data) -> ImportPlan:
        """The dry run of a spreadsheet import: per row create / update / skip /
        error (row, column, reason) and possible duplicates. Writes nothing."""
        return self._call("plan_import", ImportPlan, source=source, mapping=mapping)

    def commit_import(self, source: Data, mapping: Data, author: Data) -> ImportResult:
        """Imports the spreadsheet in one transaction, as its dry run says;
        re-importing the same rows creates nothing new."""
        return self._call("commit_import", ImportResult, source=source, mapping=mapping, author=author)

    def undo_import(self, import_id: str, author: Data) -> UndoReport:
        """Undoes an import: archives what it created, restores what it updated,
        keeps (and lists) what was changed since."""
        return self._call("undo_import", UndoReport, import_id=import_id, author=author)

    def save_import_mapping(self, mapping: Data, author: Data) -> None:
        """Saves an import mapping under its name."""
        self._call("save_import_mapping", type(None), mapping=mapping, author=author)

    def import_mappings(self) -> List[ImportMapping]:
        """The saved import mappings, by name."""
        return self._call("import_mappings", List[ImportMapping])

    def import_presets(self) -> List[ImportMapping]:
        """Preset mappings for common field-service and pool-route exports."""
        return self._call("import_presets", List[ImportMapping])

    def guess_import_mapping(self, source: Data, name: str) -> ImportMapping:
        """A mapping guessed from the file's headers, for the user to confirm."""
        return self._call("guess_import_mapping", ImportMapping, source=source, name=name)

    def export_book(self, path: Union[str, "os.PathLike[str]"]) -> BookFile:
        """Writes the whole book to ``path`` as one JSON Lines file (secrets
        sealed); returns its header."""
        return self._call("export_book", BookFile, path=os.fspath(path))

    def import_book(self, path: Union[str, "os.PathLike[str]"]) -> BookFile:
        """Imports a book file into this new, empty book in one transaction;
        returns the file's header."""
        return self._call("import_book", BookFile, path=os.fspath(path))

    def stage_map(self) -> Dict[str, Stage]:
        """Which stage each action marks."""
        return self._call("stage_map", Dict[str, Stage])

    def set_stage_map(self, map: Mapping[str, Union[Stage, str]], author: Data) -> None:
        """Replaces the stage map."""
        self._call("set_stage_map", type(None), map=map, author=author)

    def record_touchpoints(self, touchpoints: Sequence[Data], author: Data) -> TouchpointReport:
        """Records touchpoints, checked one at a time; returns the report."""
        return self._call("record_touchpoints", TouchpointReport, touchpoints=touchpoints, author=author)

    def sql(self, query: str, params: Sequence[SqlValue] = ()) -> SqlRows:
        """Runs one read-only SQL statement over the book with ``params`` (``?1`` or ``?``).

        Use this, never the standard library's ``sqlite3``, to query an open book: it runs on
        poolbook's own SQLite and sees every write at once. Writes, schema changes, ATTACH,
        pragmas that set a value and reads of the secrets table raise :class:`ValidationError`
        naming ``query``. ``.to_pandas()`` gives a DataFrame.
        """
        with _core_errors():
            columns, rows = self._book().sql(query, list(params))
        return SqlRows(columns, rows)

    def duplicate_candidates(self, query: Optional[Data] = None, **fields: Any) -> List[DuplicateCandidate]:
        """Pairs of customers that may be one, most likely first, each with its explained score;
        fields of DuplicateQuery as keywords (``customer_id``, ``record``, thresholds, ``limit``)."""
        return self._call("duplicate_candidates", List[DuplicateCandidate], query=_query(DuplicateQuery, query, fields))

    def decide_duplicate(self, a: str, b: str, verdict: Union[DuplicateVerdict, str], author: Data) -> None:
        """Records the office's verdict on a pair: ``"same"`` or ``"not_duplicate"``."""
        self._call("decide_duplicate", type(None), a=a, b=b, verdict=verdict, author=author)

    def merge_customers(self, survivor: str, absorbed: str, picks: Data, author: Data) -> MergeOutcome:
        """Merges ``absorbed`` into ``survivor`` with per-field MergePicks (``MergePicks()`` for the
        defaults); undo with :meth:`unmerge_customer`."""
        return self._call("merge_customers", MergeOutcome, survivor=survivor, absorbed=absorbed, picks=picks, author=author)

    def unmerge_customer(self, absorbed: str, author: Data) -> UnmergeOutcome:
        """Undoes the merge of ``absorbed``: both records back, later edits kept and listed."""
        return self._call("unmerge_customer", UnmergeOutcome, absorbed=absorbed, author=author)

    def resolve_customer(self, id: str) -> Customer:
        """The customer an id stands for now (a merged customer's id gives the survivor)."""
        return self._call("resolve_customer", Customer, id=id)

    def quality_report(self, as_of: _dt.datetime) -> QualityReport:
        """Every live customer checked against the quality rules as of ``as_of`` (tz-aware):
        findings, counts per rule and fill rates."""
        return self._call("quality_report", QualityReport, as_of=as_of)

    def check_integrity(self) -> IntegrityReport:
        """Reads the whole book back and reports anything damaged; changes nothing."""
        return self._call("check_integrity", IntegrityReport)

    def backup_to(self, path: Union[str, "os.PathLike[str]"]) -> BackupReport:
        """Writes a checked backup of the book to the new file ``path`` while others keep working.

        The copy is a consistent snapshot (sealed codes stay sealed), checked with SQLite's
        ``integrity_check``; restoring is opening it. An existing file is never overwritten
        (:class:`ValidationError` naming ``path``).
        """
        return self._call("backup_to", BackupReport, path=os.fspath(path))

    def unmapped_actions(self) -> List[UnmappedAction]:
        """Actions of stored touchpoints the stage map did not know (stored with no stage), most frequent first."""
        return self._call("unmapped_actions", List[UnmappedAction])

    def touchpoints(self, query: Optional[Data] = None, **fields: Any) -> List[Touchpoint]:
        """Touchpoints; fields of TouchpointQuery as keywords. ``customer_id`` or ``visitor_id`` is required."""
        return self._call("touchpoints", List[Touchpoint], query=_query(TouchpointQuery, query, fields))

    def iter_touchpoints(self, page_size: int = 1000, **fields: Any) -> Iterator[Touchpoint]:
        """Every touchpoint matching the TouchpointQuery fields, newest first, in keyset pages."""
        if not isinstance(page_size, int) or page_size < 1:
            raise ValidationError(
                f"invalid page_size: must be at least 1 (got {page_size!r})", "page_size", "must be at least 1"
            )
        query = defaults(TouchpointQuery, **fields)
        query.newest_first = True
        query.limit = page_size
        while True:
            page = self.touchpoints(query)
            yield from page
            if len(page) < page_size:
                return
            query.before = ScanPosition(at=page[-1].at, key=f"t:{page[-1].id}")

    def link_visitor(self, visitor_id: str, customer_id: str, author: Data) -> None:
        """Links an anonymous visitor to a customer."""
        self._call("link_visitor", type(None), visitor_id=visitor_id, customer_id=customer_id, author=author)

    def unlink_visitor(self, visitor_id: str, author: Data) -> None:
        """Undoes a visitor's link."""
        self._call("unlink_visitor", type(None), visitor_id=visitor_id, author=author)

    def funnel(self, definition: Data) -> FunnelReport:
        """A funnel report (a :class:`poolbook.FunnelDefinition`)."""
        return self._call("funnel", FunnelReport, definition=definition)

    def lead_response_times(self, query: Optional[Data] = None, **fields: Any) -> ResponseTimeReport:
        """First staff reply to each inbound lead; fields of ResponseTimeQuery as keywords."""
        return self._call("lead_response_times", ResponseTimeReport, query=_query(ResponseTimeQuery, query, fields))

    def attribution(self, query: Optional[Data] = None, **fields: Any) -> AttributionReport:
        """Attribution credits per model; fields of AttributionQuery as keywords."""
        return self._call("attribution", AttributionReport, query=_query(AttributionQuery, query, fields))

    def save_segment(self, segment: Data, author: Data) -> Segment:
        """Saves a named segment rule."""
        return self._call("save_segment", Segment, segment=segment, author=author)

    def segments(self) -> List[Segment]:
        """The saved segments."""
        return self._call("segments", List[Segment])

    def segment_members(self, name: str, as_of: _dt.datetime) -> List[SegmentMember]:
        """Members of a saved segment as of an instant."""
        return self._call("segment_members", List[SegmentMember], name=name, as_of=as_of)

    def evaluate_segment(self, segment: Data, as_of: _dt.datetime) -> List[SegmentMember]:
        """Members of an unsaved segment as of an instant."""
        return self._call("evaluate_segment", List[SegmentMember], segment=segment, as_of=as_of)

    # The outbox ----------------------------------------------------------
    def outbox_settings(self) -> OutboxSettings:
        """Which outbox rules run, their times and limits, the languages templates must have."""
        return self._call("outbox_settings", OutboxSettings)

    def set_outbox_settings(self, settings: Data, author: Data) -> OutboxSettings:
        """Saves the outbox settings; refused if a template in use lacks one of the languages."""
        return self._call("set_outbox_settings", OutboxSettings, settings=settings, author=author)

    def message_templates(self) -> List[MessageTemplate]:
        """The templates in use: saved ones, and the built-in wording of rules with none saved."""
        return self._call("message_templates", List[MessageTemplate])

    def save_message_template(self, template: Data, author: Data) -> MessageTemplate:
        """Saves a template, checked now: known fields only, every language of the book."""
        return self._call("save_message_template", MessageTemplate, template=template, author=author)

    def remove_message_template(self, rule: Union[OutboxRule, str], variant: str, author: Data) -> None:
        """Removes a saved template (ending an experiment, or back to the built-in wording)."""
        self._call("remove_message_template", type(None), rule=rule, variant=variant, author=author)

    def due_messages(self, at: _dt.datetime, horizon_minutes: int) -> Outbox:
        """Messages due from ``at`` to ``horizon_minutes`` later, and the ones held back with why."""
        return self._call("due_messages", Outbox, at=at, horizon_minutes=horizon_minutes)

    def mark_sent(self, message: Data, sent_at: _dt.datetime, author: Data) -> OutboxRecord:
        """Records that the host sent a due message: the history message, its touchpoint, the outbox record."""
        return self._call("mark_sent", OutboxRecord, message=message, sent_at=sent_at, author=author)

    def mark_delivered(self, key: str, at: _dt.datetime, author: Data) -> OutboxRecord:
        """Records that the message with ``key`` was delivered."""
        return self._call("mark_delivered", OutboxRecord, key=key, at=at, author=author)

    def mark_failed(self, key: str, reason: str, at: _dt.datetime, author: Data) -> OutboxRecord:
        """Records that the message with ``key`` failed (bounced, number not in service) and why."""
        return self._call("mark_failed", OutboxRecord, key=key, reason=reason, at=at, author=author)

    def record_reply(self, reply: Data, author: Data) -> ReplyOutcome:
        """Records an inbound reply (a :class:`poolbook.InboundReply`); STOP records the opt-out."""
        return self._call("record_reply", ReplyOutcome, reply=reply, author=author)

    def outbox_records(self, query: Optional[Data] = None, **fields: Any) -> List[OutboxRecord]:
        """Messages the host reported on; fields of OutboxQuery as keywords (``status="failed"``)."""
        return self._call("outbox_records", List[OutboxRecord], query=_query(OutboxQuery, query, fields))

    def reply_rates(
        self, since: Optional[_dt.datetime] = None, until: Optional[_dt.datetime] = None
    ) -> List[ReplyRate]:
        """How often each template variant's messages sent in ``[since, until)`` were answered."""
        return self._call("reply_rates", List[ReplyRate], since=since, until=until)

    # The connected journey (issue 17) -----------------------------------

    def change_status(
        self,
        customer_id: str,
        expected_version: int,
        status: Union[LifecycleStatus, str],
        reason: Optional[str],
        effective_at: Optional[_dt.datetime],
        author: Data,
    ) -> Customer:
        """Changes the customer's lifecycle status, saying why and when it took effect (a churn reason)."""
        return self._call(
            "change_status", Customer, customer_id=customer_id, expected_version=expected_version,
            status=status, reason=reason, effective_at=effective_at, author=author,
        )

    def find_touchpoints(
        self, filter_: Optional[Data] = None, cursor: Optional[str] = None, limit: Optional[int] = None, **fields: Any
    ) -> BookTouchpointPage:
        """One page of touchpoints across the whole book, oldest first; BookFilter fields as keywords."""
        return self._call(
            "find_touchpoints", BookTouchpointPage, filter=_query(BookFilter, filter_, fields), cursor=cursor,
            limit=limit,
        )

    def iter_book_touchpoints(self, filter_: Optional[Data] = None, page_size: int = 1000, **fields: Any) -> Iterator[Touchpoint]:
        """Every touchpoint across the book matching the filter, oldest first, a page at a time."""
        chosen = _query(BookFilter, filter_, fields)
        cursor: Optional[str] = None
        while True:
            page = self.find_touchpoints(chosen, cursor, page_size)
            yield from page.touchpoints
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    def count_touchpoints(self, query: Data) -> List[TouchpointCount]:
        """Touchpoint counts by period and dimensions (a :class:`poolbook.TouchpointCountQuery`)."""
        return self._call("count_touchpoints", List[TouchpointCount], query=query)

    def find_entries(
        self, filter_: Optional[Data] = None, cursor: Optional[str] = None, limit: Optional[int] = None, **fields: Any
    ) -> BookEntryPage:
        """One page of history entries across the whole book, newest first; BookFilter fields as keywords."""
        return self._call(
            "find_entries", BookEntryPage, filter=_query(BookFilter, filter_, fields), cursor=cursor, limit=limit
        )

    def receivables(self, as_of: _dt.date, top: Optional[int] = None) -> Receivables:
        """What the company is owed: total, aging across customers, top debtors."""
        return self._call("receivables", Receivables, as_of=as_of, top=top)

    def retention(self, query: Data) -> RetentionReport:
        """Cohort retention by activation month, churn with reasons (a :class:`poolbook.RetentionQuery`)."""
        return self._call("retention", RetentionReport, query=query)

    def satisfaction(self, query: Optional[Data] = None, **fields: Any) -> SatisfactionReport:
        """Ratings overall, per period, technician and stage, and detractors; SatisfactionQuery fields as keywords."""
        return self._call("satisfaction", SatisfactionReport, query=_query(SatisfactionQuery, query, fields))

    def engagement(self, query: Data) -> List[CustomerEngagement]:
        """Portal and email activity per customer with its trend and who went quiet (an EngagementQuery)."""
        return self._call("engagement", List[CustomerEngagement], query=query)

    def experiment(self, definition: Data) -> ExperimentReport:
        """An experiment measured per variant with the difference, its 95 % CI and a verdict."""
        return self._call("experiment", ExperimentReport, definition=definition)

    def compare_funnel(self, definition: Data, before: Data, after: Data) -> FunnelComparison:
        """A funnel compared across two periods (each a :class:`poolbook.DateRange`), step by step."""
        return self._call("compare_funnel", FunnelComparison, definition=definition, before=before, after=after)

    def next_actions(self, query: Data) -> NextActionsReport:
        """What people did next after a step, with shares, and how many did nothing (a NextActionsQuery)."""
        return self._call("next_actions", NextActionsReport, query=query)

    def last_before_stopping(self, query: Data) -> StoppedReport:
        """What customers who went quiet did last (a :class:`poolbook.StoppedQuery`)."""
        return self._call("last_before_stopping", StoppedReport, query=query)

    def stage_report(
        self,
        since: Optional[_dt.datetime] = None,
        until: Optional[_dt.datetime] = None,
        period: Optional[Union[Period, str]] = None,
    ) -> StageReport:
        """Per journey stage: people entering per period, days spent, where they went next."""
        return self._call("stage_report", StageReport, since=since, until=until, period=period)

    def journey_map(self, query: Optional[Data] = None, **fields: Any) -> JourneyMap:
        """A measured journey map for a customer kind or segment; JourneyMapQuery fields as keywords."""
        return self._call("journey_map", JourneyMap, query=_query(JourneyMapQuery, query, fields))

    def feedback_topics(self) -> List[str]:
        """The book's feedback topics."""
        return self._call("feedback_topics", List[str])

    def set_feedback_topics(self, topics: Sequence[str], author: Data) -> List[str]:
        """Replaces the feedback topics; returns them as stored (snake_case)."""
        return self._call("set_feedback_topics", List[str], topics=list(topics), author=author)

    def link_feedback_issue(self, feedback_id: str, issue_id: str, author: Data) -> Feedback:
        """Links feedback to the issue it led to."""
        return self._call(
            "link_feedback_issue", Feedback, feedback_id=feedback_id, issue_id=issue_id, author=author
        )

    def feedback_follow_ups(self, customer_id: str) -> List[FeedbackFollowUp]:
        """The customer's feedback, newest first, with its issue and what we did."""
        return self._call("feedback_follow_ups", List[FeedbackFollowUp], customer_id=customer_id)

    def feedback_report(
        self, since: Optional[_dt.datetime] = None, until: Optional[_dt.datetime] = None
    ) -> List[TopicReport]:
        """Feedback by topic: how much, mean rating, how much led to a fix and how fast."""
        return self._call("feedback_report", List[TopicReport], since=since, until=until)

    # The demo company ----------------------------------------------------
