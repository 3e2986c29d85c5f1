"""Issue 16 from Python: gate codes sealed at rest under a key a Python object
provides, distinct locked / wrong-key / tampered errors, audited reveals,
key rotation, and nothing in the file's bytes."""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import List, Optional

import pytest

import poolbook
from conftest import OFFICE, customer_with_pool


class Keychain:
    """A key provider written in Python, as a host app's keychain would be."""

    def __init__(self, key: bytes) -> None:
        self.key = key
        self.salts: List[bytes] = []

    def key_encryption_key(self, salt: bytes) -> Optional[bytes]:
        self.salts.append(salt)
        return self.key


class Empty:
    """A keychain with no key in it (the user has not signed in)."""

    def key_encryption_key(self, salt: bytes) -> Optional[bytes]:
        return None


def test_a_python_key_provider_seals_codes_that_never_reach_the_file(tmp_path) -> None:
    path = tmp_path / "book.sqlite"
    keychain = Keychain(b"k" * 32)
    with poolbook.Book.open(path) as book:
        assert not book.is_unlocked()
        book.unlock(keychain)
        assert book.is_unlocked() and len(keychain.salts) == 1 and len(keychain.salts[0]) == 16
        news = []
        for n in range(200):
            new = poolbook.NewCustomer(kind="residential", display_name=f"Customer {n}")
            location = poolbook.ServiceLocation(address=poolbook.Address(line1=f"{n} Palm Way", city="Tampa", region="FL", postal_code="33602", country="US"))
            location.access.gate_code = poolbook.Secret(f"PY{n:05}#")
            new.locations = [location]
            news.append(new)
        created = book.create_customers(news, OFFICE)
    data = path.read_bytes()
    assert not any(f"PY{n:05}#".encode() in data for n in range(200))
    with poolbook.Book.open(path) as book:
        book.unlock(keychain)
        assert keychain.salts[1] == keychain.salts[0], "the book's stored salt is handed back"
        revealed = book.reveal_secret(created[7].locations[0].id, poolbook.SecretField.GATE_CODE, OFFICE, "weekly service")
        assert revealed is not None and revealed.reveal() == "PY00007#"


def test_locked_wrong_key_and_tampered_are_distinct_errors(tmp_path) -> None:
    path = tmp_path / "book.sqlite"
    with poolbook.Book.open(path) as book:
        book.unlock(Keychain(b"a" * 32))
        created = customer_with_pool(book)
    home = created.locations[0].id
    with poolbook.Book.open(path) as book:
        assert book.customer(created.id).display_name == "Rivera Family", "a locked book reads"
        with pytest.raises(poolbook.LockedError):
            book.reveal_secret(home, "gate_code", OFFICE, "at the gate")
        with pytest.raises(poolbook.LockedError):
            book.unlock(Empty())
        with pytest.raises(poolbook.WrongKeyError) as wrong:
            book.unlock(Keychain(b"b" * 32))
        assert "4321" not in str(wrong.value) and not book.is_unlocked()
        with pytest.raises(poolbook.WrongKeyError):
            book.unlock(poolbook.passphrase_key_provider_with_cost("not the passphrase", 64, 1))
    conn = sqlite3.connect(path)
    blob = bytearray(conn.execute("SELECT gate_code FROM location_secrets WHERE location_id = ?", (home,)).fetchone()[0])
    blob[-1] ^= 1
    conn.execute("UPDATE location_secrets SET gate_code = ? WHERE location_id = ?", (bytes(blob), home))
    conn.commit()
    conn.close()
    with poolbook.Book.open(path) as book:
        book.unlock(Keychain(b"a" * 32))
        with pytest.raises(poolbook.TamperedSecretError) as tampered:
            book.reveal_secret(home, "gate_code", OFFICE, "at the gate")
        assert home in str(tampered.value) and "gate_code" in str(tampered.value)
        book.lock()
        assert not book.is_unlocked()


def test_every_reveal_is_audited_and_keys_rotate(book: poolbook.Book) -> None:
    created = customer_with_pool(book)
    home = created.locations[0].id
    before = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1)
    ana = poolbook.Author.office("ana")
    for reason in ("weekly service", "customer called"):
        secret = book.reveal_secret(home, "gate_code", ana, reason)
        assert secret is not None and secret.reveal() == "4321#"
    assert book.reveal_secret(home, "alarm_code", ana, "no alarm") is None
    reveals = book.secret_reveals(author_id="ana", from_=before)
    assert [r.reason for r in reveals] == ["customer called", "weekly service"]
    assert all(r.field == poolbook.SecretField.GATE_CODE and r.location_id == home for r in reveals)
    assert "4321" not in repr(reveals)
    new_key = poolbook.static_key_provider(b"n" * 32)
    book.rotate_key_encryption_key(new_key, OFFICE)
    book.rotate_data_key(poolbook.passphrase_key_provider("a long enough passphrase"), OFFICE)
    gate = book.reveal_secret(home, "gate_code", OFFICE, "after rotation")
    assert gate is not None and gate.reveal() == "4321#"
    with pytest.raises(poolbook.ValidationError):
        poolbook.static_key_provider(b"short")
