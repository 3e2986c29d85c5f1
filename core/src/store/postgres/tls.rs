//! TLS to the server, as libpq's connection parameters in the URL's query
//! ask (ADR 0016): `sslmode` (`disable`; `allow` and `prefer`, the default,
//! encrypt when the server can; `require` always encrypts; `verify-ca` also
//! checks the certificate's chain; `verify-full` also checks that it names
//! the host) and `sslrootcert` (a PEM file of the roots to trust, or
//! `system` for the system's own). tokio-postgres reads `sslmode` only up to
//! `require` and not `sslrootcert`, so the store takes both out of the URL
//! and builds the rustls configuration they describe.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::{Error, Result};

/// How much of the server's certificate is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verification {
    /// Nothing: the link is encrypted, but the server is not authenticated
    /// (`allow`, `prefer`, `require` without `sslrootcert`).
    None,
    /// Its chain, up to a trusted root (`verify-ca`; `require` with an
    /// `sslrootcert` file, as libpq does).
    Chain,
    /// Its chain, and that it names the host connected to (`verify-full`).
    ChainAndName,
}

/// Where the trusted roots come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Roots {
    /// The system's store (`sslrootcert=system`, or none named).
    System,
    /// A PEM file (`sslrootcert=/path/to/root.crt`).
    File(PathBuf),
}

/// What a URL asks of TLS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsRequest {
    /// How much of the certificate is checked.
    pub verification: Verification,
    /// The roots a checked chain must end in.
    pub roots: Roots,
}

/// The URL with libpq's TLS parameters rewritten for tokio-postgres
/// (`verify-ca` and `verify-full` read as `require`, `allow` as `prefer`,
/// `sslrootcert` taken out), and what they ask. A URL in `key=value` form is
/// returned as it is, with the default request.
pub fn read_url(url: &str) -> Result<(String, TlsRequest)> {
    let default = TlsRequest {
        verification: Verification::None,
        roots: Roots::System,
    };
    let is_url = url.starts_with("postgres://") || url.starts_with("postgresql://");
    let Some((base, query)) = url.split_once('?').filter(|_| is_url) else {
        return Ok((url.to_owned(), default));
    };
    let mut mode = None;
    let mut root_cert = None;
    let mut kept = Vec::new();
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        match pair.split_once('=') {
            Some(("sslmode", value)) => mode = Some(percent_decoded(value)?),
            Some(("sslrootcert", value)) => root_cert = Some(percent_decoded(value)?),
            _ => kept.push(pair.to_owned()),
        }
    }
    let roots = match root_cert.as_deref() {
        None | Some("system") => Roots::System,
        Some(path) => Roots::File(PathBuf::from(path)),
    };
    let system_named = root_cert.as_deref() == Some("system");
    let (passed_mode, verification) = match mode.as_deref() {
        None if system_named => ("require", Verification::ChainAndName),
        Some("disable" | "allow" | "prefer" | "require") if system_named => {
            return Err(Error::invalid(
                "url",
                "sslrootcert=system needs sslmode=verify-ca or verify-full \
                 (as libpq: the system's roots are for checking a certificate)",
            ));
        }
        None | Some("prefer") => ("prefer", Verification::None),
        Some("allow") => ("prefer", Verification::None),
        Some("disable") => ("disable", Verification::None),
        Some("require") if root_cert.is_some() => ("require", Verification::Chain),
        Some("require") => ("require", Verification::None),
        Some("verify-ca") => ("require", Verification::Chain),
        Some("verify-full") => ("require", Verification::ChainAndName),
        Some(other) => {
            return Err(Error::invalid(
                "url",
                format!(
                    "sslmode {other:?} is not one of disable, allow, prefer, require, \
                     verify-ca, verify-full"
                ),
            ));
        }
    };
    kept.push(format!("sslmode={passed_mode}"));
    let request = TlsRequest {
        verification,
        roots,
    };
    Ok((format!("{base}?{}", kept.join("&")), request))
}

/// A URL query value with its `%XX` escapes decoded.
fn percent_decoded(value: &str) -> Result<String> {
    let bytes = value.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] == b'%' {
            let byte = value
                .get(at + 1..at + 3)
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
                .ok_or_else(|| Error::invalid("url", "has a % not followed by two hex digits"))?;
            decoded.push(byte);
            at += 3;
        } else {
            decoded.push(bytes[at]);
            at += 1;
        }
    }
    String::from_utf8(decoded)
        .map_err(|_| Error::invalid("url", "has a %-escaped value that is not UTF-8"))
}

