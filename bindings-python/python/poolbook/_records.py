"""The base classes of poolbook's records, and how core's JSON becomes them and back.

The classes themselves are generated from core's source into
:mod:`poolbook._types`; this module gives them their behaviour:

* :class:`Record`: slots, keyword-only constructors (generated),
  ``to_dict()``, ``==`` and a readable repr that masks secrets;
* :class:`TextEnum`: core's fixed words as ``str`` enum members;
* :class:`Secret`: a gate code, lock combination or alarm code, masked
  everywhere but :meth:`Secret.reveal`.

:func:`decode` reads core's JSON by the type it should have (a type hint),
strictly: a field core sends that the class does not have, or a field the
class has that core leaves out, is an error, so the generated classes cannot
silently fall behind core. :func:`encode` writes any Python value (records,
dicts, lists, enums, tz-aware datetimes, dates, Decimals, Secrets) as the
JSON core reads, refusing a naive datetime with a :class:`ValidationError`.
"""

from __future__ import annotations

import datetime as _dt
import math
import typing
from decimal import Decimal
from enum import Enum
from typing import Any, Callable, ClassVar, Dict, Mapping, Optional, Tuple, Type

from . import _native
from ._errors import ValidationError


#: How a sealed secret's wire form begins (core's ``SEALED_PREFIX``).
SEALED_PREFIX = "pbsealed1:"


class Secret:
    """A gate code, lock combination or alarm code: shown only by :meth:`reveal`.

    A ``Secret`` you make holds the value you give it. One read from a book is *sealed*:
    the book never decrypts a code on read; :meth:`poolbook.Book.reveal_secret` opens one,
    and records who looked.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    @property
    def is_sealed(self) -> bool:
        """Whether this is a sealed secret read from a book."""
        return self._value.startswith(SEALED_PREFIX)

    def reveal(self) -> str:
        """The secret value. Call this only where a person needs to see it.

        Raises ``ValueError`` for a sealed secret read from a book: reveal that with
        :meth:`poolbook.Book.reveal_secret`, which is audited.
        """
        if self.is_sealed:
            raise ValueError(
                "this secret is sealed; reveal it with book.reveal_secret(location_id, field, author, reason), "
                "which records who looked"
            )
        return self._value

    def _wire(self) -> str:
        """The value, or a sealed secret's wire form, as core reads it."""
        return self._value

    def __repr__(self) -> str:
        return "Secret([sealed])" if self.is_sealed else "Secret([redacted])"

    def __str__(self) -> str:
        return "[redacted]"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        # Not the value's own hash, which would let a guess be checked against it.
        return hash((Secret, self._value))

    def __reduce__(self) -> Any:
        raise TypeError(
            "a Secret is not pickled: a pickle would hold the code in the clear; "
            "keep records with secrets in the book, or reveal() and store the code deliberately"
        )

    def __copy__(self) -> "Secret":
        return self  # immutable

    def __deepcopy__(self, memo: Dict[int, Any]) -> "Secret":
        return self


class TextEnum(str, Enum):
    """One of core's fixed words (``CustomerKind.HOA == "hoa"``); ``str()`` gives the word."""

    def __str__(self) -> str:
        return str(self.value)

    def __repr__(self) -> str:
        return f"{type(self).__name__}.{self.name}"

    def __hash__(self) -> int:
        # As the word's hash, so a dict keyed by members finds plain strings too.
        return hash(self.value)


class Record:
    """A core record: typed attributes, a keyword-only constructor, ``to_dict()``.

    Subclasses are generated from core (:mod:`poolbook._types`): their
    ``__slots__`` are core's fields, so setting a misspelt attribute fails.
    Records compare equal when they are the same class with equal fields.
    """

    __slots__: Tuple[str, ...] = ()
    #: On a union's base class: the name of the tag field (``entry``, ``item``, ``rule``).
    _tag_field: ClassVar[Optional[str]] = None
    #: On a union's base class: the variant class for each tag value.
    _variants: ClassVar[Dict[str, Type["Record"]]] = {}
    #: On a variant class: its tag field and value in each union it belongs to.
    _tags: ClassVar[Dict[str, str]] = {}
    #: Fields whose Python name differs from core's (a keyword: ``from_`` is ``from``).
    _json_names: ClassVar[Dict[str, str]] = {}

    def to_dict(self) -> Dict[str, Any]:
        """The record as plain dicts and lists under core's field names.

        A union variant starts with its tag (``{"entry": "visit", ...}``);
        datetimes, Decimals, enums and Secrets are kept as they are.
        """
        out: Dict[str, Any] = dict(self._tags)
        for attr in self.__slots__:
            out[self._json_names.get(attr, attr)] = _plain(getattr(self, attr))
        return out

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and all(getattr(self, a) == getattr(other, a) for a in self.__slots__)

    __hash__ = None  # type: ignore[assignment]  # records are mutable

    def __repr__(self) -> str:
        shown = (
            f"{attr}={value!r}"
            for attr in self.__slots__
            for value in (getattr(self, attr),)
            if value is not None and value != [] and value != {}
        )
        return f"{type(self).__name__}({', '.join(shown)})"


def register_variants(union: Type[Record], variants: Dict[str, Type[Record]]) -> None:
    """Records which class each tag value of ``union`` names (called by the generated module)."""
    union._variants = dict(variants)
    tag_field = union._tag_field
    assert tag_field is not None, f"{union.__name__} is not a union"
    for tag, variant in variants.items():
        variant._tags = {**variant._tags, tag_field: tag}


