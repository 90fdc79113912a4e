//! `cargo xtask corpus [DIR]`: the generator run over every model of a folder of AWS models.
//!
//! Every `*.json` in DIR (default `$AWS_QUERY_SHARED_DIR/models`) goes through the generator in
//! process, on every core: parse, IR (built for any protocol), protocol check and emission.
//! Nothing is written into the repository. Each model's `smithy.rules#endpointTests` run
//! through the runtime's rules engine ([`endpoints`]). The command prints one table per
//! protocol (generated, generated with details left out, refused), one line per refusal and per
//! omission, the endpoint test results and the time, and writes the whole report as JSON to
//! `target/corpus/report.json`.
//!
//! It fails on a panic, on a model of a protocol the generator emits (awsQuery) that is refused,
//! on a model of another protocol refused for anything but its protocol, and on a failing
//! endpoint test. A stack overflow aborts the process (non-zero); the model then being
//! generated is named in `target/corpus/in-flight.txt`.
//!
//! `--build N` also builds a deterministic sample of N generated crates (`all`: every one) in
//! the shared target directory of `cargo xtask test`, with clippy `-D warnings`.

mod endpoints;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use codegen::ir::{Omission, OmissionKind};

/// Whether the emitters speak `protocol` (`awsQuery`): a model of it must generate.
fn emitted(protocol: &str) -> bool {
    codegen::protocol::PROTOCOLS
        .iter()
        .any(|p| p.id().strip_prefix("aws.protocols#") == Some(protocol))
}
/// Protocol traits, in the order a model's protocol is named by (SQS declares awsJson1_0 and
/// awsQueryCompatible; awsQueryCompatible is not a protocol of its own).
const PROTOCOLS: &[&str] = &[
    "awsQuery",
    "ec2Query",
    "awsJson1_0",
    "awsJson1_1",
    "restJson1",
    "restXml",
];
/// The largest model file read (EC2's, the largest AWS model, is 3.3 MB here; AWS's own export
/// is about 5.4 MB).
pub const MAX_MODEL_BYTES: u64 = 64 << 20;
/// The stack of a worker thread: as large as a main thread's is by default on Linux, since
/// syn and prettyplease recurse over generated code (bounded by the IR's nesting limits).
const WORKER_STACK: usize = 8 << 20;

pub const USAGE: &str = "usage: cargo xtask corpus [DIR] [--build N|all] [--jobs N]

Runs the generator over every *.json model in DIR (default $AWS_QUERY_SHARED_DIR/models, that is
../shared/models), in process and on every core, writing nothing into the repository; runs
every model's smithy.rules#endpointTests through the runtime's rules engine; prints a table per
protocol (generated, generated with details left out, refused), every refusal and omission, the
endpoint test results and the time; writes target/corpus/report.json.

Fails on a panic or crash, on a refused awsQuery model, on a model of another protocol refused
for anything but its protocol, and on a failing endpoint test.

  --build N     also build and clippy-check (-D warnings) N generated crates, chosen evenly
                from the generated ones in file order (all: every one), in target/corpus/crates
                with the target directory target/generated
  --jobs N      worker threads (default: the number of cores)
  -h, --help    this text";

