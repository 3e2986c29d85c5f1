//! How a book file is opened: for writing or reading only, how long a write
//! waits for another process's lock, and whether the file is checked first.

use serde::{Deserialize, Serialize};

crate::text_enum! {
    /// Whether opening a book file runs SQLite's `quick_check` over it first.
    /// The check reads every page (about 0.6 ms per MB from the page cache on
    /// 2 cores; docs/benchmarks.md), so by default only files up to
    /// [`QUICK_CHECK_MAX_BYTES`] are checked; [`crate::Book::check_integrity`]
    /// checks everything at any size.
    #[derive(Default)]
    pub enum OpenCheck {
        /// Never check on open.
        Never = "never",
        /// Check files up to [`QUICK_CHECK_MAX_BYTES`] (the default).
        #[default]
        SmallFiles = "small_files",
        /// Check every file, whatever its size.
        Always = "always",
    }
}

/// The largest file [`OpenCheck::SmallFiles`] checks on open: 64 MiB, about
/// 40 ms.
pub const QUICK_CHECK_MAX_BYTES: u64 = 64 * 1024 * 1024;

/// The default of [`OpenOptions::busy_timeout_ms`]: ten seconds.
pub const DEFAULT_BUSY_TIMEOUT_MS: u32 = 10_000;

/// The longest [`OpenOptions::busy_timeout_ms`]: ten minutes.
pub const MAX_BUSY_TIMEOUT_MS: u32 = 600_000;

/// How [`crate::Book::open_with`] opens a book file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(default)]
pub struct OpenOptions {
    /// Read only: nothing in the file changes, every write fails with
    /// [`crate::Error::ReadOnly`], and the file must already be current.
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub read_only: bool,
    /// How long a write waits for another process's lock before failing
    /// with [`crate::Error::Busy`], in milliseconds (0 fails at once; at most
    /// [`MAX_BUSY_TIMEOUT_MS`]).
    #[cfg_attr(feature = "uniffi", uniffi(default = 10000))]
    pub busy_timeout_ms: u32,
    /// Whether the file is checked with `quick_check` before it is used; a
    /// damaged file is then [`crate::Error::Corrupt`] at open. (Kotlin and
    /// Swift name it in every `OpenOptions`: a uniffi enum field cannot have
    /// a default.)
    pub check_on_open: OpenCheck,
    /// The device or app this book is opened on ("Ana's phone, field app
    /// 2.3"), recorded with every reveal of a secret (at most 200 characters).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub device: Option<String>,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            read_only: false,
            busy_timeout_ms: 10_000,
            check_on_open: OpenCheck::SmallFiles,
            device: None,
        }
    }
}
