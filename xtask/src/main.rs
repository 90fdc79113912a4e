//! `cargo xtask`: the project's developer commands (see README.md).
//!
//! - `cargo xtask codegen [--check] [--model PATH --out DIR [--vendor-runtime]] [--operations A,B] [--protocol-tests] [--cases CASES.json]`
//! - `cargo xtask import --from UPSTREAM.json --to models/NAME.json`
//! - `cargo xtask test`
//! - `cargo xtask conformance` (the awsQuery protocol test suites alone)

mod codegen_cmd;
mod conformance;
mod moto;
mod services;
mod standalone;
mod test_cmd;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn workspace_root() -> PathBuf {
    // xtask/ lives directly under the workspace root.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

const USAGE: &str = "usage:
  cargo xtask codegen [--check] [--model PATH] [--out DIR [--vendor-runtime]] [--crate-name NAME] [--operations A,B,...] [--config FILE.toml] [--protocol-tests] [--cases CASES.json]
  cargo xtask import --from UPSTREAM_MODEL.json --to models/NAME.json
  cargo xtask test
  cargo xtask conformance";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => codegen_cmd::run(&root, &args[1..]),
        Some("import") => codegen_cmd::import(&root, &args[1..]),
        Some("test") => test_cmd::run_tests(&root),
        Some("conformance") => conformance::run_standalone(&root),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown or missing command\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