#[derive(Debug)]
struct Args {
    dir: Option<PathBuf>,
    build: Option<Build>,
    jobs: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Build {
    Sample(usize),
    All,
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut out = Args {
        dir: None,
        build: None,
        jobs: None,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match a.as_str() {
            "--build" => {
                let v = value("--build")?;
                out.build = Some(if v == "all" {
                    Build::All
                } else {
                    Build::Sample(
                        v.parse()
                            .map_err(|_| format!("--build takes a number or `all`, not `{v}`"))?,
                    )
                });
            }
            "--jobs" => {
                let v = value("--jobs")?;
                match v.parse::<usize>() {
                    Ok(n) if n > 0 => out.jobs = Some(n),
                    _ => return Err(format!("--jobs takes a positive number, not `{v}`")),
                }
            }
            other if other.starts_with('-') => {
                return Err(format!("unknown argument `{other}` for corpus"));
            }
            dir if out.dir.is_none() => out.dir = Some(PathBuf::from(dir)),
            extra => {
                return Err(format!(
                    "unknown argument `{extra}` for corpus (one DIR only)"
                ));
            }
        }
    }
    Ok(out)
}

/// What became of one model.
#[derive(Debug)]
pub struct ModelReport {
    pub file: String,
    pub service: Option<String>,
    /// The protocol it is grouped under (`none` when it declares none or cannot be read).
    pub protocol: String,
    pub status: Status,
    pub omissions: Vec<Omission>,
    pub operations: usize,
    /// Non-blank lines of generated Rust.
    pub lines: usize,
    /// `None` when the model has no endpoint tests (or its IR could not be built).
    pub endpoint_tests: Option<endpoints::Outcome>,
    /// Operations of the IR (any protocol) that set endpoint rule parameters, and those of them
    /// whose parameters the generator cannot read from the input (`operation`, reason): what
    /// the client would leave out once the protocol is emitted.
    pub endpoint_params: (usize, Vec<(String, String)>),
    pub millis: u128,
}

#[derive(Debug)]
pub enum Status {
    Generated,
    /// The generator refused it; `protocol_only` when the one reason is its protocol.
    Refused {
        reason: String,
        protocol_only: bool,
    },
    Panicked(String),
}

impl ModelReport {
    /// Whether this model makes the command fail.
    fn fails(&self) -> bool {
        let endpoint_failed = self
            .endpoint_tests
            .as_ref()
            .is_some_and(|o| !o.failed.is_empty());
        endpoint_failed
            || match &self.status {
                Status::Generated => false,
                Status::Refused { protocol_only, .. } => !protocol_only || emitted(&self.protocol),
                Status::Panicked(_) => true,
            }
    }

    fn column(&self) -> usize {
        match &self.status {
            Status::Generated if self.omissions.is_empty() => 0,
            Status::Generated => 1,
            Status::Refused { .. } => 2,
            Status::Panicked(_) => 3,
        }
    }
}

/// Runs the generator over one model file: everything but writing files.
pub fn analyze(path: &Path) -> ModelReport {
    let started = Instant::now();
    let file = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut report = ModelReport {
        file: file.clone(),
        service: None,
        protocol: "none".into(),
        status: Status::Refused {
            reason: String::new(),
            protocol_only: false,
        },
        omissions: Vec::new(),
        operations: 0,
        lines: 0,
        endpoint_tests: None,
        endpoint_params: (0, Vec::new()),
        millis: 0,
    };
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        generate(path, &file, &mut report)
    }));
    report.status = match outcome {
        Ok(Ok(())) => Status::Generated,
        Ok(Err((reason, protocol_only))) => Status::Refused {
            reason,
            protocol_only,
        },
        Err(payload) => Status::Panicked(
            payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "a panic without a message".into()),
        ),
    };
    report.millis = started.elapsed().as_millis();
    report
}

