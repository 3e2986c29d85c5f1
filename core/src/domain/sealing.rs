//! Sealing secrets at rest (ADR 0006): each secret value is one blob,
//! XChaCha20-Poly1305 under the book's data key with a random 24-byte nonce
//! and associated data naming the book, the table, the location and the
//! field, so a blob copied to another row, field or book fails to open. The
//! data key is stored only wrapped (sealed the same way) under a
//! key-encryption key the host supplies through a [`KeyProvider`].
//!
//! Blob layout: version (1 byte, 1), data key id (8 bytes), nonce (24
//! bytes), ciphertext and tag. Keys and opened values are wiped when dropped.
//!
//! A passphrase's Argon2id cost is stored with the book's salt: the built-in
//! passphrase provider hands back, after the 32-byte key, the cost it used
//! ([`KdfCost`]), and the book stores that cost before the salt; given such a
//! salt later, the provider derives with the stored cost whatever its own,
//! so a book always opens with its passphrase even if the host's or this
//! library's default cost changes.

use std::sync::Arc;

use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload, rand_core::RngCore};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

use crate::model::SecretField;
use crate::{Error, LocationId, Result, Secret};

/// The blob format this code writes.
const BLOB_VERSION: u8 = 1;
/// Bytes of a data key id.
const KEY_ID_BYTES: usize = 8;
/// Bytes of a nonce.
const NONCE_BYTES: usize = 24;
/// Bytes of a key (data key or key-encryption key).
pub const KEY_BYTES: usize = 32;
/// Bytes of the salt a book hands its key provider.
pub const SALT_BYTES: usize = 16;

/// Where a book gets the key that unwraps its data key: the Android
/// Keystore, the iOS Keychain, a server's secret store, or a passphrase
/// ([`passphrase_key_provider`]). Kotlin, Swift and Python hosts implement
/// it in their own language.
#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait KeyProvider: Send + Sync {
    /// The 32-byte key-encryption key for the book, or `None` when no key
    /// is available (the book stays locked). `salt` is the book's own
    /// random salt, stored in the file, for a provider that derives its key
    /// (a passphrase); a provider that holds a key may ignore it.
    fn key_encryption_key(&self, salt: Vec<u8>) -> Option<Vec<u8>>;
}

/// A provider that holds one 32-byte key (for tests, scripts and servers
/// that keep the key elsewhere).
struct StaticKey(Zeroizing<Vec<u8>>);

impl KeyProvider for StaticKey {
    fn key_encryption_key(&self, _salt: Vec<u8>) -> Option<Vec<u8>> {
        Some(self.0.to_vec())
    }
}

/// A key provider that always gives `key` (32 bytes).
#[cfg_attr(feature = "uniffi", uniffi::export)]
pub fn static_key_provider(key: Vec<u8>) -> Result<Arc<dyn KeyProvider>> {
    let key = Zeroizing::new(key);
    if key.len() != KEY_BYTES {
        return Err(Error::invalid(
            "key",
            format!("must be {KEY_BYTES} bytes (it has {})", key.len()),
        ));
    }
    Ok(Arc::new(StaticKey(key)))
}

/// The Argon2id cost a passphrase provider uses by default: 19 MiB of
/// memory and 2 passes (OWASP's recommended minimum), about 50 ms here.
pub const PASSPHRASE_MEMORY_KIB: u32 = 19 * 1024;
/// See [`PASSPHRASE_MEMORY_KIB`].
pub const PASSPHRASE_ITERATIONS: u32 = 2;

/// A provider deriving the key from a passphrase with Argon2id over the
/// book's salt.
struct Passphrase {
    passphrase: Zeroizing<String>,
    memory_kib: u32,
    iterations: u32,
}

impl KeyProvider for Passphrase {
    fn key_encryption_key(&self, salt: Vec<u8>) -> Option<Vec<u8>> {
        let (cost, salt) = match KdfCost::split_salt(&salt) {
            Some((stored, salt)) => (stored?, salt),
            None => (
                KdfCost {
                    memory_kib: self.memory_kib,
                    iterations: self.iterations,
                },
                salt.as_slice(),
            ),
        };
        let params =
            argon2::Params::new(cost.memory_kib, cost.iterations, 1, Some(KEY_BYTES)).ok()?;
        let kdf = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
        let mut key = Zeroizing::new(vec![0; KEY_BYTES]);
        kdf.hash_password_into(self.passphrase.as_bytes(), salt, &mut key)
            .ok()?;
        let mut out = key.to_vec();
        out.extend_from_slice(&cost.header());
        Some(out)
    }
}

