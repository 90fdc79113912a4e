//! `cargo xtask codegen --model M --out DIR`: a complete standalone crate for any awsQuery model.
//!
//! The crate carries its own copy of the runtime, taken from `generated-client/src/runtime/`
//! (the one place of truth), the generated files, a `lib.rs` derived from the SES client's, and a
//! `Cargo.toml` whose dependencies are those of `ses-client` with workspace versions resolved, so
//! it builds from any folder with no path dependency on this workspace.

use std::path::{Path, PathBuf};

const CLIENT: &str = "generated-client";

/// Features of `ses-client` that gate its hand-written SES modules (`mail_from`), which
/// standalone crates do not get.
const SES_ONLY_FEATURES: &[&str] = &["dns-check"];

/// Every file of the standalone crate, as (relative path, contents).
pub fn crate_files(
    root: &Path,
    crate_name: &str,
    summary: &codegen::Summary,
    generated: &[codegen::File],
) -> Result<Vec<(PathBuf, String)>, String> {
    let mut files = Vec::new();
    files.push((
        PathBuf::from("Cargo.toml"),
        cargo_toml(root, crate_name, summary)?,
    ));
    files.push((
        PathBuf::from("src/lib.rs"),
        lib_rs(root, crate_name, summary)?,
    ));
    let runtime = root.join(CLIENT).join("src/runtime");
    // Doc examples in the runtime name the SES crate; here they must name this one.
    let crate_path = format!("{}::", crate_name.replace('-', "_"));
    for path in rs_files(&runtime)? {
        let rel = path.strip_prefix(&runtime).map_err(|e| e.to_string())?;
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let text = text.replace("ses_client::", &crate_path);
        files.push((Path::new("src/runtime").join(rel), text));
    }
    for f in generated {
        files.push((Path::new("src/generated").join(&f.path), f.contents.clone()));
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
    // The SES crate's hand-written SES modules (`mail_from`) are not copied.
    let body: Vec<&str> = text
        .lines()
        .skip_while(|l| l.starts_with("//!"))
        .filter(|l| !l.contains("mod mail_from"))
        .collect();
    Ok(format!(
        "//! A typed client for {} ({} operations), generated from its Smithy model by\n\
         //! `cargo xtask codegen` of the ses-client project. Crate `{crate_name}`.\n\
         //! `src/generated/` and `src/runtime/` are copies: regenerate rather than edit.\n{}\n",
        summary.title,
        summary.operations,
        body.join("\n")
    ))
}

/// The package manifest: `ses-client`'s dependencies with workspace versions resolved.
fn cargo_toml(root: &Path, crate_name: &str, summary: &codegen::Summary) -> Result<String, String> {
    let read = |p: PathBuf| -> Result<toml::Table, String> {
        let text =
            std::fs::read_to_string(&p).map_err(|e| format!("cannot read {}: {e}", p.display()))?;
        text.parse::<toml::Table>()
            .map_err(|e| format!("cannot parse {}: {e}", p.display()))
    };
    let ws = read(root.join("Cargo.toml"))?;
    let client = read(root.join(CLIENT).join("Cargo.toml"))?;
    let ws_deps = ws
        .get("workspace")
        .and_then(|w| w.get("dependencies"))
        .and_then(|d| d.as_table())
        .ok_or("the workspace Cargo.toml has no [workspace.dependencies]")?;
    let resolve = |section: &str| -> Result<toml::Table, String> {
        let mut out = toml::Table::new();
        let Some(deps) = client.get(section).and_then(|d| d.as_table()) else {
            return Ok(out);
        };
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
                    // Features added by the member are unioned with the workspace's.
                    if let Some(extra) = t.get("features").and_then(|f| f.as_array()) {
                        let mut feats = table
                            .get("features")
                            .and_then(|f| f.as_array())
                            .cloned()
                            .unwrap_or_default();
                        for f in extra {
                            if !feats.contains(f) {
                                feats.push(f.clone());
                            }
                        }
                        table.insert("features".into(), toml::Value::Array(feats));
                    }
                    toml::Value::Table(table)
                }
                _ => spec.clone(),
            };
            out.insert(name.clone(), resolved);
        }
        Ok(out)
    };
    let mut package = toml::Table::new();
    package.insert("name".into(), toml::Value::String(crate_name.into()));
    package.insert("version".into(), toml::Value::String("0.1.0".into()));
    package.insert("edition".into(), toml::Value::String("2024".into()));
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
    // Features that gate runtime code (e.g. `aws-config-bridge`) are kept; those of the SES
    // crate's own hand-written modules (not copied) go, with the optional dependencies only
    // they enable.
    let mut deps = resolve("dependencies")?;
    if let Some(features) = client.get("features").and_then(|f| f.as_table()) {
        let mut kept = toml::Table::new();
        for (name, enables) in features {
            if SES_ONLY_FEATURES.contains(&name.as_str()) {
                for dep in enables.as_array().into_iter().flatten() {
                    if let Some(dep) = dep.as_str().and_then(|d| d.strip_prefix("dep:")) {
                        deps.remove(dep);
                    }
                }
            } else {
                kept.insert(name.clone(), enables.clone());
            }
        }
        doc.insert("features".into(), toml::Value::Table(kept));
    }
    doc.insert("dependencies".into(), toml::Value::Table(deps));
    // The workspace's benchmarks are not copied, so neither is their harness.
    let mut dev = resolve("dev-dependencies")?;
    dev.remove("criterion");
    doc.insert("dev-dependencies".into(), toml::Value::Table(dev));
    // Its own workspace root, so building it inside another workspace's folder works.
    doc.insert("workspace".into(), toml::Value::Table(toml::Table::new()));
    Ok(format!(
        "# @generated by `cargo xtask codegen --out`. Do not edit by hand.\n{doc}"
    ))
}

/// `SES` -> `ses-client`.
pub fn default_crate_name(sdk_id: &str) -> String {
    let base: String = sdk_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("{}-client", base.trim_matches('-'))
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