/// The pipeline, filling `report` as it goes; `Err((reason, protocol_only))` on a refusal.
fn generate(path: &Path, file: &str, report: &mut ModelReport) -> Result<(), (String, bool)> {
    let refused = |e: codegen::Error| (e.one_line().to_string(), false);
    let json = read_bounded(path).map_err(|e| (e, false))?;
    let model = codegen::model::parse(&json).map_err(refused)?;
    if let Some((id, traits)) = model.shapes.iter().find_map(|(id, s)| match s {
        codegen::model::Shape::Service { traits, .. } => Some((id, traits)),
        _ => None,
    }) {
        report.service = Some(id.clone());
        report.protocol = PROTOCOLS
            .iter()
            .find(|p| traits.contains_key(&format!("aws.protocols#{p}")))
            .map_or("none", |p| p)
            .to_owned();
    }
    let service = codegen::ir::build(&model, &codegen::ir::BuildOptions::default())
        .map_err(|e| refused(e.in_service(report.service.as_deref().unwrap_or(file))))?;
    report.omissions = service.omissions.clone();
    report.operations = service.operations.len();
    for op in service
        .operations
        .iter()
        .filter(|op| !op.context_params.is_empty())
    {
        report.endpoint_params.0 += 1;
        if let Err(why) = op.context_params.plan(&service, &op.input) {
            report.endpoint_params.1.push((op.id.clone(), why));
        }
    }
    if let Some(cases) = &service.endpoint_tests {
        report.endpoint_tests = Some(endpoints::run(&service.endpoint_rules, cases));
    }
    if let Err(e) = codegen::protocol::for_service(&service) {
        return Err((e.to_string(), true));
    }
    let opts = codegen::Options {
        source_name: file.to_owned(),
        ..codegen::Options::default()
    };
    let id = service.id.clone();
    let (files, summary) =
        codegen::emit_service(&model, service, &opts).map_err(|e| refused(e.in_service(&id)))?;
    // What the protocol left out too (operations it cannot send).
    report.omissions = summary.omissions;
    report.operations = summary.operations;
    report.lines = files
        .iter()
        .map(|f| f.contents.lines().filter(|l| !l.trim().is_empty()).count())
        .sum();
    Ok(())
}

fn read_bounded(path: &Path) -> Result<String, String> {
    use std::io::Read;
    let cannot = |e: std::io::Error| format!("cannot read {}: {e}", path.display());
    let file = std::fs::File::open(path).map_err(cannot)?;
    // The limit holds for what is read, even if the file grows while it is read.
    let mut text = String::new();
    file.take(MAX_MODEL_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(cannot)?;
    if text.len() as u64 > MAX_MODEL_BYTES {
        return Err(format!(
            "{} is over the limit of {MAX_MODEL_BYTES} bytes",
            path.display()
        ));
    }
    Ok(text)
}

/// The model files of `dir`, sorted by name.
fn model_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot list {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json") && p.is_file())
        .collect();
    out.sort();
    if out.is_empty() {
        return Err(format!("{} holds no *.json model", dir.display()));
    }
    Ok(out)
}

/// Analyzes every model on `jobs` threads; reports in file order.
pub fn analyze_all(files: &[PathBuf], jobs: usize, in_flight: &Path) -> Vec<ModelReport> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<ModelReport>>> = Mutex::new(files.iter().map(|_| None).collect());
    let flight: Mutex<BTreeMap<usize, String>> = Mutex::new(BTreeMap::new());
    let note_flight = |map: &BTreeMap<usize, String>| {
        let text: String = map.values().map(|f| format!("{f}\n")).collect();
        let _ = std::fs::write(in_flight, text);
    };
    std::thread::scope(|scope| {
        for _ in 0..jobs.max(1) {
            let worker = std::thread::Builder::new()
                .stack_size(WORKER_STACK)
                .spawn_scoped(scope, || {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(path) = files.get(i) else { break };
                        if let Ok(mut m) = flight.lock() {
                            m.insert(i, path.display().to_string());
                            note_flight(&m);
                        }
                        let report = analyze(path);
                        if let Ok(mut m) = flight.lock() {
                            m.remove(&i);
                            note_flight(&m);
                        }
                        if let Ok(mut r) = results.lock() {
                            r[i] = Some(report);
                        }
                    }
                });
            if let Err(e) = worker {
                eprintln!("corpus: cannot start a worker thread: {e}");
            }
        }
    });
    let results = results.into_inner().unwrap_or_else(|p| p.into_inner());
    files
        .iter()
        .zip(results)
        .map(|(path, r)| {
            r.unwrap_or_else(|| ModelReport {
                file: path.display().to_string(),
                service: None,
                protocol: "none".into(),
                status: Status::Panicked("no worker analyzed it".into()),
                omissions: Vec::new(),
                operations: 0,
                lines: 0,
                endpoint_tests: None,
                endpoint_params: (0, Vec::new()),
                millis: 0,
            })
        })
        .collect()
}

