//! SigV4 request signing (see the unit tests and tests/sigv4_suites.rs).