/// The Argon2id cost a passphrase key was derived at, stored before the
/// book's salt: `pbkdf1`, then memory in KiB and passes (little-endian u32).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct KdfCost {
    memory_kib: u32,
    iterations: u32,
}

impl KdfCost {
    /// What a stored cost starts with.
    const MAGIC: &'static [u8] = b"pbkdf1";
    /// Bytes of a stored cost.
    const HEADER_BYTES: usize = 6 + 4 + 4;
    /// The most memory a stored cost may ask for (1 GiB): a file cannot make
    /// opening it allocate more.
    const MAX_MEMORY_KIB: u32 = 1024 * 1024;
    /// The most passes a stored cost may ask for.
    const MAX_ITERATIONS: u32 = 64;

    fn header(self) -> [u8; Self::HEADER_BYTES] {
        let mut out = [0; Self::HEADER_BYTES];
        out[..6].copy_from_slice(Self::MAGIC);
        out[6..10].copy_from_slice(&self.memory_kib.to_le_bytes());
        out[10..].copy_from_slice(&self.iterations.to_le_bytes());
        out
    }

    /// A stored salt split into its cost (`None` inside if the cost is out
    /// of bounds) and the salt proper; `None` for a salt without a cost.
    fn split_salt(salt: &[u8]) -> Option<(Option<KdfCost>, &[u8])> {
        if salt.len() < Self::HEADER_BYTES || !salt.starts_with(Self::MAGIC) {
            return None;
        }
        let word =
            |at: usize| u32::from_le_bytes([salt[at], salt[at + 1], salt[at + 2], salt[at + 3]]);
        let cost = KdfCost {
            memory_kib: word(6),
            iterations: word(10),
        };
        let bounded = cost.memory_kib <= Self::MAX_MEMORY_KIB
            && (1..=Self::MAX_ITERATIONS).contains(&cost.iterations);
        Some((bounded.then_some(cost), &salt[Self::HEADER_BYTES..]))
    }
}

/// A key provider deriving the key from `passphrase` with Argon2id at the
/// default cost ([`PASSPHRASE_MEMORY_KIB`], [`PASSPHRASE_ITERATIONS`]).
#[cfg_attr(feature = "uniffi", uniffi::export)]
pub fn passphrase_key_provider(passphrase: String) -> Result<Arc<dyn KeyProvider>> {
    passphrase_key_provider_with_cost(passphrase, PASSPHRASE_MEMORY_KIB, PASSPHRASE_ITERATIONS)
}

/// A passphrase key provider with its own Argon2id cost: memory in KiB (at
/// least 8 per lane) and passes. The same passphrase at another cost is
/// another key, so a host keeps its cost fixed.
#[cfg_attr(feature = "uniffi", uniffi::export)]
pub fn passphrase_key_provider_with_cost(
    passphrase: String,
    memory_kib: u32,
    iterations: u32,
) -> Result<Arc<dyn KeyProvider>> {
    let passphrase = Zeroizing::new(passphrase);
    if passphrase.chars().count() < 8 {
        return Err(Error::invalid(
            "passphrase",
            "must be at least 8 characters",
        ));
    }
    if argon2::Params::new(memory_kib, iterations, 1, Some(KEY_BYTES)).is_err() {
        return Err(Error::invalid(
            "memory_kib",
            "with iterations is not an Argon2id cost (memory at least 8 KiB, at least 1 pass)",
        ));
    }
    Ok(Arc::new(Passphrase {
        passphrase,
        memory_kib,
        iterations,
    }))
}

/// The book's data key, in memory only while the book is unlocked.
pub(crate) struct DataKey {
    /// Its id, in every blob it seals (16 hex digits).
    pub id: String,
    key: Zeroizing<[u8; KEY_BYTES]>,
}

