//! Compiles every snapshot of `codegen/tests/snapshots/` as the client crate it is, and runs the
//! tests generated into it (endpoint tests, parser robustness, protocol tests), under
//! `cargo test --workspace`.
//!
//! Each snapshot is one test target (`tests/<fixture>.rs`), because generated code names its
//! crate root (`crate::generated::...`, `crate::operation::...`, `crate::runtime::...`): the
//! target includes the snapshot with `#[path = "../../codegen/tests/snapshots/<fixture>/mod.rs"]`
//! and calls [`client_crate_root!`] for the modules `generated-client/src/lib.rs` gives a client
//! crate. A snapshot that stops compiling fails `cargo test`; so does a generated test.
//!
//! Adding a fixture: its snapshot test in `codegen/tests/snapshots.rs`, then a file here and a
//! `[[test]]` entry in `Cargo.toml`.

/// The runtime the snapshots are built against (its `test-support` feature on).
pub use aws_client_runtime;

/// The crate-root items generated code refers to, as `generated-client/src/lib.rs` defines
/// them: `runtime` (the runtime crate), the re-exports of the generated modules (`generated`
/// must be declared first) and the runtime modules a client crate re-exports (`error`,
/// `config`, `primitives`, `paginator`, `waiter`).
#[macro_export]
macro_rules! client_crate_root {
    () => {
        /// The shared runtime, as generated code names it (`crate::runtime::...`).
        use $crate::aws_client_runtime as runtime;

        pub use generated::*;
        #[allow(unused_imports)]
        pub use $crate::aws_client_runtime::{Config, Credentials, RequestId};

        /// Configuration, as a client crate re-exports it.
        pub mod config {
            pub use $crate::aws_client_runtime::config::*;
        }

        /// Errors, as a client crate re-exports them.
        pub mod error {
            pub use $crate::aws_client_runtime::error::*;
        }

        /// Primitive types, as a client crate re-exports them.
        pub mod primitives {
            pub use $crate::aws_client_runtime::primitives::*;
        }

        /// Paginator types, as a client crate re-exports them.
        pub mod paginator {
            #[allow(unused_imports)]
            pub use $crate::aws_client_runtime::paginator::*;
        }

        /// Waiter types, as a client crate re-exports them.
        pub mod waiter {
            #[allow(unused_imports)]
            pub use $crate::aws_client_runtime::waiter::*;
        }
    };
}
