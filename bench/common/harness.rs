//! The measuring loop both bench binaries share (included with `#[path]`, so neither binary
//! gains a dependency from it): parses `once` / `seq N` / `conc N C`, runs the call, and prints
//! calls, elapsed time, calls/s and process CPU time (user + sys from `getrusage`) per call.
//!
//! Loops are bounded twice: by N and by `SESBENCH_MAX_SECS` (default 60 s).

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

#[cfg(not(all(target_os = "linux", target_pointer_width = "64")))]
compile_error!("the bench harness reads getrusage with the 64-bit Linux layout");

#[repr(C)]
struct Timeval {
    sec: i64,
    usec: i64,
}

#[repr(C)]
struct Rusage {
    utime: Timeval,
    stime: Timeval,
    _rest: [i64; 14],
}

unsafe extern "C" {
    fn getrusage(who: i32, usage: *mut Rusage) -> i32;
}

/// (user, sys) CPU time of the whole process so far.
pub fn cpu_times() -> (Duration, Duration) {
    let mut ru = Rusage {
        utime: Timeval { sec: 0, usec: 0 },
        stime: Timeval { sec: 0, usec: 0 },
        _rest: [0; 14],
    };
    // SAFETY: RUSAGE_SELF (0) and a properly sized, writable struct.
    let rc = unsafe { getrusage(0, &mut ru) };
    assert_eq!(rc, 0, "getrusage failed");
    let d = |t: &Timeval| Duration::from_secs(t.sec as u64) + Duration::from_micros(t.usec as u64);
    (d(&ru.utime), d(&ru.stime))
}

pub enum Mode {
    Once,
    Seq { n: usize },
    Conc { n: usize, c: usize },
}

const USAGE: &str = "usage: BIN once | seq N | conc N C   (env: SESBENCH_ENDPOINT=http://127.0.0.1:PORT, SESBENCH_MAX_SECS=60)";

#[allow(dead_code)] // bench/json's binary parses its operation first, then calls parse_mode
pub fn parse_args() -> Mode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    parse_mode(&args)
}

/// The mode from these arguments (`once` | `seq N` | `conc N C`), for a binary whose own first
/// argument comes before them (bench/json: the operation).
pub fn parse_mode(args: &[String]) -> Mode {
    let num = |i: usize| -> usize {
        args.get(i)
            .and_then(|s| s.parse().ok())
            .filter(|n| *n > 0)
            .unwrap_or_else(|| {
                eprintln!("{USAGE}");
                std::process::exit(64)
            })
    };
    match args.first().map(String::as_str) {
        Some("once") => Mode::Once,
        Some("seq") => Mode::Seq { n: num(1) },
        Some("conc") => Mode::Conc {
            n: num(1),
            c: num(2),
        },
        _ => {
            eprintln!("{USAGE}");
            std::process::exit(64)
        }
    }
}

/// The tokio runtime the binary runs on: multi-threaded (as `#[tokio::main]`, the default), or
/// `SESBENCH_RUNTIME=current` for a current-thread runtime (no hand-off between the caller's
/// thread and the connection task's worker; used to size that cost in BENCHMARKS.md).
pub fn runtime() -> tokio::runtime::Runtime {
    let mut b = match std::env::var("SESBENCH_RUNTIME").as_deref() {
        Ok("current") => tokio::runtime::Builder::new_current_thread(),
        _ => tokio::runtime::Builder::new_multi_thread(),
    };
    b.enable_all().build().expect("tokio runtime")
}

pub fn endpoint() -> String {
    std::env::var("SESBENCH_ENDPOINT").unwrap_or_else(|_| "http://127.0.0.1:18439".to_owned())
}

fn max_time() -> Duration {
    let secs = std::env::var("SESBENCH_MAX_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60u64);
    Duration::from_secs(secs)
}

/// Calls before measuring (connection set-up, allocator warm-up), per task.
const WARMUP: usize = 20;

/// Runs `mode` and prints one result line; exits 2 if any call failed.
pub async fn run<F, Fut>(bin: &str, mode: Mode, call: F)
where
    F: Fn() -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<(), String>> + Send + 'static,
{
    let deadline = max_time();
    let errors = Arc::new(AtomicUsize::new(0));
    let first_error = Arc::new(std::sync::Mutex::new(None::<String>));
    let record = {
        let errors = errors.clone();
        let first_error = first_error.clone();
        move |r: Result<(), String>| {
            if let Err(e) = r {
                errors.fetch_add(1, Ordering::Relaxed);
                first_error.lock().unwrap().get_or_insert(e);
            }
        }
    };
    let (mode_name, tasks, n) = match mode {
        Mode::Once => ("once", 1, 1),
        Mode::Seq { n } => ("seq", 1, n),
        Mode::Conc { n, c } => ("conc", c, n),
    };
    if !matches!(mode, Mode::Once) {
        // Warm up: every task makes WARMUP calls, so the pool holds `tasks` connections.
        let mut handles = Vec::new();
        for _ in 0..tasks {
            let call = call.clone();
            let record = record.clone();
            handles.push(tokio::spawn(async move {
                for _ in 0..WARMUP {
                    record(call().await);
                }
            }));
        }
        for h in handles {
            h.await.expect("warm-up task panicked");
        }
    }
    let (u0, s0) = cpu_times();
    let start = Instant::now();
    let done = Arc::new(AtomicUsize::new(0));
    if tasks == 1 {
        // The sequential loop runs on the main task, as a simple program would.
        while done.load(Ordering::Relaxed) < n && start.elapsed() < deadline {
            record(call().await);
            done.fetch_add(1, Ordering::Relaxed);
        }
    } else {
        let next = Arc::new(AtomicUsize::new(0));
        let mut handles = Vec::with_capacity(tasks);
        for _ in 0..tasks {
            let call = call.clone();
            let record = record.clone();
            let next = next.clone();
            let done = done.clone();
            handles.push(tokio::spawn(async move {
                while next.fetch_add(1, Ordering::Relaxed) < n && start.elapsed() < deadline {
                    record(call().await);
                    done.fetch_add(1, Ordering::Relaxed);
                }
            }));
        }
        for h in handles {
            h.await.expect("bench task panicked");
        }
    }
    let elapsed = start.elapsed();
    let (u1, s1) = cpu_times();
    let calls = done.load(Ordering::Relaxed);
    let user = (u1 - u0).as_secs_f64();
    let sys = (s1 - s0).as_secs_f64();
    let errs = errors.load(Ordering::Relaxed);
    println!(
        "{bin} mode={mode_name} tasks={tasks} calls={calls} errors={errs} elapsed_s={:.3} calls_per_s={:.1} cpu_us_per_call={:.2} user_s={user:.3} sys_s={sys:.3}",
        elapsed.as_secs_f64(),
        calls as f64 / elapsed.as_secs_f64(),
        (user + sys) * 1e6 / calls.max(1) as f64,
    );
    if errs > 0 {
        eprintln!(
            "{bin}: {errs} calls failed; first error: {}",
            first_error.lock().unwrap().as_deref().unwrap_or("?")
        );
        std::process::exit(2);
    }
}