/// The text report: the summary (tables, refusals, omission counts, endpoint test counts and
/// failures, time) and the details (every omission).
pub fn render(reports: &[ModelReport], wall: std::time::Duration, jobs: usize) -> (String, String) {
    let mut out = String::new();
    let mut details = String::new();
    let mut by_protocol: BTreeMap<&str, [usize; 4]> = BTreeMap::new();
    for r in reports {
        by_protocol.entry(&r.protocol).or_default()[r.column()] += 1;
    }
    let _ = writeln!(
        out,
        "{:<12} {:>7} {:>9} {:>14} {:>8} {:>8}",
        "protocol", "models", "generated", "with omissions", "refused", "panicked"
    );
    let mut total = [0; 4];
    let order = PROTOCOLS.iter().copied().chain(["none"]);
    for p in order {
        if let Some(c) = by_protocol.get(p) {
            let _ = writeln!(
                out,
                "{:<12} {:>7} {:>9} {:>14} {:>8} {:>8}",
                p,
                c.iter().sum::<usize>(),
                c[0],
                c[1],
                c[2],
                c[3]
            );
            for (t, n) in total.iter_mut().zip(c) {
                *t += n;
            }
        }
    }
    let _ = writeln!(
        out,
        "{:<12} {:>7} {:>9} {:>14} {:>8} {:>8}",
        "all",
        total.iter().sum::<usize>(),
        total[0],
        total[1],
        total[2],
        total[3]
    );

    let _ = writeln!(out, "\nrefusals:");
    let mut protocol_refusals: BTreeMap<&str, usize> = BTreeMap::new();
    for r in reports {
        match &r.status {
            Status::Refused {
                protocol_only: true,
                ..
            } => *protocol_refusals.entry(&r.protocol).or_default() += 1,
            Status::Refused { reason, .. } => {
                let _ = writeln!(out, "  REFUSED {} ({}): {reason}", r.file, r.protocol);
            }
            Status::Panicked(why) => {
                let _ = writeln!(out, "  PANICKED {} ({}): {why}", r.file, r.protocol);
            }
            Status::Generated => {}
        }
    }
    for (p, n) in &protocol_refusals {
        let _ = writeln!(
            out,
            "  {n} {p} model(s) refused for their protocol only (IR built; not emitted yet)"
        );
    }

    let mut kinds: BTreeMap<OmissionKind, (usize, BTreeMap<String, usize>)> = BTreeMap::new();
    for r in reports {
        for o in &r.omissions {
            let e = kinds.entry(o.kind).or_default();
            e.0 += 1;
            *e.1.entry(reason_class(&o.reason)).or_default() += 1;
        }
    }
    let _ = writeln!(out, "\nomissions by kind and reason:");
    for (kind, (n, reasons)) in &kinds {
        let _ = writeln!(out, "  {:<10} {n}", kind.as_str());
        for (reason, m) in reasons {
            let _ = writeln!(out, "    {m:>6}  {reason}");
        }
    }
    let _ = writeln!(details, "omissions:");
    for r in reports {
        for o in &r.omissions {
            let _ = writeln!(details, "  {}: {o}", r.file);
        }
    }

    let with_params: Vec<&ModelReport> =
        reports.iter().filter(|r| r.endpoint_params.0 > 0).collect();
    let setting: usize = with_params.iter().map(|r| r.endpoint_params.0).sum();
    let unreadable: usize = with_params.iter().map(|r| r.endpoint_params.1.len()).sum();
    let _ = writeln!(
        out,
        "\nendpoint parameters set by operations (IR of every protocol's models):\n  \
         {setting} operations in {} models set them; {unreadable} of them read what the \
         generator cannot (left out where the protocol is emitted)",
        with_params.len()
    );
    for r in &with_params {
        let _ = writeln!(
            out,
            "    {:>4}  {} ({})",
            r.endpoint_params.0, r.file, r.protocol
        );
        for (op, why) in &r.endpoint_params.1 {
            let _ = writeln!(out, "    {}: {op}: {why}", r.file);
        }
    }

    let (mut passed, mut failed, mut with_tests) = (0, 0, 0);
    let _ = writeln!(out, "\nendpoint tests (runtime rules engine, in process):");
    for r in reports {
        if let Some(o) = &r.endpoint_tests {
            with_tests += 1;
            passed += o.passed;
            failed += o.failed.len();
            for (case, why) in &o.failed {
                let _ = writeln!(out, "  FAILED {}: {case}: {why}", r.file);
            }
        }
    }
    let no_tests: Vec<&str> = reports
        .iter()
        .filter(|r| r.endpoint_tests.is_none())
        .map(|r| r.file.as_str())
        .collect();
    let _ = writeln!(
        out,
        "  {with_tests} models with endpoint tests: {passed} passed, {failed} failed"
    );
    if !no_tests.is_empty() {
        let _ = writeln!(
            out,
            "  {} without endpoint tests: {}",
            no_tests.len(),
            no_tests.join(", ")
        );
    }
    let cpu: u128 = reports.iter().map(|r| r.millis).sum();
    let lines: usize = reports.iter().map(|r| r.lines).sum();
    let _ = writeln!(
        out,
        "\ncorpus: {} models in {:.1} s on {jobs} thread(s) ({:.1} s of model time), {lines} lines generated",
        reports.len(),
        wall.as_secs_f64(),
        cpu as f64 / 1000.0
    );
    (out, details)
}

