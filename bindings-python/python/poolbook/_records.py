"""Records as Python values: how core's serde JSON becomes Python and back.

A record is a :class:`Record`: attribute access to the fields of core's
serde shape (snake_case names, text enums as their snake_case words, tagged
unions keep their tag field: ``entry``, ``item``, ``rule``), ``to_dict()``
and a readable repr. Conversions, in both directions:

* timestamps (RFC 3339) <-> tz-aware ``datetime`` in UTC; a naive
  ``datetime`` given to poolbook is refused with a ValidationError naming it;
* calendar days ``YYYY-MM-DD`` <-> ``date``;
* money and quantities (core's ``Decimal`` fields) <-> ``decimal.Decimal``;
* gate codes, lock combinations and alarm codes <-> :class:`Secret`, whose
  repr and str are masked.
"""

from __future__ import annotations

import datetime as _dt
import re
from decimal import Decimal
from enum import Enum
from typing import Any, Dict, Mapping

from ._errors import ValidationError

#: Fields core stores as ``Decimal`` (written by core as JSON strings).
DECIMAL_FIELDS = frozenset(
    {
        "amount", "balance", "closing_balance", "credited", "current", "opening_balance",
        "paid", "quantity", "rate", "remaining", "running_balance", "tax_rate", "total",
        "total_due", "unapplied", "unit_price", "value",
    }
)
#: Fields core stores as ``Secret``.
SECRET_FIELDS = frozenset({"gate_code", "lock_combination", "alarm_code"})

_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Secret:
    """A gate code, lock combination or alarm code: shown only by :meth:`reveal`."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The secret value. Call this only where a person needs to see it."""
        return self._value

    def __repr__(self) -> str:
        return "Secret([redacted])"

    def __str__(self) -> str:
        return "[redacted]"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


class Record:
    """One core record: its fields as attributes (``record["field"]`` works too).

    Build one with keyword arguments (``Record(line1="1 Main St", ...)``),
    change a field with ``record.field = value``, and get plain data with
    :meth:`to_dict`.
    """

    def __init__(self, **fields: Any) -> None:
        object.__setattr__(self, "_fields", dict(fields))

    def __getattr__(self, name: str) -> Any:
        try:
            return self._fields[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        self._fields[name] = value

    def __getitem__(self, key: str) -> Any:
        return self._fields[key]

    def get(self, key: str, default: Any = None) -> Any:
        """The field ``key``, or ``default`` when the record has no such field."""
        return self._fields.get(key, default)

    def __setitem__(self, key: str, value: Any) -> None:
        self._fields[key] = value

    def __contains__(self, key: object) -> bool:
        return key in self._fields

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Record) and other._fields == self._fields

    def __dir__(self) -> "list[str]":
        return sorted(set(super().__dir__()) | set(self._fields))

    def to_dict(self) -> Dict[str, Any]:
        """The record as plain dicts and lists (datetimes, Decimals and Secrets kept as such)."""
        return {key: _plain(value) for key, value in self._fields.items()}

    def __repr__(self) -> str:
        tag = next((self._fields[t] for t in ("entry", "item", "rule") if isinstance(self._fields.get(t), str)), None)
        name = f"Record[{tag}]" if tag else "Record"
        inner = ", ".join(f"{key}={value!r}" for key, value in self._fields.items())
        return f"{name}({inner})"


def _plain(value: Any) -> Any:
    if isinstance(value, Record):
        return value.to_dict()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def decode(value: Any, key: str = "") -> Any:
    """Core's JSON value (already parsed) as Python values and Records."""
    if isinstance(value, dict):
        return Record(**{k: decode(v, k) for k, v in value.items()})
    if isinstance(value, list):
        return [decode(v, key) for v in value]
    if isinstance(value, str):
        if key in SECRET_FIELDS:
            return Secret(value)
        if key in DECIMAL_FIELDS:
            try:
                return Decimal(value)
            except ArithmeticError:
                return value
        if _INSTANT.match(value):
            return _dt.datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(_dt.timezone.utc)
        if _DAY.match(value):
            return _dt.date.fromisoformat(value)
    return value


def encode(value: Any, path: str) -> Any:
    """A Python value as the JSON data core reads; ``path`` names it in errors."""
    if isinstance(value, Record):
        return encode(value._fields, path)
    if isinstance(value, Mapping):
        return {str(k): encode(v, f"{path}.{k}" if path else str(k)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode(v, f"{path}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, Secret):
        return value.reveal()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            problem = "is a naive datetime; give it a timezone, e.g. tzinfo=datetime.timezone.utc"
            raise ValidationError(f"invalid {path}: {problem}", path, problem)
        return value.astimezone(_dt.timezone.utc).isoformat().replace("+00:00", "Z")
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