impl DataKey {
    /// A new random data key.
    pub fn generate() -> Self {
        let mut key = Zeroizing::new([0; KEY_BYTES]);
        OsRng.fill_bytes(key.as_mut());
        let mut id = [0; KEY_ID_BYTES];
        OsRng.fill_bytes(&mut id);
        DataKey { id: hex(&id), key }
    }

    /// The data key sealed under `kek` for book `book_id`.
    pub fn wrap(&self, kek: &[u8], book_id: &str) -> Result<Vec<u8>> {
        let aad = wrap_aad(book_id, &self.id);
        seal_bytes(kek, self.id_bytes()?, self.key.as_ref(), &aad)
    }

    /// The data key `id` opened from `wrapped` with `kek`; a wrong key is
    /// [`Error::WrongKey`].
    pub fn unwrap(id: &str, wrapped: &[u8], kek: &[u8], book_id: &str) -> Result<Self> {
        let aad = wrap_aad(book_id, id);
        let opened = open_bytes(kek, wrapped, &aad).ok_or(Error::WrongKey)?;
        let key: [u8; KEY_BYTES] = opened.as_slice().try_into().map_err(|_| Error::WrongKey)?;
        Ok(DataKey {
            id: id.to_owned(),
            key: Zeroizing::new(key),
        })
    }

    /// Seals `value` as the `field` of `location` in book `book_id`.
    pub fn seal(
        &self,
        value: &str,
        book_id: &str,
        location: LocationId,
        field: SecretField,
    ) -> Result<Secret> {
        let aad = secret_aad(book_id, location, field);
        Ok(Secret::sealed(seal_bytes(
            self.key.as_ref(),
            self.id_bytes()?,
            value.as_bytes(),
            &aad,
        )?))
    }

    /// Opens the sealed `secret` stored as `field` of `location`: the value
    /// as a plain [`Secret`], or [`Error::TamperedSecret`] if the blob was
    /// altered, moved, or sealed under another key.
    pub fn open(
        &self,
        secret: &Secret,
        book_id: &str,
        location: LocationId,
        field: SecretField,
    ) -> Result<Secret> {
        let tampered = || Error::TamperedSecret {
            location_id: location.to_string(),
            field: field.to_string(),
        };
        let Some(blob) = secret.sealed_blob() else {
            return Ok(secret.clone());
        };
        if blob_key_id(blob).as_deref() != Some(self.id.as_str()) {
            return Err(tampered());
        }
        let aad = secret_aad(book_id, location, field);
        let opened = open_bytes(self.key.as_ref(), blob, &aad).ok_or_else(tampered)?;
        let text = Zeroizing::new(String::from_utf8(opened.to_vec()).map_err(|_| tampered())?);
        Secret::new(text.as_str(), field.as_str()).map_err(|_| tampered())
    }