/// The reason of an omission without what names one shape, so that the report can count by
/// reason: backquoted text (a pattern, a member) becomes `…`, a parenthesis and what follows
/// it go, and so does anything after a second `:`.
fn reason_class(reason: &str) -> String {
    let mut out = String::new();
    let mut quoted = false;
    for c in reason.chars() {
        match c {
            '`' if quoted => quoted = false,
            '`' => {
                quoted = true;
                out.push('…');
            }
            '(' if !quoted => break,
            _ if !quoted => out.push(c),
            _ => {}
        }
    }
    let cut = out.match_indices(':').nth(1).map_or(out.len(), |(i, _)| i);
    out[..cut].trim().trim_end_matches('.').to_owned()
}

fn json_report(reports: &[ModelReport], wall: std::time::Duration) -> serde_json::Value {
    use serde_json::json;
    let models: Vec<_> = reports
        .iter()
        .map(|r| {
            let (status, reason) = match &r.status {
                Status::Generated if r.omissions.is_empty() => ("generated", None),
                Status::Generated => ("generated-with-omissions", None),
                Status::Refused {
                    reason,
                    protocol_only: true,
                } => ("refused-protocol", Some(reason.clone())),
                Status::Refused { reason, .. } => ("refused", Some(reason.clone())),
                Status::Panicked(why) => ("panicked", Some(why.clone())),
            };
            json!({
                "file": r.file,
                "service": r.service,
                "protocol": r.protocol,
                "status": status,
                "reason": reason,
                "operations": r.operations,
                "lines": r.lines,
                "millis": r.millis as u64,
                "omissions": r.omissions.iter().map(|o| json!({
                    "kind": o.kind.as_str(), "item": o.item, "reason": o.reason,
                })).collect::<Vec<_>>(),
                "endpoint_tests": r.endpoint_tests.as_ref().map(|o| json!({
                    "passed": o.passed,
                    "failed": o.failed.iter().map(|(c, w)| json!({"case": c, "why": w})).collect::<Vec<_>>(),
                })),
            })
        })
        .collect();
    json!({ "format": "corpus-report/1", "wall_seconds": wall.as_secs_f64(), "models": models })
}

/// The shared data's models folder.
fn default_dir(root: &Path) -> PathBuf {
    std::env::var_os(crate::step::SHARED_DIR_VAR)
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("..").join("shared"))
        .join("models")
}

