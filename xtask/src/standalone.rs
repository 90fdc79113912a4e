//! `cargo xtask codegen --model M --out DIR`: a complete standalone crate for any awsQuery model.
//!
//! The crate holds the generated files, a `lib.rs` derived from the SES client's (its public
//! surface: `Client`, `Config`, `types`, `error`, ...), and a `Cargo.toml` that depends on the
//! shared runtime crate `aws-client-runtime`: by default by path, at this workspace's `runtime/`
//! (so the crate builds anywhere on this machine, and several generated crates share one runtime
//! build and one `Config` type); with `--vendor-runtime`, on a copy of the runtime crate placed in
//! `DIR/vendor/aws-client-runtime/` (its sources unchanged, its manifest with the workspace's
//! versions written out), for a self-contained tree.

use std::path::{Path, PathBuf};

const CLIENT: &str = "generated-client";
/// The runtime crate's folder in the workspace, and its package name.
const RUNTIME: &str = "runtime";
const RUNTIME_PACKAGE: &str = "aws-client-runtime";
/// Where `--vendor-runtime` puts the copy, relative to the generated crate.
pub const VENDORED_RUNTIME: &str = "vendor/aws-client-runtime";

/// Every file of the standalone crate, as (relative path, contents).
pub fn crate_files(
    root: &Path,
    crate_name: &str,
    summary: &codegen::Summary,
    generated: &[codegen::File],
    vendor_runtime: bool,
) -> Result<Vec<(PathBuf, String)>, String> {
    let mut files = Vec::new();
    let runtime_path = if vendor_runtime {
        VENDORED_RUNTIME.to_owned()
    } else {
        root.join(RUNTIME).to_string_lossy().into_owned()
    };
    files.push((
        PathBuf::from("Cargo.toml"),
        cargo_toml(root, crate_name, summary, &runtime_path)?,
    ));
    files.push((
        PathBuf::from("src/lib.rs"),
        lib_rs(root, crate_name, summary)?,
    ));
    for f in generated {
        files.push((Path::new("src/generated").join(&f.path), f.contents.clone()));
    }
    if vendor_runtime {
        let dir = root.join(RUNTIME);
        let vendored = Path::new(VENDORED_RUNTIME);
        files.push((vendored.join("Cargo.toml"), runtime_manifest(root)?));
        let src = dir.join("src");
        for path in rs_files(&src)? {
            let rel = path.strip_prefix(&dir).map_err(|e| e.to_string())?;
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            files.push((vendored.join(rel), text));
        }
    }
    Ok(files)
}