    fn id_bytes(&self) -> Result<[u8; KEY_ID_BYTES]> {
        let mut bytes = [0; KEY_ID_BYTES];
        for (index, byte) in bytes.iter_mut().enumerate() {
            *byte = self
                .id
                .get(index * 2..index * 2 + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
                .ok_or(Error::WrongKey)?;
        }
        Ok(bytes)
    }
}

/// The id of the data key a sealed blob was sealed under, if it is one.
pub(crate) fn blob_key_id(blob: &[u8]) -> Option<String> {
    (blob.first() == Some(&BLOB_VERSION) && blob.len() > 1 + KEY_ID_BYTES + NONCE_BYTES)
        .then(|| hex(&blob[1..=KEY_ID_BYTES]))
}

/// A new random salt for a key provider.
fn new_salt() -> Vec<u8> {
    let mut salt = vec![0; SALT_BYTES];
    OsRng.fill_bytes(&mut salt);
    salt
}

/// A new random book id (32 hex digits), bound into every blob.
pub(crate) fn new_book_id() -> String {
    let mut id = [0; 16];
    OsRng.fill_bytes(&mut id);
    hex(&id)
}

/// A key-encryption key as a provider gave it, checked for length; a
/// passphrase provider's key comes with the cost it used, returned as the
/// bytes to store before the salt.
pub(crate) fn check_kek(kek: Option<Vec<u8>>) -> Result<(Zeroizing<Vec<u8>>, Vec<u8>)> {
    let mut kek = kek.map(Zeroizing::new).ok_or_else(|| Error::Locked {
        doing: "unlocking the book (the key provider had no key)".to_owned(),
    })?;
    let cost = match kek.len() {
        KEY_BYTES => Vec::new(),
        n if n == KEY_BYTES + KdfCost::HEADER_BYTES
            && kek[KEY_BYTES..].starts_with(KdfCost::MAGIC) =>
        {
            kek[KEY_BYTES..].to_vec()
        }
        n => {
            return Err(Error::invalid(
                "provider",
                format!("gave a key of {n} bytes; a key is {KEY_BYTES} bytes"),
            ));
        }
    };
    kek.truncate(KEY_BYTES);
    Ok((kek, cost))
}

/// A new key-encryption key from `provider` over a new random salt: the key,
/// and the salt to store beside the wrapped data key (with the cost a
/// passphrase provider derived it at, so later unlocks use that cost).
pub(crate) fn new_kek(provider: &dyn KeyProvider) -> Result<(Zeroizing<Vec<u8>>, Vec<u8>)> {
    let salt = new_salt();
    let (kek, mut stored) = check_kek(provider.key_encryption_key(salt.clone()))?;
    stored.extend_from_slice(&salt);
    Ok((kek, stored))
}

fn secret_aad(book_id: &str, location: LocationId, field: SecretField) -> Vec<u8> {
    format!("poolbook/1|{book_id}|location_secrets|{location}|{field}").into_bytes()
}

fn wrap_aad(book_id: &str, key_id: &str) -> Vec<u8> {
    format!("poolbook/1|{book_id}|data_key|{key_id}").into_bytes()
}

fn seal_bytes(key: &[u8], key_id: [u8; KEY_ID_BYTES], plain: &[u8], aad: &[u8]) -> Result<Vec<u8>> {
    let cipher = XChaCha20Poly1305::new_from_slice(key).map_err(|_| Error::WrongKey)?;
    let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
    let sealed = cipher
        .encrypt(&nonce, Payload { msg: plain, aad })
        .map_err(|_| Error::invalid("secret", "could not be sealed"))?;
    let mut blob = Vec::with_capacity(1 + KEY_ID_BYTES + NONCE_BYTES + sealed.len());
    blob.push(BLOB_VERSION);
    blob.extend_from_slice(&key_id);
    blob.extend_from_slice(&nonce);
    blob.extend_from_slice(&sealed);
    Ok(blob)
}

fn open_bytes(key: &[u8], blob: &[u8], aad: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    if blob.first() != Some(&BLOB_VERSION) || blob.len() < 1 + KEY_ID_BYTES + NONCE_BYTES + 16 {
        return None;
    }
    let cipher = XChaCha20Poly1305::new_from_slice(key).ok()?;
    let nonce = XNonce::from_slice(&blob[1 + KEY_ID_BYTES..1 + KEY_ID_BYTES + NONCE_BYTES]);
    let msg = &blob[1 + KEY_ID_BYTES + NONCE_BYTES..];
    cipher
        .decrypt(nonce, Payload { msg, aad })
        .ok()
        .map(Zeroizing::new)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn location() -> LocationId {
        LocationId::new()
    }

    #[test]
    fn a_sealed_value_opens_only_where_it_was_sealed() {
        let key = DataKey::generate();
        let (here, there) = (location(), location());
        let sealed = key
            .seal("4417#", "book-a", here, SecretField::GateCode)
            .unwrap();
        assert!(sealed.is_sealed());
        let opened = key
            .open(&sealed, "book-a", here, SecretField::GateCode)
            .unwrap();
        assert_eq!(opened.reveal(), Some("4417#"));
        for (book, at, field) in [
            ("book-b", here, SecretField::GateCode),
            ("book-a", there, SecretField::GateCode),
            ("book-a", here, SecretField::AlarmCode),
        ] {
            assert!(matches!(
                key.open(&sealed, book, at, field),
                Err(Error::TamperedSecret { .. })
            ));
        }
        let mut blob = sealed.sealed_blob().unwrap().to_vec();
        let last = blob.len() - 1;
        blob[last] ^= 1;
        assert!(matches!(
            key.open(&Secret::sealed(blob), "book-a", here, SecretField::GateCode),
            Err(Error::TamperedSecret { .. })
        ));
        let other = DataKey::generate();
        assert!(
            other
                .open(&sealed, "book-a", here, SecretField::GateCode)
                .is_err()
        );
    }

    #[test]
    fn a_wrapped_key_opens_with_its_kek_only() {
        let key = DataKey::generate();
        let kek = [7u8; KEY_BYTES];
        let wrapped = key.wrap(&kek, "book-a").unwrap();
        let back = DataKey::unwrap(&key.id, &wrapped, &kek, "book-a").unwrap();
        let sealed = key
            .seal("1234", "book-a", location(), SecretField::GateCode)
            .unwrap();
        assert_eq!(
            blob_key_id(sealed.sealed_blob().unwrap()),
            Some(back.id.clone())
        );
        assert!(matches!(
            DataKey::unwrap(&key.id, &wrapped, &[8u8; KEY_BYTES], "book-a"),
            Err(Error::WrongKey)
        ));
        assert!(matches!(
            DataKey::unwrap(&key.id, &wrapped, &kek, "book-b"),
            Err(Error::WrongKey)
        ));
    }

    #[test]
    fn a_hundred_thousand_seals_repeat_no_nonce() {
        let key = DataKey::generate();
        let at = location();
        let mut nonces = std::collections::HashSet::new();
        for _ in 0..100_000 {
            let sealed = key.seal("1234", "book", at, SecretField::GateCode).unwrap();
            let blob = sealed.sealed_blob().unwrap();
            assert!(nonces.insert(blob[1 + KEY_ID_BYTES..1 + KEY_ID_BYTES + NONCE_BYTES].to_vec()));
        }
    }

    #[test]
    fn a_passphrase_derives_the_same_key_from_the_same_salt() {
        let provider = passphrase_key_provider_with_cost("correct horse".into(), 64, 1).unwrap();
        let salt = new_salt();
        let first = provider.key_encryption_key(salt.clone()).unwrap();
        assert_eq!(first.len(), KEY_BYTES + KdfCost::HEADER_BYTES);
        assert_eq!(provider.key_encryption_key(salt).unwrap(), first);
        assert_ne!(provider.key_encryption_key(new_salt()).unwrap(), first);
        assert!(passphrase_key_provider("short".into()).is_err());
        assert!(static_key_provider(vec![0; 31]).is_err());
    }

    #[test]
    fn a_passphrase_key_is_derived_at_the_cost_stored_with_the_salt() {
        let cheap = passphrase_key_provider_with_cost("correct horse".into(), 64, 1).unwrap();
        let (kek, stored) = new_kek(cheap.as_ref()).unwrap();
        let expected_cost = KdfCost {
            memory_kib: 64,
            iterations: 1,
        };
        assert_eq!(stored[..KdfCost::HEADER_BYTES], expected_cost.header());
        assert_eq!(stored.len(), KdfCost::HEADER_BYTES + SALT_BYTES);
        // The same passphrase at another cost derives the same key from the
        // stored salt: the stored cost wins.
        let dearer = passphrase_key_provider_with_cost("correct horse".into(), 128, 2).unwrap();
        let (again, _) = check_kek(dearer.key_encryption_key(stored.clone())).unwrap();
        assert_eq!(again, kek);
        let (other, _) = check_kek(
            passphrase_key_provider_with_cost("wrong horse!".into(), 64, 1)
                .unwrap()
                .key_encryption_key(stored.clone()),
        )
        .unwrap();
        assert_ne!(other, kek);
        // A file cannot make opening it allocate without bound.
        let mut greedy = stored.clone();
        greedy[6..10].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(dearer.key_encryption_key(greedy).is_none());
        // A host's key carries no cost: the salt is stored as it was given.
        let (_, plain) = new_kek(static_key_provider(vec![3; 32]).unwrap().as_ref()).unwrap();
        assert_eq!(plain.len(), SALT_BYTES);
    }
}
