//! `cargo xtask codegen` and `cargo xtask import`.

use std::path::{Path, PathBuf};
use std::time::Instant;

/// Where the shipped client's generated files live.
pub const GENERATED_DIR: &str = "generated-client/src/generated";
/// The model the shipped client is generated from.
pub const SES_MODEL: &str = "models/ses.json";

#[derive(Debug)]
struct Args {
    check: bool,
    model: Option<PathBuf>,
    out: Option<PathBuf>,
    crate_name: Option<String>,
    operations: Option<Vec<String>>,
    protocol_tests: bool,
    cases: Option<PathBuf>,
    /// `--vendor-runtime`: copy the runtime crate into the `--out` crate instead of depending on
    /// this workspace's `runtime/` by path.
    vendor_runtime: bool,
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut out = Args {
        check: false,
        model: None,
        out: None,
        crate_name: None,
        operations: None,
        protocol_tests: false,
        cases: None,
        vendor_runtime: false,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match a.as_str() {
            "--check" => out.check = true,
            "--protocol-tests" => out.protocol_tests = true,
            "--vendor-runtime" => out.vendor_runtime = true,
            "--model" => out.model = Some(PathBuf::from(value("--model")?)),
            "--out" => out.out = Some(PathBuf::from(value("--out")?)),
            "--crate-name" => out.crate_name = Some(value("--crate-name")?),
            "--config" => {
                let path = value("--config")?;
                apply_config_file(&mut out, Path::new(&path))?;
            }
            "--cases" => out.cases = Some(PathBuf::from(value("--cases")?)),
            "--operations" => {
                let v = value("--operations")?;
                let ops: Vec<String> = v
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect();
                if ops.is_empty() {
                    return Err("--operations needs at least one operation name".into());
                }
                out.operations = Some(ops);
            }
            other => return Err(format!("unknown argument `{other}` for codegen")),
        }
    }
    Ok(out)
}

/// Reads a small TOML file with the same settings as the flags:
/// `model`, `out`, `crate-name`, `operations = ["A", "B"]`, `protocol-tests`.
/// Flags given before `--config` are overridden by it; flags after it win.
fn apply_config_file(args: &mut Args, path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let table: toml::Table = text
        .parse()
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let base = path.parent().unwrap_or(Path::new("."));
    for (key, value) in &table {
        let string = || {
            value
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("{}: `{key}` must be a string", path.display()))
        };
        match key.as_str() {
            "model" => args.model = Some(base.join(string()?)),
            "out" => args.out = Some(base.join(string()?)),
            "crate-name" => args.crate_name = Some(string()?),
            "protocol-tests" => {
                args.protocol_tests = value.as_bool().ok_or_else(|| {
                    format!("{}: `protocol-tests` must be true or false", path.display())
                })?
            }
            "operations" => {
                let list = value.as_array().ok_or_else(|| {
                    format!("{}: `operations` must be a list of names", path.display())
                })?;
                let ops: Option<Vec<String>> =
                    list.iter().map(|v| v.as_str().map(str::to_owned)).collect();
                let ops = ops.ok_or_else(|| {
                    format!("{}: `operations` must be a list of names", path.display())
                })?;
                if ops.is_empty() {
                    return Err(format!("{}: `operations` is empty", path.display()));
                }
                args.operations = Some(ops);
            }
            other => {
                return Err(format!(
                    "{}: unknown key `{other}` (model, out, crate-name, operations, protocol-tests)",
                    path.display()
                ));
            }
        }
    }
    Ok(())
}

pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let args = parse_args(args)?;
    let started = Instant::now();
    let model_path = args.model.clone().unwrap_or_else(|| root.join(SES_MODEL));
    let json = std::fs::read_to_string(&model_path)
        .map_err(|e| format!("cannot read model {}: {e}", model_path.display()))?;
    let source_name = model_path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "model".into());
    let extra_cases = match &args.cases {
        None => None,
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read cases {}: {e}", path.display()))?;
            let doc: serde_json::Value = serde_json::from_str(&text)
                .map_err(|e| format!("cannot parse cases {}: {e}", path.display()))?;
            Some(doc)
        }
    };
    let crate_name = match (&args.out, &args.crate_name) {
        (Some(_), Some(n)) => n.clone(),
        (Some(_), None) => String::new(),
        _ => "ses-client".to_owned(),
    };
    // Descriptions in the project's own words sit next to the model: `ses.json` -> `ses.notes.json`.
    let notes_path = model_path.with_extension("notes.json");
    let notes = match std::fs::read_to_string(&notes_path) {
        Ok(text) => {
            codegen::parse_notes(&text).map_err(|e| format!("{}: {e}", notes_path.display()))?
        }
        Err(_) => Default::default(),
    };
    let opts = codegen::Options {
        notes,
        crate_name,
        operations: args.operations.clone(),
        protocol_tests: args.protocol_tests || extra_cases.is_some(),
        extra_cases,
        source_name: if args.model.is_none() {
            SES_MODEL.to_owned()
        } else {
            source_name
        },
    };
    // One generation: with no crate name given, the generator names the crate after the service
    // (the same default `--out` uses for the package).
    let (files, summary) =
        codegen::generate_with_service_context(&json, &opts).map_err(|e| e.to_string())?;
    if let Some(out) = &args.out {
        let name = args
            .crate_name
            .clone()
            .unwrap_or_else(|| crate::standalone::default_crate_name(&summary.sdk_id));
        let files =
            crate::standalone::crate_files(root, &name, &summary, &files, args.vendor_runtime)?;
        // Sources an earlier generation wrote but this one does not (the runtime copy of
        // generators before the runtime crate, a vendored runtime no longer asked for, an
        // operation filtered out) would still be compiled or clash.
        let report = sync_files(
            out,
            &files,
            &[out.join("src"), out.join("vendor")],
            args.check,
        )?;
        if !report.stale.is_empty() {
            return Err(format!(
                "{} file(s) of {} are stale: {}",
                report.stale.len(),
                out.display(),
                report.stale.join(", ")
            ));
        }
        println!(
            "codegen: {summary}, crate `{name}`, {} files ({} written) in {} in {:.2?}",
            files.len(),
            report.written,
            out.display(),
            started.elapsed()
        );
        return Ok(());
    }
    if args.crate_name.is_some() {
        return Err("--crate-name goes with --out".into());
    }
    let dir = root.join(GENERATED_DIR);
    let files: Vec<(PathBuf, String)> = files
        .into_iter()
        .map(|f| (PathBuf::from(f.path), f.contents))
        .collect();
    let report = sync_files(&dir, &files, std::slice::from_ref(&dir), args.check)?;
    if args.check {
        if report.stale.is_empty() {
            println!(
                "codegen --check: {} files up to date ({summary})",
                files.len()
            );
            return Ok(());
        }
        for s in &report.stale {
            eprintln!("stale: {GENERATED_DIR}/{s}");
        }
        return Err(format!(
            "{} generated file(s) are stale; run `cargo xtask codegen`",
            report.stale.len()
        ));
    }
    println!(
        "codegen: {summary}, {} files ({} written) in {GENERATED_DIR} in {:.2?}",
        files.len(),
        report.written,
        started.elapsed()
    );
    Ok(())
}

/// What [`sync_files`] did or, in check mode, found.
#[derive(Debug, Default)]
struct SyncReport {
    /// Files written (changed or new).
    written: usize,
    /// In check mode: files that differ or are missing, and leftovers, by path.
    stale: Vec<String>,
}

/// The one way generated files reach the disk, for every mode: `files` (paths relative to
/// `base`) are written where their contents differ (unchanged files keep their timestamps), and
/// `.rs` files under `leftover_dirs` that are not among them are removed. With `check`, nothing
/// is written or removed; what would be is reported as stale.
fn sync_files(
    base: &Path,
    files: &[(PathBuf, String)],
    leftover_dirs: &[PathBuf],
    check: bool,
) -> Result<SyncReport, String> {
    let mut report = SyncReport::default();
    for (rel, contents) in files {
        let path = base.join(rel);
        if std::fs::read_to_string(&path).ok().as_deref() == Some(contents.as_str()) {
            continue;
        }
        if check {
            report.stale.push(rel.display().to_string());
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, contents)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        report.written += 1;
    }
    for dir in leftover_dirs {
        if !dir.is_dir() {
            continue;
        }
        for path in crate::standalone::rs_files(dir)? {
            if files.iter().any(|(rel, _)| base.join(rel) == path) {
                continue;
            }
            if check {
                let shown = path.strip_prefix(base).unwrap_or(&path);
                report
                    .stale
                    .push(format!("{} (no longer generated)", shown.display()));
                continue;
            }
            std::fs::remove_file(&path)
                .map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
        }
    }
    Ok(report)
}

