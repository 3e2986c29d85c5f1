"""Key providers: where a book gets the key that unlocks its sealed secrets.

A provider is :func:`poolbook.static_key_provider` (a 32-byte key held by the
program), :func:`poolbook.passphrase_key_provider` (Argon2id over the book's salt),
or any object of your own with a ``key_encryption_key(salt: bytes) -> Optional[bytes]``
method, e.g. one that reads the key from the platform's keychain or a secret store.
"""

from __future__ import annotations

from typing import Optional, Protocol, Union

from . import _native


class KeyProviderObject(Protocol):
    """A key provider written in Python."""

    def key_encryption_key(self, salt: bytes) -> Optional[bytes]:
        """The 32-byte key for the book with this ``salt``, or None when no key is available."""


#: Anything :meth:`poolbook.Book.unlock` takes.
KeyProvider = Union[_native.KeyProvider, KeyProviderObject]
