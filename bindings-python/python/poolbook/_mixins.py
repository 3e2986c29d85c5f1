"""Core's named constructors for generated record classes (see ``MIXINS`` in typegen).

A generated class lists its mixin first among its bases, so
``poolbook.Author.office("dana")`` works like core's ``Author::office``.
"""

from __future__ import annotations

from typing import Any, Type, TypeVar

T = TypeVar("T")


class AuthorConstructors:
    """``Author.technician(id)``, ``Author.office(login)``, ``Author.import_(source)``, ``Author.system()``."""

    __slots__ = ()

    @classmethod
    def technician(cls: Type[T], technician_id: str) -> T:
        """A technician, by id (core ``Author::technician``)."""
        return _author(cls, "technician", str(technician_id))

    @classmethod
    def office(cls: Type[T], user: str) -> T:
        """An office user, by login (core ``Author::office``)."""
        return _author(cls, "office", user)

    @classmethod
    def import_(cls: Type[T], source: str) -> T:
        """An import, by the name of its source (core ``Author::import``)."""
        return _author(cls, "import", source)

    @classmethod
    def system(cls: Type[T]) -> T:
        """poolbook itself (core ``Author::system``)."""
        return _author(cls, "system", "poolbook")


def _author(cls: Type[T], kind: str, id: str) -> T:
    from ._types import AuthorKind

    make: Any = cls
    out: T = make(kind=AuthorKind(kind), id=id)
    return out
