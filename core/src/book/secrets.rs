//! The book's key and its secrets (ADR 0006): unlocking with a host's
//! [`KeyProvider`], sealing the codes a caller gives before they are stored,
//! the audited reveal, and rotating either key.

use std::sync::Arc;

use serde_json::Value;

use crate::book::{Book, now};
use crate::domain::sealing::{self, DataKey, KeyProvider};
use crate::model::{
    AccessDetails, Author, ChangeAction, Customer, FieldChange, NewChange, SecretField,
    SecretReveal, SecretRevealQuery,
};
use crate::store::{StoredKey, StoredSecret, Write, WriteBatch};
use crate::{EntityKind, Error, LocationId, Result, Secret};

/// The setting holding the book's random id, bound into every sealed blob.
const BOOK_ID_KEY: &str = "book_id";
/// The longest reason a reveal takes.
pub const MAX_REVEAL_REASON_CHARS: usize = 500;
/// The most reveals one audit query returns.
pub const MAX_REVEAL_PAGE: u32 = 10_000;

/// The book's data key and id while it is unlocked.
pub(crate) struct Unlocked {
    data_key: DataKey,
    book_id: String,
}

#[cfg_attr(feature = "uniffi", uniffi::export)]
impl Book {
    /// Unlocks the book's secrets with the key `provider` gives. The first
    /// unlock of a book makes its data key (random, stored only sealed under
    /// the provider's key) and seals any plain-text codes a book from before
    /// sealing holds, removing them from the file. A key that does not open
    /// the data key is [`Error::WrongKey`]; a provider with no key is
    /// [`Error::Locked`]. Until a book is unlocked everything but sealing and
    /// revealing secrets works.
    pub fn unlock(&self, provider: Arc<dyn KeyProvider>) -> Result<()> {
        let unlocked = match self.store.book_key()? {
            Some(stored) => {
                let book_id = self.store.setting(BOOK_ID_KEY)?.ok_or(Error::WrongKey)?;
                let (kek, _) =
                    sealing::check_kek(provider.key_encryption_key(stored.salt.clone()))?;
                let data_key = DataKey::unwrap(&stored.id, &stored.wrapped, &kek, &book_id)?;
                Unlocked { data_key, book_id }
            }
            None => self.make_key(provider.as_ref())?,
        };
        let plain = self.store.plain_secrets()?;
        *self.keys.write().unwrap_or_else(|p| p.into_inner()) = Some(Arc::new(unlocked));
        if !plain.is_empty() {
            self.seal_plain_secrets(plain)?;
        }
        Ok(())
    }

    /// Forgets the key: the book is locked again.
    pub fn lock(&self) {
        *self.keys.write().unwrap_or_else(|p| p.into_inner()) = None;
    }

    /// Whether the book holds its key (see [`Book::unlock`]).
    pub fn is_unlocked(&self) -> bool {
        self.keys
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .is_some()
    }