def new_id() -> str:
    """A fresh UUIDv7 identifier, made by core (ADR 0001)."""
    return _native.new_id()


def _plain(value: Any) -> Any:
    if isinstance(value, Record):
        return value.to_dict()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


# Reading core's JSON ----------------------------------------------------------

Decoder = Callable[[Any], Any]

_decoders: Dict[Any, Decoder] = {}


def decode(hint: Any, data: Any) -> Any:
    """Core's JSON value ``data`` (already parsed) as the Python type ``hint``."""
    return decoder(hint)(data)


def decoder(hint: Any) -> Decoder:
    """The function reading core's JSON as ``hint`` (built once per hint, then cached)."""
    found = _decoders.get(hint)
    if found is None:
        found = _build_decoder(hint)
        _decoders[hint] = found
    return found


def _identity(value: Any) -> Any:
    return value


def _instant(value: str) -> _dt.datetime:
    return _dt.datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(_dt.timezone.utc)


def _build_decoder(hint: Any) -> Decoder:
    if hint in (str, int, bool, Any, type(None)):
        return _identity
    simple: Dict[Any, Decoder] = {
        float: float,
        Decimal: Decimal,
        Secret: Secret,
        _dt.datetime: _instant,
        _dt.date: _dt.date.fromisoformat,
        _dt.time: _dt.time.fromisoformat,
    }
    if hint in simple:
        return simple[hint]
    supertype = getattr(hint, "__supertype__", None)  # a NewType: the identifiers
    if supertype is not None:
        return decoder(supertype)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Union:
        (inner,) = [a for a in args if a is not type(None)]
        read = decoder(inner)
        return lambda value: None if value is None else read(value)
    if origin is list:
        read = decoder(args[0])
        return lambda value: [read(v) for v in value]
    if origin is dict:
        read_key, read_value = decoder(args[0]), decoder(args[1])
        return lambda value: {read_key(k): read_value(v) for k, v in value.items()}
    if origin is tuple:
        reads = [decoder(a) for a in args]
        return lambda value: tuple(read(v) for read, v in zip(reads, value))
    if isinstance(hint, type) and issubclass(hint, TextEnum):
        return hint
    if isinstance(hint, type) and issubclass(hint, Record):
        if "_tag_field" in vars(hint):
            return _UnionDecoder(hint)
        return _RecordDecoder(hint)
    raise TypeError(f"poolbook cannot read core values as {hint!r}")


class _RecordDecoder:
    """Reads a JSON object as a record class, strictly (see the module docs)."""

    def __init__(self, cls: Type[Record]) -> None:
        self.cls = cls
        self.plan: Optional["list[tuple[str, str, Decoder]]"] = None
        self.allowed: "frozenset[str]" = frozenset()

    def _prepare(self) -> "list[tuple[str, str, Decoder]]":
        hints = typing.get_type_hints(self.cls)
        names = self.cls._json_names
        plan = [(attr, names.get(attr, attr), decoder(hints[attr])) for attr in self.cls.__slots__]
        self.allowed = frozenset(key for _, key, _ in plan) | frozenset(self.cls._tags)
        self.plan = plan
        return plan

    def __call__(self, data: Any) -> Record:
        plan = self.plan if self.plan is not None else self._prepare()
        record = object.__new__(self.cls)
        try:
            for attr, key, read in plan:
                setattr(record, attr, read(data[key]))
        except KeyError as missing:
            raise TypeError(
                f"core sent {self.cls.__name__} without field {missing}; "
                "poolbook's Python classes are out of date with core"
            ) from None
        if len(data) > len(plan):
            unknown = set(data) - self.allowed
            if unknown:
                raise TypeError(
                    f"core sent {self.cls.__name__} with unknown field(s) {sorted(unknown)}; "
                    "poolbook's Python classes are out of date with core"
                )
        return record


class _UnionDecoder:
    """Reads a tagged JSON object as the variant class its tag names."""

    def __init__(self, union: Type[Record]) -> None:
        self.union = union
        self.tag_field = union._tag_field or ""

    def __call__(self, data: Any) -> Record:
        tag = data.get(self.tag_field)
        variant = self.union._variants.get(tag)
        if variant is None:
            raise TypeError(f"core sent {self.union.__name__} with unknown {self.tag_field} {tag!r}")
        out: Record = decoder(variant)(data)
        return out


# Writing core's JSON ------------------------------------------------------------


def encode(value: Any, path: str) -> Any:
    """A Python value as the JSON data core reads; ``path`` names it in errors."""
    if isinstance(value, Record):
        return encode(value.to_dict(), path)
    if isinstance(value, Mapping):
        return {str(k): encode(v, f"{path}.{k}" if path else str(k)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode(v, f"{path}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, Secret):
        return value._wire()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            problem = "is a naive datetime; give it a timezone, e.g. tzinfo=datetime.timezone.utc"
            raise ValidationError(f"invalid {path}: {problem}", path, problem)
        try:
            return value.astimezone(_dt.timezone.utc).isoformat().replace("+00:00", "Z")
        except OverflowError:
            problem = "is outside the instants a book stores (1900-01-01 to 2199-12-31)"
            raise ValidationError(f"invalid {path}: {problem}", path, problem) from None
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValidationError(f"invalid {path}: must be a finite number", path, "must be a finite number")
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        raise ValidationError(f"invalid {path}: must be a finite number", path, "must be a finite number")
    return value