pub fn import(root: &Path, args: &[String]) -> Result<(), String> {
    let mut from = None;
    let mut to = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--from" => from = it.next().cloned(),
            "--to" => to = it.next().cloned(),
            other => return Err(format!("unknown argument `{other}` for import")),
        }
    }
    let from = from.ok_or("import needs --from UPSTREAM_MODEL.json")?;
    let to = root.join(to.ok_or("import needs --to models/NAME.json")?);
    let upstream =
        std::fs::read_to_string(&from).map_err(|e| format!("cannot read {from}: {e}"))?;
    let stripped = codegen::import::strip_model(&upstream).map_err(|e| e.to_string())?;
    // Prove the result still generates before writing it.
    codegen::generate(&stripped, &codegen::Options::default())
        .map_err(|e| format!("the imported model does not generate: {e}"))?;
    std::fs::write(&to, &stripped).map_err(|e| format!("cannot write {}: {e}", to.display()))?;
    println!(
        "import: {} bytes -> {} ({} bytes)",
        upstream.len(),
        to.display(),
        stripped.len()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sync_files_writes_checks_and_removes_leftovers_the_same_way() {
        let base = std::env::temp_dir().join(format!("xtask-sync-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let src = base.join("src");
        std::fs::create_dir_all(&src).unwrap();
        std::fs::write(src.join("old.rs"), "// no longer generated").unwrap();
        std::fs::write(src.join("same.rs"), "same").unwrap();
        let files = vec![
            (PathBuf::from("src/same.rs"), "same".to_owned()),
            (PathBuf::from("src/new/deep.rs"), "new".to_owned()),
        ];
        // Check mode: reports, touches nothing.
        let report = sync_files(&base, &files, std::slice::from_ref(&src), true).unwrap();
        assert_eq!(report.written, 0);
        assert_eq!(
            report.stale,
            ["src/new/deep.rs", "src/old.rs (no longer generated)"]
        );
        assert!(src.join("old.rs").exists() && !src.join("new").exists());
        // Write mode: writes what differs, removes the leftover; then nothing is stale.
        let report = sync_files(&base, &files, std::slice::from_ref(&src), false).unwrap();
        assert_eq!(report.written, 1);
        assert!(!src.join("old.rs").exists());
        assert_eq!(
            std::fs::read_to_string(src.join("new/deep.rs")).unwrap(),
            "new"
        );
        let report = sync_files(&base, &files, std::slice::from_ref(&src), true).unwrap();
        assert!(report.stale.is_empty(), "{:?}", report.stale);
        let _ = std::fs::remove_dir_all(&base);
    }

    /// Fails `cargo test` when `generated-client/src/generated/` is not what the generator
    /// produces from `models/ses.json` (run `cargo xtask codegen`).
    #[test]
    fn generated_client_is_fresh() {
        // Exactly what `cargo xtask codegen --check` does.
        let root = crate::workspace_root();
        if let Err(e) = run(&root, &["--check".to_owned()]) {
            panic!("{e}");
        }
    }

    #[test]
    fn parses_codegen_arguments() {
        let args: Vec<String> = ["--check", "--operations", "A, B,", "--model", "m.json"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let a = parse_args(&args).unwrap();
        assert!(a.check);
        assert_eq!(a.operations, Some(vec!["A".to_owned(), "B".to_owned()]));
        assert_eq!(a.model, Some(PathBuf::from("m.json")));
        assert!(parse_args(&["--operations".to_owned(), ",".to_owned()]).is_err());
        assert!(parse_args(&["--bogus".to_owned()]).is_err());
        assert!(parse_args(&["--model".to_owned()]).is_err());
    }

    #[test]
    fn reads_a_config_file() {
        let dir = std::env::temp_dir().join(format!("xtask-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("codegen.toml");
        std::fs::write(
            &path,
            "model = \"m.json\"\nout = \"out\"\noperations = [\"SetIdentityMailFromDomain\"]\n",
        )
        .unwrap();
        let a = parse_args(&["--config".to_owned(), path.display().to_string()]).unwrap();
        assert_eq!(a.model, Some(dir.join("m.json")));
        assert_eq!(a.out, Some(dir.join("out")));
        assert_eq!(
            a.operations,
            Some(vec!["SetIdentityMailFromDomain".to_owned()])
        );
        std::fs::write(&path, "operations = \"x\"\n").unwrap();
        assert!(
            parse_args(&["--config".to_owned(), path.display().to_string()])
                .unwrap_err()
                .contains("list")
        );
        std::fs::write(&path, "bogus = 1\n").unwrap();
        assert!(
            parse_args(&["--config".to_owned(), path.display().to_string()])
                .unwrap_err()
                .contains("unknown key")
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
