"""poolbook from Python: a pool-service company's customer records in SQLite.

``Book.open(path)`` / ``Book.memory()`` give a :class:`Book` with every core
operation under its core name; records are :class:`Record` values with
tz-aware ``datetime``, ``date``, ``Decimal`` and masked :class:`Secret`
fields; errors are :class:`PoolbookError` subclasses with core's message.
Analytics helpers turn the timeline, visits with readings, the ledger,
touchpoints and journey reports into pandas DataFrames (``poolbook.frames``).
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Dict, List, Optional

from . import frames
from ._book import Author, Book, Data, call_function, defaults
from ._errors import (
    CannotComputeError,
    ClosedError,
    ConflictError,
    NotFoundError,
    PoolbookError,
    StorageError,
    UnsupportedSchemaError,
    ValidationError,
)
from ._native import CORE_VERSION
from ._records import Record, Secret

__version__ = CORE_VERSION

__all__ = [
    "Author", "Book", "CannotComputeError", "ClosedError", "ConflictError", "CORE_VERSION",
    "NotFoundError", "PoolbookError", "Record", "Secret", "StorageError", "UnsupportedSchemaError",
    "ValidationError", "best_profile", "body_of_water", "contact", "default_stage_map", "defaults",
    "flag_readings", "frames", "funnel_definition", "funnel_step", "invoice_line", "new_customer",
    "new_feedback", "new_note", "new_technician", "normalize_phone", "plan_due_on", "populate_demo",
    "saturation_index", "service_location", "visit_completed",
]


# Core's free functions ----------------------------------------------------
def saturation_index(readings: Data, method: str = "tfp") -> Record:
    """The calcium saturation index of ``readings`` (core ``chemistry::saturation_index``).

    Raises :class:`CannotComputeError` (with ``needs`` and ``reasons``) when
    inputs are missing or unusable.
    """
    result = call_function("saturation_index", readings=readings, method=method)
    if "cannot_compute" in result:
        cannot = result.cannot_compute
        raise CannotComputeError(result.message, list(cannot.needs), list(cannot.reasons))
    out: Record = result.ok
    return out


def flag_readings(profile: Data, readings: Data, csi: Optional[Data] = None) -> List[Record]:
    """Each reading compared with the profile's target range (core ``chemistry::flag_readings``)."""
    out: List[Record] = call_function("flag_readings", profile=profile, readings=readings, csi=csi)
    return out


def best_profile(profiles: List[Data], kind: str, sanitizer: str, surface: Optional[str] = None) -> Optional[Record]:
    """The best-matching target profile, or None (core ``chemistry::best_profile``)."""
    out: Optional[Record] = call_function(
        "best_profile", profiles=profiles, kind=kind, sanitizer=sanitizer, surface=surface
    )
    return out


def plan_due_on(plan: Data, date: _dt.date) -> bool:
    """Whether a service plan has a visit due on ``date`` (core ``fieldday::plan_due_on``)."""
    return bool(call_function("plan_due_on", plan=plan, date=date))


def default_stage_map() -> Dict[str, str]:
    """The stage map a new book starts with (core ``journey::default_stage_map``)."""
    return dict(call_function("default_stage_map").to_dict())


def normalize_phone(input: str, region: str = "US", field: str = "phone") -> str:
    """A phone number in E.164 form (core ``phone::normalize``); ``field`` names it in errors."""
    return str(call_function("normalize_phone", input=input, region=region, field=field))


def populate_demo(
    book: Book,
    seed: int = 2026,
    customers: int = 200,
    technicians: int = 4,
    through: _dt.date = _dt.date(2026, 11, 20),
    weeks: int = 52,
) -> Record:
    """Fills an empty ``book`` with the demo company (core ``demo::populate``); returns its summary."""
    return book._populate_demo(seed, customers, technicians, through, weeks)


# Core's record constructors (core's defaults) -------------------------------
def new_customer(kind: str, display_name: str) -> Record:
    """A NewCustomer with core's defaults (``NewCustomer::new``): active, fresh id, nothing else."""
    out: Record = call_function("NewCustomer.new", kind=kind, display_name=display_name)
    return out


def contact(name: str, role: str) -> Record:
    """A Contact (``Contact::new``)."""
    out: Record = call_function("Contact.new", name=name, role=role)
    return out


def service_location(address: Data) -> Record:
    """A ServiceLocation at ``address`` (``ServiceLocation::new``)."""
    out: Record = call_function("ServiceLocation.new", address=address)
    return out


def body_of_water(name: str, kind: str, sanitizer: str) -> Record:
    """A BodyOfWater (``BodyOfWater::new``)."""
    out: Record = call_function("BodyOfWater.new", name=name, kind=kind, sanitizer=sanitizer)
    return out


def new_technician(name: str) -> Record:
    """A NewTechnician (``NewTechnician::new``)."""
    out: Record = call_function("NewTechnician.new", name=name)
    return out


def visit_completed(customer_id: str, location_id: str, at: _dt.datetime) -> Record:
    """A completed Visit at ``at`` (``Visit::completed``)."""
    out: Record = call_function("Visit.completed", customer_id=customer_id, location_id=location_id, at=at)
    return out


def invoice_line(description: str, quantity: Decimal, unit_price: Decimal) -> Record:
    """An InvoiceLine (``InvoiceLine::new``)."""
    out: Record = call_function("InvoiceLine.new", description=description, quantity=quantity, unit_price=unit_price)
    return out


def new_note(customer_id: str, text: str) -> Record:
    """A Note (``Note::new``)."""
    out: Record = call_function("Note.new", customer_id=customer_id, text=text)
    return out


def new_feedback(customer_id: str, rating: int) -> Record:
    """A Feedback (``Feedback::new``)."""
    out: Record = call_function("Feedback.new", customer_id=customer_id, rating=rating)
    return out


def funnel_step(action: str, channels: Optional[List[str]] = None) -> Record:
    """A FunnelStep (``FunnelStep::new``), optionally limited to channels."""
    out: Record = call_function("FunnelStep.new", action=action)
    if channels:
        out.channels = list(channels)
    return out


def funnel_definition(steps: List[Data], window_hours: int) -> Record:
    """A FunnelDefinition (``FunnelDefinition::new``)."""
    out: Record = call_function("FunnelDefinition.new", steps=steps, window_hours=window_hours)
    return out