/// Runs the corpus over `dir` and prints the report; `Err` when any model fails it. Returns
/// the reports for callers that go on (the test step builds some of the generated ones).
pub fn run_corpus(
    root: &Path,
    dir: &Path,
    jobs: usize,
    print_details: bool,
) -> Result<Vec<ModelReport>, String> {
    let files = model_files(dir)?;
    let report_dir = root.join("target").join("corpus");
    std::fs::create_dir_all(&report_dir)
        .map_err(|e| format!("cannot create {}: {e}", report_dir.display()))?;
    let started = Instant::now();
    let reports = analyze_all(&files, jobs, &report_dir.join("in-flight.txt"));
    let wall = started.elapsed();
    let (summary, details) = render(&reports, wall, jobs);
    let text_path = report_dir.join("report.txt");
    std::fs::write(&text_path, format!("{summary}\n{details}"))
        .map_err(|e| format!("cannot write {}: {e}", text_path.display()))?;
    if print_details {
        println!("{details}");
    }
    print!("{summary}");
    if !print_details {
        println!(
            "corpus: every omission is listed in {}",
            text_path.display()
        );
    }
    let json_path = report_dir.join("report.json");
    let text = serde_json::to_string_pretty(&json_report(&reports, wall))
        .map_err(|e| format!("cannot write the report: {e}"))?;
    std::fs::write(&json_path, text)
        .map_err(|e| format!("cannot write {}: {e}", json_path.display()))?;
    println!("corpus: report written to {}", json_path.display());
    let failing: Vec<&str> = reports
        .iter()
        .filter(|r| r.fails())
        .map(|r| r.file.as_str())
        .collect();
    if !failing.is_empty() {
        return Err(format!(
            "corpus: {} model(s) fail (refused, panicked or failing endpoint tests): {}",
            failing.len(),
            failing.join(", ")
        ));
    }
    Ok(reports)
}

/// `cargo xtask corpus ARGS`.
pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let args = parse_args(args)?;
    let dir = args.dir.clone().unwrap_or_else(|| default_dir(root));
    let jobs = args.jobs.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(usize::from)
            .unwrap_or(1)
    });
    let reports = run_corpus(root, &dir, jobs, true)?;
    if let Some(build) = args.build {
        let generated: Vec<&ModelReport> = reports
            .iter()
            .filter(|r| matches!(r.status, Status::Generated))
            .collect();
        let chosen = sample(&generated, build);
        let files: Vec<PathBuf> = chosen.iter().map(|r| dir.join(&r.file)).collect();
        build_crates(root, &files, &crate::step::TestContext::new(root))?;
    }
    Ok(())
}

/// `n` of `items`, evenly spaced in their order (the first always among them).
fn sample<T: Copy>(items: &[T], build: Build) -> Vec<T> {
    match build {
        Build::All => items.to_vec(),
        Build::Sample(n) if n >= items.len() => items.to_vec(),
        Build::Sample(0) => Vec::new(),
        Build::Sample(n) => (0..n).map(|i| items[i * items.len() / n]).collect(),
    }
}