/// Every `.rs` file under `dir` (recursively), sorted.
pub(crate) fn rs_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries =
            std::fs::read_dir(&d).map_err(|e| format!("cannot list {}: {e}", d.display()))?;
        for e in entries {
            let p = e.map_err(|e| e.to_string())?.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// `ses-client`'s `lib.rs` with its crate docs replaced by ones naming this service.
fn lib_rs(root: &Path, crate_name: &str, summary: &codegen::Summary) -> Result<String, String> {
    let path = root.join(CLIENT).join("src/lib.rs");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    // The SES crate's hand-written SES modules (`mail_from`) are not copied, nor the SES
    // example of `test_util` (it names SES operations).
    let body: Vec<&str> = text
        .lines()
        .skip_while(|l| l.starts_with("//!"))
        .filter(|l| !l.contains("mod mail_from") && !l.contains("test_util_example.md"))
        .collect();
    Ok(format!(
        "//! A typed client for {} ({} operations), generated from its Smithy model by\n\
         //! `cargo xtask codegen` of the ses-client project. Crate `{crate_name}`.\n\
         //! `src/generated/` is generated: regenerate rather than edit. The runtime it calls into\n\
         //! is the `aws-client-runtime` crate, shared with every other generated client.\n{}\n",
        summary.title,
        summary.operations,
        body.join("\n")
    ))
}

fn read_toml(p: &Path) -> Result<toml::Table, String> {
    let text =
        std::fs::read_to_string(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?;
    text.parse::<toml::Table>()
        .map_err(|e| format!("cannot parse {}: {e}", p.display()))
}

/// The workspace's `[workspace.dependencies]` and `[workspace.package]`.
fn workspace_tables(root: &Path) -> Result<(toml::Table, toml::Table), String> {
    let ws = read_toml(&root.join("Cargo.toml"))?;
    let ws = ws
        .get("workspace")
        .and_then(|w| w.as_table())
        .ok_or("the workspace Cargo.toml has no [workspace]")?;
    let deps = ws
        .get("dependencies")
        .and_then(|d| d.as_table())
        .cloned()
        .ok_or("the workspace Cargo.toml has no [workspace.dependencies]")?;
    let package = ws
        .get("package")
        .and_then(|d| d.as_table())
        .cloned()
        .unwrap_or_default();
    Ok((deps, package))
}

/// A dependency table with `name.workspace = true` entries replaced by the workspace's
/// specification (features added by the member unioned with the workspace's).
fn resolve_deps(deps: &toml::Table, ws_deps: &toml::Table) -> Result<toml::Table, String> {
    let mut out = toml::Table::new();
    for (name, spec) in deps {
        let resolved = match spec.as_table() {
            Some(t) if t.get("workspace").and_then(|v| v.as_bool()) == Some(true) => {
                let base = ws_deps
                    .get(name)
                    .ok_or_else(|| format!("{name} is not a workspace dependency"))?;
                let mut table = match base {
                    toml::Value::String(v) => {
                        let mut t = toml::Table::new();
                        t.insert("version".into(), toml::Value::String(v.clone()));
                        t
                    }
                    toml::Value::Table(t) => t.clone(),
                    _ => {
                        return Err(format!(
                            "workspace dependency {name} has an unexpected form"
                        ));
                    }
                };
                for (k, v) in t {
                    match k.as_str() {
                        "workspace" => {}
                        "features" => {
                            let mut feats = table
                                .get("features")
                                .and_then(|f| f.as_array())
                                .cloned()
                                .unwrap_or_default();
                            for f in v.as_array().into_iter().flatten() {
                                if !feats.contains(f) {
                                    feats.push(f.clone());
                                }
                            }
                            table.insert("features".into(), toml::Value::Array(feats));
                        }
                        _ => {
                            table.insert(k.clone(), v.clone());
                        }
                    }
                }
                toml::Value::Table(table)
            }
            _ => spec.clone(),
        };
        out.insert(name.clone(), resolved);
    }
    Ok(out)
}

/// The runtime's manifest for a vendored copy: `.workspace = true` fields and dependencies
/// written out. Inside the generated crate's folder, it joins that crate's workspace.
fn runtime_manifest(root: &Path) -> Result<String, String> {
    let (ws_deps, ws_package) = workspace_tables(root)?;
    let mut doc = read_toml(&root.join(RUNTIME).join("Cargo.toml"))?;
    if let Some(package) = doc.get_mut("package").and_then(|p| p.as_table_mut()) {
        for (k, v) in package.iter_mut() {
            if v.get("workspace").and_then(|w| w.as_bool()) == Some(true) {
                *v = ws_package
                    .get(k)
                    .cloned()
                    .ok_or_else(|| format!("package.{k} is not in [workspace.package]"))?;
            }
        }
    }
    for section in ["dependencies", "dev-dependencies"] {
        if let Some(deps) = doc.get(section).and_then(|d| d.as_table()) {
            let resolved = resolve_deps(deps, &ws_deps)?;
            doc.insert(section.into(), toml::Value::Table(resolved));
        }
    }
    // The runtime's own test files are not copied.
    doc.remove("dev-dependencies");
    Ok(format!(
        "# Copied by `cargo xtask codegen --vendor-runtime` from the ses-client project's runtime/.\n\
         # Do not edit by hand: regenerate.\n{doc}"
    ))
}

/// The package manifest: the runtime crate (by `runtime_path`) and what the generated tests use.
fn cargo_toml(
    root: &Path,
    crate_name: &str,
    summary: &codegen::Summary,
    runtime_path: &str,
) -> Result<String, String> {
    let (ws_deps, ws_package) = workspace_tables(root)?;
    let mut package = toml::Table::new();
    package.insert("name".into(), toml::Value::String(crate_name.into()));
    package.insert("version".into(), toml::Value::String("0.1.0".into()));
    package.insert("edition".into(), toml::Value::String("2024".into()));
    if let Some(v) = ws_package.get("rust-version") {
        package.insert("rust-version".into(), v.clone());
    }
    package.insert(
        "description".into(),
        toml::Value::String(format!(
            "A typed client for {}, generated from its Smithy model",
            summary.title
        )),
    );
    package.insert("publish".into(), toml::Value::Boolean(false));
    let mut doc = toml::Table::new();
    doc.insert("package".into(), toml::Value::Table(package));
    let mut features = toml::Table::new();
    // The runtime's features of the same names: aws-config's `SdkConfig`, and the mocks of
    // `test_util` (`mock!`, `mock_client!`).
    for feature in ["aws-config-bridge", "test-util"] {
        features.insert(
            feature.into(),
            toml::Value::Array(vec![toml::Value::String(format!(
                "{RUNTIME_PACKAGE}/{feature}"
            ))]),
        );
    }
    doc.insert("features".into(), toml::Value::Table(features));
    let runtime = |features: &[&str]| {
        let mut t = toml::Table::new();
        t.insert("path".into(), toml::Value::String(runtime_path.to_owned()));
        if !features.is_empty() {
            t.insert(
                "features".into(),
                toml::Value::Array(
                    features
                        .iter()
                        .map(|f| toml::Value::String((*f).to_owned()))
                        .collect(),
                ),
            );
        }
        toml::Value::Table(t)
    };
    let mut deps = toml::Table::new();
    // The service's protocol (the runtime's protocol module and its codecs: `aws-query`, on by
    // default, or `ec2-query`; named so the crate keeps it without the defaults); flate2 only
    // for models with `@requestCompression` (generated code refuses to compile without the
    // feature then).
    let mut runtime_features: Vec<&str> = vec![summary.runtime_feature];
    if summary.request_compression {
        runtime_features.push("request-compression");
    }
    let runtime_features = &runtime_features[..];
    deps.insert(RUNTIME_PACKAGE.into(), runtime(runtime_features));
    doc.insert("dependencies".into(), toml::Value::Table(deps));
    // Generated tests (protocol tests, robustness) need the runtime's test support; smoke tests
    // run on tokio.
    let mut dev = toml::Table::new();
    let mut dev_features = vec!["test-support"];
    dev_features.extend_from_slice(runtime_features);
    dev.insert(RUNTIME_PACKAGE.into(), runtime(&dev_features));
    let mut tokio = toml::Table::new();
    tokio.insert("workspace".into(), toml::Value::Boolean(true));
    tokio.insert(
        "features".into(),
        toml::Value::Array(
            ["macros", "rt-multi-thread", "net", "io-util"]
                .iter()
                .map(|f| toml::Value::String((*f).to_owned()))
                .collect(),
        ),
    );
    let mut wanted = toml::Table::new();
    wanted.insert("tokio".into(), toml::Value::Table(tokio));
    dev.extend(resolve_deps(&wanted, &ws_deps)?);
    doc.insert("dev-dependencies".into(), toml::Value::Table(dev));
    // Its own workspace root, so building it inside another workspace's folder works.
    doc.insert("workspace".into(), toml::Value::Table(toml::Table::new()));
    Ok(format!(
        "# @generated by `cargo xtask codegen --out`. Do not edit by hand.\n{doc}"
    ))
}

/// `SES` -> `ses-client`.
pub fn default_crate_name(sdk_id: &str) -> String {
    codegen::default_crate_name(sdk_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_names() {
        assert_eq!(default_crate_name("SES"), "ses-client");
        assert_eq!(default_crate_name("CloudWatch"), "cloudwatch-client");
        assert_eq!(
            default_crate_name("Elastic Beanstalk"),
            "elastic-beanstalk-client"
        );
    }
}
