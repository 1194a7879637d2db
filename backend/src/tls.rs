//! The process's one TLS implementation.

/// Makes ring (which the mail client already uses) the TLS provider of every client that asks
/// rustls for the process default, reqwest's among them (federation). reqwest's own default
/// would compile a second implementation, aws-lc: a C build of more than a minute per build
/// profile, for nothing. Call it before building an HTTP client; every context does.
pub fn use_ring() {
    // An error only says a provider is installed already, which is all this asks.
    let _ = tokio_rustls::rustls::crypto::ring::default_provider().install_default();
}