/// Generates each model as a standalone crate under `target/corpus/crates/<file stem>` and builds
/// and clippy-checks it, warnings denied, in the shared target directory.
pub fn build_crates(
    root: &Path,
    models: &[PathBuf],
    ctx: &crate::step::TestContext,
) -> Result<(), String> {
    let target_dir = root.join(crate::step::GENERATED_TARGET_DIR);
    for model in models {
        let stem = model
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let out = root
            .join("target")
            .join("corpus")
            .join("crates")
            .join(&stem);
        let started = Instant::now();
        crate::codegen_cmd::run(
            root,
            &[
                "--model".to_owned(),
                model.to_string_lossy().into_owned(),
                "--out".to_owned(),
                out.to_string_lossy().into_owned(),
            ],
        )
        .map_err(|e| format!("generating {} failed: {e}", model.display()))?;
        std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock"))
            .map_err(|e| format!("cannot copy Cargo.lock into {}: {e}", out.display()))?;
        for sub in [
            &["build", "--all-targets"][..],
            &["clippy", "--all-targets"][..],
        ] {
            let mut cmd = ctx.cargo();
            cmd.current_dir(&out)
                .args(sub)
                .arg("--manifest-path")
                .arg(out.join("Cargo.toml"))
                .env("CARGO_TARGET_DIR", &target_dir)
                .env("RUSTFLAGS", crate::step::GENERATED_RUSTFLAGS)
                .env("CARGO_PROFILE_DEV_DEBUG", crate::step::GENERATED_DEBUG)
                .env("CARGO_INCREMENTAL", "0");
            if sub[0] == "clippy" {
                cmd.args(["--", "-D", "warnings"]);
            }
            crate::services::run_without_warnings(cmd, &stem)?;
        }
        println!(
            "  corpus build: {stem} built and clippy-checked warning-free in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// The `corpus` step of `cargo xtask test`: every model of the shared corpus through the
/// generator (and its endpoint tests), then the generated awsQuery crates that the services
/// step does not build, built and clippy-checked.
pub fn step<'a>() -> crate::step::Step<'a> {
    crate::step::Step::new(
        "corpus: every shared model generated, endpoint tests, awsQuery crates built",
        |ctx| {
            let root = ctx.workspace_root.clone();
            let Some(shared) = ctx
                .env
                .iter()
                .find(|(k, _)| k == crate::step::SHARED_DIR_VAR)
                .map(|(_, v)| PathBuf::from(v))
            else {
                eprintln!(
                    "\n************************************************************\n\
                     SKIPPED: corpus: {} is not set, so there are no models to run.\n\
                     ************************************************************",
                    crate::step::SHARED_DIR_VAR
                );
                return Ok(());
            };
            let dir = shared.join("models");
            let jobs = std::thread::available_parallelism()
                .map(usize::from)
                .unwrap_or(1);
            let reports = run_corpus(&root, &dir, jobs, false)?;
            let built = crate::services::shared_models();
            let to_build: Vec<PathBuf> = reports
                .iter()
                .filter(|r| {
                    matches!(r.status, Status::Generated)
                        && emitted(&r.protocol)
                        && !built.contains(&r.file.as_str())
                })
                .map(|r| dir.join(&r.file))
                .collect();
            build_crates(&root, &to_build, ctx)
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_are_evenly_spaced_and_deterministic() {
        let items: Vec<usize> = (0..10).collect();
        assert_eq!(sample(&items, Build::Sample(3)), vec![0, 3, 6]);
        assert_eq!(sample(&items, Build::Sample(20)), items);
        assert_eq!(sample(&items, Build::All), items);
        assert!(sample(&items, Build::Sample(0)).is_empty());
    }

    #[test]
    fn arguments() {
        let a = |v: &[&str]| parse_args(&v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>());
        let args = a(&["models", "--build", "4", "--jobs", "2"]).unwrap();
        assert_eq!(args.dir, Some(PathBuf::from("models")));
        assert_eq!(args.build, Some(Build::Sample(4)));
        assert_eq!(args.jobs, Some(2));
        assert_eq!(a(&["--build", "all"]).unwrap().build, Some(Build::All));
        assert!(a(&["--build", "x"]).unwrap_err().contains("--build"));
        assert!(a(&["--jobs", "0"]).unwrap_err().contains("--jobs"));
        assert!(a(&["--frob"]).unwrap_err().contains("unknown argument"));
        assert!(a(&["a", "b"]).unwrap_err().contains("one DIR"));
    }

    #[test]
    fn reason_classes_drop_the_details() {
        assert_eq!(
            reason_class(
                "Pattern `(?!x)` is not checked client-side: look-around is not supported."
            ),
            "Pattern … is not checked client-side: look-around is not supported"
        );
        assert_eq!(
            reason_class("Pattern `x` is not checked: not ECMA-262: `(?` starts no group"),
            "Pattern … is not checked: not ECMA-262"
        );
        assert_eq!(
            reason_class("its input needs `a$b`, which is left out: documents"),
            "its input needs …, which is left out: documents"
        );
        assert_eq!(reason_class("event streams (member `X`)"), "event streams");
        assert_eq!(reason_class("a `(` in quotes (then this)"), "a … in quotes");
        assert_eq!(reason_class("plain"), "plain");
    }
}