    /// Reveals one secret of a location for `author`, recording who, when,
    /// which field, on which device ([`crate::OpenOptions::device`]) and
    /// `reason` in the audit (never the value); `None` if the location has
    /// no such secret. A locked book is [`Error::Locked`]; a blob altered or
    /// moved in the file is [`Error::TamperedSecret`].
    pub fn reveal_secret(
        &self,
        location_id: LocationId,
        field: SecretField,
        author: &Author,
        reason: &str,
    ) -> Result<Option<Secret>> {
        author.check()?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(Error::invalid(
                "reason",
                "must say why the secret is needed",
            ));
        }
        if reason.chars().count() > MAX_REVEAL_REASON_CHARS {
            return Err(Error::invalid(
                "reason",
                format!("is longer than {MAX_REVEAL_REASON_CHARS} characters"),
            ));
        }
        let unlocked = self.unlocked(&format!("revealing the {field}"))?;
        let customer_id = self
            .store
            .location_owner(location_id)?
            .ok_or_else(|| Error::not_found(EntityKind::Location, location_id))?;
        let customer = self.customer(customer_id)?;
        let Some(location) = customer.locations.iter().find(|l| l.id == location_id) else {
            return Err(Error::not_found(EntityKind::Location, location_id));
        };
        let Some(sealed) = slot(&location.access, field) else {
            return Ok(None);
        };
        let revealed = unlocked
            .data_key
            .open(sealed, &unlocked.book_id, location_id, field)?;
        let at = now();
        self.store.apply(&WriteBatch {
            author: author.clone(),
            at,
            writes: vec![Write::RecordReveal(SecretReveal {
                at,
                author: author.clone(),
                location_id,
                customer_id,
                field,
                reason: reason.to_owned(),
                device: self.device.clone(),
            })],
            changes: Vec::new(),
        })?;
        Ok(Some(revealed))
    }

    /// Reveals of secrets, newest first: per location, per author and per
    /// period ("which codes did the technician who left last month open?").
    pub fn secret_reveals(&self, query: &SecretRevealQuery) -> Result<Vec<SecretReveal>> {
        crate::book::check_page_limit(query.limit, MAX_REVEAL_PAGE)?;
        self.store.secret_reveals(query)
    }

    /// Wraps the book's data key under the key `provider` gives instead of
    /// the current one (the book must be unlocked). Only the wrapped key is
    /// rewritten, whatever the book's size; the old key no longer opens it.
    pub fn rotate_key_encryption_key(
        &self,
        provider: Arc<dyn KeyProvider>,
        author: &Author,
    ) -> Result<()> {
        author.check()?;
        let unlocked = self.unlocked("rotating the key-encryption key")?;
        let (kek, salt) = sealing::new_kek(provider.as_ref())?;
        let stored = StoredKey {
            id: unlocked.data_key.id.clone(),
            wrapped: unlocked.data_key.wrap(&kek, &unlocked.book_id)?,
            salt,
            created_at: now(),
        };
        self.store.apply(&WriteBatch {
            author: author.clone(),
            at: now(),
            writes: vec![Write::PutKey(stored)],
            changes: vec![key_change(&unlocked.data_key.id, "rewrapped")],
        })?;
        self.store.purge_old_copies()
    }

    /// Replaces the book's data key with a new one and reseals every secret
    /// under it in one transaction (the book must be unlocked), wrapped under
    /// the key `provider` gives; no blob under the old key is left.
    pub fn rotate_data_key(&self, provider: Arc<dyn KeyProvider>, author: &Author) -> Result<()> {
        author.check()?;
        let unlocked = self.unlocked("rotating the data key")?;
        let fresh = DataKey::generate();
        let (kek, salt) = sealing::new_kek(provider.as_ref())?;
        let mut resealed = Vec::new();
        for stored in self.store.sealed_secrets()? {
            let opened = unlocked.data_key.open(
                &stored.secret,
                &unlocked.book_id,
                stored.location_id,
                stored.field,
            )?;
            let value = opened.reveal().unwrap_or_default();
            resealed.push(StoredSecret {
                secret: fresh.seal(value, &unlocked.book_id, stored.location_id, stored.field)?,
                ..stored
            });
        }
        let stored = StoredKey {
            id: fresh.id.clone(),
            wrapped: fresh.wrap(&kek, &unlocked.book_id)?,
            salt,
            created_at: now(),
        };
        let count = resealed.len();
        self.store.apply(&WriteBatch {
            author: author.clone(),
            at: now(),
            writes: vec![Write::PutSecrets(resealed), Write::PutKey(stored)],
            changes: vec![
                key_change(&fresh.id, "created"),
                secrets_change("resealed", count),
            ],
        })?;
        *self.keys.write().unwrap_or_else(|p| p.into_inner()) = Some(Arc::new(Unlocked {
            data_key: fresh,
            book_id: unlocked.book_id.clone(),
        }));
        self.store.purge_old_copies()
    }
}

impl Book {
    /// The unlocked key, or [`Error::Locked`] naming what needed it.
    fn unlocked(&self, doing: &str) -> Result<Arc<Unlocked>> {
        self.keys
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
            .ok_or_else(|| Error::Locked {
                doing: doing.to_owned(),
            })
    }

    /// Seals every secret of `record` a caller gave in the clear, as the
    /// field of its location; a secret equal to the one stored before
    /// (`previous`) is kept as it is. A sealed secret that is not the one
    /// stored for that location and field is refused: it can only stay
    /// where it was read.
    pub(crate) fn seal_secrets(
        &self,
        record: &mut Customer,
        previous: Option<&Customer>,
    ) -> Result<()> {
        for (index, location) in record.locations.iter_mut().enumerate() {
            let before = previous
                .and_then(|p| p.locations.iter().find(|l| l.id == location.id))
                .map(|l| l.access.clone());
            for &field in SecretField::ALL {
                let stored = before.as_ref().and_then(|access| slot(access, field));
                let path = format!("locations[{index}].access.{field}");
                let Some(secret) = slot_mut(&mut location.access, field) else {
                    continue;
                };
                if stored == Some(&*secret) {
                    continue;
                }
                let Some(value) = secret.reveal() else {
                    return Err(Error::invalid(
                        path,
                        "is a sealed secret read from another location or field; give the \
                         code itself to change it",
                    ));
                };
                let unlocked = self.unlocked(&format!("sealing {path}"))?;
                *secret = unlocked
                    .data_key
                    .seal(value, &unlocked.book_id, location.id, field)?;
            }
        }
        Ok(())
    }

