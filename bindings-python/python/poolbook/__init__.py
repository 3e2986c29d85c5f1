"""poolbook from Python: a pool-service company's customer records in SQLite.

``Book.open(path)`` / ``Book.open_in_memory()`` give a :class:`Book` with every core
operation under its core name. Records are classes generated from core
(``Customer``, ``NewCustomer``, ``Visit``, ...) with typed attributes,
keyword-only constructors that start from core's defaults, ``to_dict()``
and a repr that masks secrets; enums are ``str`` enums (``CustomerKind.HOA``);
times are tz-aware ``datetime``, days ``date``, money ``Decimal``. Errors
are :class:`PoolbookError` subclasses with core's message. Analytics
helpers turn the timeline, visits with readings, the ledger, touchpoints
and journey reports into pandas DataFrames (``poolbook.frames``).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Dict, List, Optional, Sequence, Union

from . import _native, _types, frames
from ._book import Book, Data, Ledger, _query, call_function, defaults
from ._errors import (
    BusyError,
    CannotComputeError,
    ClosedError,
    ConflictError,
    CorruptError,
    LockedError,
    NotABookError,
    NotFoundError,
    PoolbookError,
    ReadOnlyError,
    StorageError,
    TamperedSecretError,
    UnsupportedSchemaError,
    ValidationError,
    WrongKeyError,
)
from ._errors import core_errors as _core_errors
from ._keys import KeyProvider
from ._native import CORE_VERSION
from ._records import Record, Secret, TextEnum, decode
from ._sql import SqlRows, SqlValue
from ._types import *  # noqa: F403  (the generated record classes; see _types.__all__)
from ._types import (
    CsiMethod,
    DemoOptions,
    DemoSummary,
    ReadingFlag,
    Sanitizer,
    SaturationIndex,
    OutboxRule,
    ServicePlan,
    Stage,
    Surface,
    TargetProfile,
    WaterKind,
)

__version__ = CORE_VERSION

__all__ = [
    "Book", "BusyError", "CannotComputeError", "ClosedError", "ConflictError", "CORE_VERSION",
    "CorruptError", "Data", "KeyProvider", "Ledger", "LockedError", "NotABookError", "NotFoundError",
    "PoolbookError", "ReadOnlyError", "Record", "Secret", "SqlRows", "SqlValue", "StorageError",
    "TamperedSecretError", "TextEnum", "UnsupportedSchemaError", "ValidationError", "WrongKeyError",
    "best_profile", "default_stage_map", "defaults", "flag_readings", "frames", "normalize_phone",
    "passphrase_key_provider", "passphrase_key_provider_with_cost", "plan_due_on", "populate_demo",
    "assign_variant",
    "saturation_index", "static_key_provider", "template_fields",
    *_types.__all__,
]


# Core's free functions ----------------------------------------------------
def static_key_provider(key: bytes) -> KeyProvider:
    """A key provider that always gives ``key`` (32 bytes): for tests, scripts and servers."""
    with _core_errors():
        return _native.static_key_provider(key)


def passphrase_key_provider(passphrase: str) -> KeyProvider:
    """A key provider deriving the key from ``passphrase`` (at least 8 characters) with Argon2id."""
    with _core_errors():
        return _native.passphrase_key_provider(passphrase)


def passphrase_key_provider_with_cost(passphrase: str, memory_kib: int, iterations: int) -> KeyProvider:
    """A passphrase key provider with its own Argon2id cost; the same passphrase at another cost is another key."""
    with _core_errors():
        return _native.passphrase_key_provider(passphrase, memory_kib, iterations)

def saturation_index(readings: Data, method: Union[CsiMethod, str] = CsiMethod.TFP) -> SaturationIndex:
    """The calcium saturation index of ``readings`` (core ``chemistry::saturation_index``).

    Raises :class:`CannotComputeError` (with ``needs`` and ``reasons``) when
    inputs are missing or unusable.
    """
    result = call_function("saturation_index", Dict[str, Any], readings=readings, method=method)
    if result.get("cannot_compute") is not None:
        cannot = result["cannot_compute"]
        raise CannotComputeError(result["message"], list(cannot["needs"]), list(cannot["reasons"]))
    out: SaturationIndex = decode(SaturationIndex, result["ok"])
    return out


def flag_readings(profile: Data, readings: Data, csi: Optional[Data] = None) -> List[ReadingFlag]:
    """Each reading compared with the profile's target range (core ``chemistry::flag_readings``)."""
    out: List[ReadingFlag] = call_function(
        "flag_readings", List[ReadingFlag], profile=profile, readings=readings, csi=csi
    )
    return out


def best_profile(
    profiles: Sequence[Data],
    kind: Union[WaterKind, str],
    sanitizer: Union[Sanitizer, str],
    surface: Optional[Union[Surface, str]] = None,
) -> Optional[TargetProfile]:
    """The best-matching target profile, or None (core ``chemistry::best_profile``)."""
    found: List[TargetProfile] = call_function(
        "best_profile", List[TargetProfile], profiles=profiles, kind=kind, sanitizer=sanitizer, surface=surface
    )
    return found[0] if found else None


def template_fields(rule: Union[OutboxRule, str]) -> List[str]:
    """The ``{{field}}`` names a template for ``rule`` may use (core ``outbox::template_fields``)."""
    out: List[str] = call_function("template_fields", List[str], rule=rule)
    return out


def plan_due_on(plan: Union[ServicePlan, Data], date: _dt.date) -> bool:
    """Whether a service plan has a visit due on ``date`` (core ``fieldday::plan_due_on``)."""
    return bool(call_function("plan_due_on", bool, plan=plan, date=date))


def default_stage_map() -> Dict[str, Stage]:
    """The stage map a new book starts with (core ``journey::default_stage_map``)."""
    out: Dict[str, Stage] = call_function("default_stage_map", Dict[str, Stage])
    return out


def assign_variant(experiment: str, variants: Sequence[str], person_id: str) -> str:
    """The variant of ``variants`` a person is in for ``experiment``: stable on any device (core ``assign_variant``)."""
    out: str = call_function("assign_variant", str, experiment=experiment, variants=list(variants), person_id=person_id)
    return out


def normalize_phone(input: str, region_code: str = "US", field: str = "phone") -> str:
    """A phone number in E.164 form, national numbers read in ``region_code``; ``field`` names it in errors."""
    return str(call_function("normalize_phone", str, input=input, region_code=region_code, field=field))


def populate_demo(book: Book, options: Optional[Data] = None, **fields: Any) -> DemoSummary:
    """Fills an empty ``book`` with the demo company; returns its summary.

    ``options`` is a :class:`DemoOptions`, or give its fields as keywords
    (``customers=40, weeks=8``); the rest are core's defaults.
    """
    return book._call("populate_demo", DemoSummary, options=_query(DemoOptions, options, fields))