/// The connector that does what `request` asks (used only when the server
/// and `sslmode` agree on TLS; Unix sockets never use it).
pub fn connector(request: &TlsRequest) -> Result<Tls> {
    // ring, not rustls's default aws-lc-rs: it builds in seconds with no
    // toolchain beyond a C compiler; it lacks post-quantum key exchange,
    // which is why rustls marks it deprecated (ADR 0016).
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|error| Error::storage("setting up TLS", error))?;
    let webpki = match request.verification {
        Verification::None => None,
        Verification::Chain | Verification::ChainAndName => {
            let roots = Arc::new(trusted_roots(&request.roots)?);
            let verifier = WebPkiServerVerifier::builder_with_provider(roots, provider.clone())
                .build()
                .map_err(|error| Error::storage("setting up TLS", error))?;
            Some(verifier)
        }
    };
    let config = builder
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(Checked {
            verification: request.verification,
            webpki,
            provider,
        }))
        .with_no_client_auth();
    Ok(Tls {
        connect: MakeRustlsConnect::new(config),
    })
}

/// The trusted roots `roots` names; refused if there are none.
fn trusted_roots(roots: &Roots) -> Result<RootCertStore> {
    let mut store = RootCertStore::empty();
    match roots {
        Roots::System => {
            let found = rustls_native_certs::load_native_certs();
            store.add_parsable_certificates(found.certs);
        }
        Roots::File(path) => {
            let unreadable = |problem: String| {
                Error::invalid("url", format!("sslrootcert {}: {problem}", path.display()))
            };
            let certificates = CertificateDer::pem_file_iter(path)
                .map_err(|error| unreadable(error.to_string()))?
                .collect::<std::result::Result<Vec<_>, _>>()
                .map_err(|error| unreadable(error.to_string()))?;
            let (added, _) = store.add_parsable_certificates(certificates);
            if added == 0 {
                return Err(unreadable("holds no certificate".to_owned()));
            }
        }
    }
    if store.is_empty() {
        return Err(Error::invalid(
            "url",
            "sslrootcert: the system has no trusted root certificates; name a file",
        ));
    }
    Ok(store)
}

/// The TLS connector of a store's connections.
#[derive(Clone)]
pub struct Tls {
    /// tokio-postgres's hook.
    pub connect: MakeRustlsConnect,
}

impl fmt::Debug for Tls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tls").finish_non_exhaustive()
    }
}

/// The check of the server's certificate `verification` asks for. The
/// handshake's signatures are always checked (the server holds the key of
/// the certificate it shows), whatever is checked of the certificate.
#[derive(Debug)]
struct Checked {
    verification: Verification,
    /// Chain (and name) checks against the trusted roots; `None` when the
    /// certificate is not checked.
    webpki: Option<Arc<WebPkiServerVerifier>>,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for Checked {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        let Some(webpki) = &self.webpki else {
            return Ok(ServerCertVerified::assertion());
        };
        match webpki.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
        {
            // verify-ca: the chain is what counts, not the name.
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) if self.verification == Verification::Chain => Ok(ServerCertVerified::assertion()),
            checked => checked,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(url: &str) -> (String, TlsRequest) {
        read_url(url).unwrap()
    }

    #[test]
    fn libpq_tls_parameters_are_read_and_rewritten_for_tokio_postgres() {
        let (url, request) = read("postgresql://u@db.example.com/book");
        assert_eq!(url, "postgresql://u@db.example.com/book");
        assert_eq!(request.verification, Verification::None);
        let (url, request) = read(
            "postgresql://u@db.example.com/book?application_name=x&sslmode=verify-full\
             &sslrootcert=%2Fetc%2Fpg%20ca.crt",
        );
        assert_eq!(
            url,
            "postgresql://u@db.example.com/book?application_name=x&sslmode=require"
        );
        assert_eq!(
            request,
            TlsRequest {
                verification: Verification::ChainAndName,
                roots: Roots::File("/etc/pg ca.crt".into()),
            }
        );
        assert_eq!(
            read("postgres://h/d?sslmode=verify-ca").1.verification,
            Verification::Chain
        );
        assert_eq!(
            read("postgres://h/d?sslmode=require&sslrootcert=/r.crt")
                .1
                .verification,
            Verification::Chain,
            "require with a root file checks the chain, as libpq does"
        );
        assert_eq!(
            read("postgres://h/d?sslmode=allow").0,
            "postgres://h/d?sslmode=prefer"
        );
        let (url, request) = read("postgres://h/d?sslrootcert=system");
        assert_eq!(url, "postgres://h/d?sslmode=require");
        assert_eq!(request.verification, Verification::ChainAndName);
        assert_eq!(read("host=/tmp dbname=d").0, "host=/tmp dbname=d");
    }

    #[test]
    fn bad_tls_parameters_are_refused_naming_the_url() {
        for url in [
            "postgres://h/d?sslmode=verify-everything",
            "postgres://h/d?sslmode=require&sslrootcert=system",
            "postgres://h/d?sslrootcert=%zz",
        ] {
            let error = read_url(url).unwrap_err();
            assert!(
                matches!(&error, Error::Invalid { field, .. } if field == "url"),
                "{url}: {error:?}"
            );
        }
        let missing = TlsRequest {
            verification: Verification::ChainAndName,
            roots: Roots::File("/nonexistent/root.crt".into()),
        };
        let error = connector(&missing).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("sslrootcert /nonexistent/root.crt"),
            "{error}"
        );
    }
}