    /// Makes the first data key of a book: random, wrapped under the key
    /// `provider` gives over a new salt, stored with a new book id.
    fn make_key(&self, provider: &dyn KeyProvider) -> Result<Unlocked> {
        let (kek, salt) = sealing::new_kek(provider)?;
        let existing = self.store.setting(BOOK_ID_KEY)?;
        let book_id = existing.clone().unwrap_or_else(sealing::new_book_id);
        let data_key = DataKey::generate();
        let stored = StoredKey {
            id: data_key.id.clone(),
            wrapped: data_key.wrap(&kek, &book_id)?,
            salt,
            created_at: now(),
        };
        let mut writes = vec![Write::PutKey(stored)];
        if existing.is_none() {
            writes.push(Write::PutSetting {
                key: BOOK_ID_KEY.to_owned(),
                value: book_id.clone(),
            });
        }
        self.store.apply(&WriteBatch {
            author: Author::system(),
            at: now(),
            writes,
            changes: vec![key_change(&data_key.id, "created")],
        })?;
        Ok(Unlocked { data_key, book_id })
    }

    /// Seals the plain-text codes of a book from before sealing, deletes
    /// them, and folds the log into the file so no copy is left.
    fn seal_plain_secrets(&self, plain: Vec<StoredSecret>) -> Result<()> {
        let unlocked = self.unlocked("sealing the book's plain-text secrets")?;
        let count = plain.len();
        let sealed = plain
            .into_iter()
            .map(|stored| {
                let value = stored.secret.reveal().unwrap_or_default().to_owned();
                Ok(StoredSecret {
                    secret: unlocked.data_key.seal(
                        &value,
                        &unlocked.book_id,
                        stored.location_id,
                        stored.field,
                    )?,
                    ..stored
                })
            })
            .collect::<Result<Vec<_>>>()?;
        self.store.apply(&WriteBatch {
            author: Author::system(),
            at: now(),
            writes: vec![Write::PutSecrets(sealed)],
            changes: vec![secrets_change("sealed", count)],
        })?;
        self.store.purge_old_copies()
    }
}

/// The secret in `field` of `access`.
fn slot(access: &AccessDetails, field: SecretField) -> Option<&Secret> {
    match field {
        SecretField::GateCode => access.gate_code.as_ref(),
        SecretField::LockCombination => access.lock_combination.as_ref(),
        SecretField::AlarmCode => access.alarm_code.as_ref(),
    }
}

/// The secret in `field` of `access`, to change it.
fn slot_mut(access: &mut AccessDetails, field: SecretField) -> Option<&mut Secret> {
    match field {
        SecretField::GateCode => access.gate_code.as_mut(),
        SecretField::LockCombination => access.lock_combination.as_mut(),
        SecretField::AlarmCode => access.alarm_code.as_mut(),
    }
}

/// The change-log row for the data key: made or rewrapped (its id, never the key).
fn key_change(key_id: &str, what: &str) -> NewChange {
    NewChange {
        entity: EntityKind::Setting,
        entity_id: "data_key".to_owned(),
        customer_id: None,
        action: if what == "created" {
            ChangeAction::Created
        } else {
            ChangeAction::Updated
        },
        changes: vec![FieldChange {
            field: what.to_owned(),
            before: Value::Null,
            after: Value::from(key_id),
            secret: false,
        }],
    }
}

/// The change-log row for secrets sealed or resealed in bulk (how many, never a value).
fn secrets_change(what: &str, count: usize) -> NewChange {
    NewChange {
        entity: EntityKind::Setting,
        entity_id: "secrets".to_owned(),
        customer_id: None,
        action: ChangeAction::Updated,
        changes: vec![FieldChange {
            field: what.to_owned(),
            before: Value::Null,
            after: Value::from(count),
            secret: false,
        }],
    }
}
