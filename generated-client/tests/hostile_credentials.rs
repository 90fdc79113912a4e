//! Hostile credential sources under the default configuration (issue 11): a `credential_process`
//! helper that hangs, floods its output, keeps its output open from a background process, or is
//! abandoned by its caller; shared config files that are a FIFO, a device or too large. Each
//! test is bounded by a timeout, checks that every helper process it started (the helper and a
//! background grandchild, whose pids the helper writes to files) is gone afterwards, and kills
//! whatever is left at its end, whether it passed or not.
//!
//! Helpers run through the profile's `credential_process` of a config file in a temporary home,
//! read through an injected [`Env`], so the process environment is never touched.

#![cfg(unix)]

#[path = "../../runtime/tests/support/fake_server.rs"]
mod fake_ses;

use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use aws_client_runtime::credentials::{
    DEFAULT_PROCESS_OUTPUT_LIMIT, DEFAULT_PROCESS_TIMEOUT, DefaultCredentialsChain,
    MAX_SHARED_FILE_SIZE, ProcessProvider,
};
use fake_ses::{FakeServer, send_quota_ok};
use ses_client::error::{ConfigError, SdkError};
use ses_client::{Client, Config, Env, ProvideCredentials};

/// Every test ends within this, or fails.
async fn bounded<T>(f: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(20), f)
        .await
        .expect("the test hung")
}

/// A directory under the system temp dir (the home of the test's [`Env`]), removed on drop
/// after every process whose pid a helper wrote into it is killed.
struct Home {
    path: PathBuf,
}

impl Home {
    fn new(tag: &str) -> Home {
        static N: AtomicU64 = AtomicU64::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!(
            "ses-client-hostile-{tag}-{}-{n}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(path.join(".aws")).expect("create temp home");
        Home { path }
    }

    fn env(&self) -> Env {
        Env::from_vars([("HOME", self.path.display().to_string())])
    }

    /// Writes `script` and makes it the default profile's `credential_process`.
    fn helper(&self, script: &str) {
        let file = self.path.join("helper.sh");
        std::fs::write(&file, script).expect("write helper");
        std::fs::write(
            self.path.join(".aws/config"),
            format!("[default]\ncredential_process = sh {}\n", file.display()),
        )
        .expect("write config");
    }

    /// Where a helper writes the pid `name` (`echo $$ > PATH`).
    fn pid_file(&self, name: &str) -> String {
        self.path.join(format!("{name}.pid")).display().to_string()
    }

    fn pid(&self, name: &str) -> Option<i32> {
        std::fs::read_to_string(self.path.join(format!("{name}.pid")))
            .ok()?
            .trim()
            .parse()
            .ok()
    }

    /// Waits (up to 5 s) until the helper has written every pid in `names`.
    async fn started(&self, names: &[&str]) {
        for _ in 0..500 {
            if names.iter().all(|n| self.pid(n).is_some()) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("the helper did not write the pids {names:?}");
    }

    /// Asserts that each process in `names` is gone (or a zombie) within 3 s.
    async fn assert_gone(&self, names: &[&str]) {
        self.started(names).await;
        for name in names {
            let Some(pid) = self.pid(name) else {
                continue;
            };
            let mut tries = 0;
            while alive(pid) {
                tries += 1;
                assert!(
                    tries < 300,
                    "helper process {name} ({pid}) is still running"
                );
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        if let Ok(entries) = std::fs::read_dir(&self.path) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let Some(name) = name.strip_suffix(".pid") else {
                    continue;
                };
                if let Some(pid) = self.pid(name)
                    && alive(pid)
                {
                    // SAFETY: kill(2) of a live process that this test's helper started and
                    // recorded; it touches no memory.
                    unsafe { libc::kill(pid, libc::SIGKILL) };
                }
            }
        }
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// Whether `pid` runs; a zombie (it has exited, its parent has not reaped it yet) does not.
fn alive(pid: i32) -> bool {
    if Path::new("/proc/self").exists() {
        return std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
            stat.rsplit_once(") ")
                .is_some_and(|(_, rest)| !rest.starts_with('Z'))
        });
    }
    // SAFETY: kill(2) with signal 0 only checks that the process exists.
    unsafe { libc::kill(pid, 0) == 0 }
}

const JSON: &str = r#"{"Version": 1, "AccessKeyId": "AKIDFROMHELPER", "SecretAccessKey": "helper-secret-value", "SessionToken": "helper-token-value", "Expiration": "2999-01-01T00:00:00Z"}"#;

/// A helper that records its pid and a background grandchild's, then waits for it forever.
fn hanging_helper(home: &Home) -> String {
    format!(
        "echo $$ > {}\nsleep 987 &\necho $! > {}\nwait\n",
        home.pid_file("helper"),
        home.pid_file("grandchild")
    )
}

/// A client of `server` with `from_env`'s configuration read from `home`.
fn client(home: &Home, server: &FakeServer, tweak: impl FnOnce(Config) -> Config) -> Client {
    let conf = Config::from_env_with(home.env()).expect("from_env");
    let conf = conf
        .to_builder()
        .region("us-east-1")
        .endpoint_url(&server.url)
        .build();
    Client::from_conf(tweak(conf))
}

fn credentials_error<E: std::fmt::Debug>(e: SdkError<E>) -> String {
    match e {
        SdkError::ConstructionFailure(c) => match c.config_error() {
            Some(ConfigError::Credentials(m)) => m.clone(),
            _ => panic!("expected a credentials error, got {c:?}"),
        },
        other => panic!("expected a credentials error, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// credential_process

#[tokio::test]
async fn hanging_helper_times_out_and_its_process_group_is_killed() {
    bounded(async {
        let home = Home::new("hang");
        home.helper(&hanging_helper(&home));
        let server = FakeServer::start(|_, _| send_quota_ok("req")).await;
        let client = client(&home, &server, |c| {
            c.to_builder()
                .credential_process_timeout(Duration::from_secs(1))
                .build()
        });
        let started = Instant::now();
        let e = client.get_send_quota().send().await.unwrap_err();
        let took = started.elapsed();
        let m = credentials_error(e);
        assert!(
            took >= Duration::from_secs(1) && took < Duration::from_secs(5),
            "{took:?}"
        );
        assert!(
            m.starts_with("credential_process: profile `default` ("),
            "{m}"
        );
        assert!(
            m.contains(
                ", line 2): the command did not finish within 1s, the credential_process \
                 timeout; it was killed, with every process of its process group (tried before \
                 it: environment ("
            ),
            "{m}"
        );
        assert_eq!(server.count(), 0);
        home.assert_gone(&["helper", "grandchild"]).await;
    })
    .await;
}

#[tokio::test]
async fn operation_timeout_leaves_no_helper_process_behind() {
    bounded(async {
        let home = Home::new("optimeout");
        home.helper(&hanging_helper(&home));
        let server = FakeServer::start(|_, _| send_quota_ok("req")).await;
        // The default credential_process timeout (60 s); the operation timeout ends the call.
        let client = client(&home, &server, |c| {
            c.to_builder()
                .operation_timeout(Duration::from_millis(500))
                .build()
        });
        let e = client.get_send_quota().send().await.unwrap_err();
        assert!(matches!(e, SdkError::TimeoutError(_)), "{e:?}");
        home.assert_gone(&["helper", "grandchild"]).await;
    })
    .await;
}

#[tokio::test]
async fn json_then_a_background_child_holding_stdout_still_succeeds_promptly() {
    bounded(async {
        let home = Home::new("held");
        home.helper(&format!(
            "echo $$ > {}\necho '{JSON}'\nsleep 987 &\necho $! > {}\n",
            home.pid_file("helper"),
            home.pid_file("grandchild")
        ));
        let server = FakeServer::start(|_, _| send_quota_ok("req-held")).await;
        let client = client(&home, &server, |c| c);
        let started = Instant::now();
        let out = client.get_send_quota().send().await.expect("the call");
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(out.sent_last24_hours, Some(3.0));
        let requests = server.requests();
        assert_eq!(requests.len(), 1);
        let auth = requests[0].header("authorization").unwrap_or_default();
        assert!(auth.contains("Credential=AKIDFROMHELPER/"), "{auth}");
        // The grandchild that kept the output open was killed with the group.
        home.assert_gone(&["helper", "grandchild"]).await;
    })
    .await;
}

#[tokio::test]
async fn output_flood_hits_the_limit() {
    bounded(async {
        let home = Home::new("flood");
        home.helper(&format!(
            "echo $$ > {}\nhead -c 10000000 /dev/zero\nexec sleep 987\n",
            home.pid_file("helper")
        ));
        let provider = DefaultCredentialsChain::with_env(home.env());
        let started = Instant::now();
        let e = provider.provide_credentials().await.unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(5));
        let m = e.message();
        assert!(
            m.contains(&format!(
                ": the command wrote more than {DEFAULT_PROCESS_OUTPUT_LIMIT} bytes to standard \
                 output, the credential_process output limit; it was killed, with every process \
                 of its process group"
            )),
            "{m}"
        );
        assert!(m.contains("65536 bytes"), "{m}");
        home.assert_gone(&["helper"]).await;
    })
    .await;
}

#[tokio::test]
async fn endless_output_from_yes_is_cut_off() {
    bounded(async {
        let home = Home::new("yes");
        let provider = ProcessProvider::from_command(format!(
            "echo $$ > {}; exec yes SECRETLINE",
            home.pid_file("helper")
        ))
        .with_output_limit(4096);
        let e = provider.provide_credentials().await.unwrap_err();
        let m = e.message();
        assert!(
            m.starts_with("credential_process: the command wrote more than 4096 bytes"),
            "{m}"
        );
        assert!(!m.contains("SECRETLINE"), "{m}");
        home.assert_gone(&["helper"]).await;
    })
    .await;
}

#[tokio::test]
async fn a_dropped_call_kills_the_helper_group() {
    bounded(async {
        let home = Home::new("drop");
        home.helper(&hanging_helper(&home));
        let provider = DefaultCredentialsChain::with_env(home.env());
        let mut call = Box::pin(provider.provide_credentials());
        // Give up on the call once the helper runs (and at the latest after 200 ms of it).
        tokio::select! {
            r = &mut call => panic!("the helper returned {r:?}"),
            () = home.started(&["helper", "grandchild"]) => {}
        }
        let r = tokio::time::timeout(Duration::from_millis(200), &mut call).await;
        assert!(r.is_err(), "the helper returned {r:?}");
        drop(call);
        home.assert_gone(&["helper", "grandchild"]).await;
    })
    .await;
}

#[tokio::test]
async fn a_concurrent_call_shares_the_timeout_instead_of_waiting_forever() {
    bounded(async {
        let home = Home::new("concurrent");
        home.helper(&hanging_helper(&home));
        let server = FakeServer::start(|_, _| send_quota_ok("req")).await;
        let client = client(&home, &server, |c| {
            c.to_builder()
                .credential_process_timeout(Duration::from_secs(1))
                .build()
        });
        assert_eq!(
            client.config().credential_process_timeout(),
            Duration::from_secs(1)
        );
        let first = {
            let client = client.clone();
            tokio::spawn(async move { client.get_send_quota().send().await })
        };
        home.started(&["helper", "grandchild"]).await;
        let started = Instant::now();
        let second = client.get_send_quota().send().await.unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(3));
        let first = first.await.expect("first call").unwrap_err();
        let (first, second) = (credentials_error(first), credentials_error(second));
        assert!(first.contains("did not finish within 1s"), "{first}");
        assert_eq!(first, second);
        assert_eq!(server.count(), 0);
        home.assert_gone(&["helper", "grandchild"]).await;
    })
    .await;
}

#[tokio::test]
async fn a_waiting_call_gives_up_after_the_refresh_wait() {
    bounded(async {
        let home = Home::new("refresh-wait");
        home.helper(&hanging_helper(&home));
        let chain = DefaultCredentialsChain::with_env(home.env())
            .with_process_timeout(Duration::from_secs(30))
            .with_refresh_wait(Duration::from_millis(300));
        let provider = Arc::new(chain);
        let first = {
            let provider = provider.clone();
            tokio::spawn(async move { provider.provide_credentials().await })
        };
        home.started(&["helper", "grandchild"]).await;
        let started = Instant::now();
        let e = provider.provide_credentials().await.unwrap_err();
        let took = started.elapsed();
        assert!(
            took >= Duration::from_millis(300) && took < Duration::from_secs(3),
            "{took:?}"
        );
        let m = e.message();
        assert!(
            m.starts_with("another call's refresh of the credentials has been running for ")
                && m.ends_with(" and has not finished; gave up waiting for it after 300ms"),
            "{m}"
        );
        // The first call is abandoned: its helper goes with it.
        first.abort();
        let _ = first.await;
        home.assert_gone(&["helper", "grandchild"]).await;
    })
    .await;
}

#[tokio::test]
async fn credential_process_defaults_and_builder() {
    assert_eq!(DEFAULT_PROCESS_TIMEOUT, Duration::from_secs(60));
    assert_eq!(DEFAULT_PROCESS_OUTPUT_LIMIT, 64 * 1024);
    let home = Home::new("defaults");
    let conf = Config::from_env_with(home.env()).unwrap();
    assert_eq!(conf.credential_process_timeout(), DEFAULT_PROCESS_TIMEOUT);
    assert_eq!(
        conf.credential_process_output_limit(),
        DEFAULT_PROCESS_OUTPUT_LIMIT
    );
    let conf = conf
        .to_builder()
        .credential_process_timeout(Duration::from_secs(5))
        .credential_process_output_limit(1000)
        .build();
    assert_eq!(conf.credential_process_timeout(), Duration::from_secs(5));
    assert_eq!(conf.credential_process_output_limit(), 1000);
    let shown = format!("{conf:?}");
    assert!(
        shown.contains("timeout: 5s") && shown.contains("output_limit: 1000"),
        "{shown}"
    );

    // Setting the limits never replaces explicit credentials with the default chain.
    bounded(async {
        let server = FakeServer::start(|_, _| send_quota_ok("req")).await;
        let client = client(&home, &server, |c| {
            c.to_builder()
                .credentials(ses_client::Credentials::from_keys(
                    "AKIDEXPLICIT",
                    "S",
                    None,
                ))
                .credential_process_timeout(Duration::from_secs(5))
                .credential_process_output_limit(10)
                .build()
        });
        client.get_send_quota().send().await.expect("the call");
        let auth = server.requests()[0]
            .header("authorization")
            .unwrap_or_default()
            .to_owned();
        assert!(auth.contains("Credential=AKIDEXPLICIT/"), "{auth}");
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// Shared config and credentials files

/// `Config::from_env_with` on another thread, failing the test (not hanging it) after 5 s.
fn from_env_bounded(env: Env) -> Result<Config, ConfigError> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(Config::from_env_with(env));
    });
    rx.recv_timeout(Duration::from_secs(5))
        .expect("reading the shared files hung")
}

#[test]
fn a_fifo_as_config_or_credentials_file_is_refused_at_once() {
    let home = Home::new("fifo");
    let fifo = home.path.join("fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    for var in ["AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"] {
        let env = Env::from_vars([
            ("HOME", home.path.display().to_string()),
            (var, fifo.display().to_string()),
        ]);
        let started = Instant::now();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(Config::from_env_with(env));
        });
        let result = rx.recv_timeout(Duration::from_secs(5));
        if result.is_err() {
            // The reader is blocked opening the FIFO: a writer that comes and goes frees it.
            use std::os::unix::fs::OpenOptionsExt;
            let _ = std::fs::OpenOptions::new()
                .write(true)
                .custom_flags(libc::O_NONBLOCK)
                .open(&fifo);
        }
        let e = result
            .unwrap_or_else(|_| panic!("{var} as a FIFO blocked Config::from_env"))
            .unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(1));
        assert_eq!(
            e.to_string(),
            format!(
                "invalid shared config file: {}: cannot read: it is a FIFO (named pipe), not a \
                 regular file",
                fifo.display()
            ),
            "{var}"
        );
    }
}

#[test]
fn a_directory_as_credentials_file_is_refused() {
    let home = Home::new("dir");
    let e = from_env_bounded(Env::from_vars([
        ("HOME", home.path.display().to_string()),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            home.path.display().to_string(),
        ),
    ]))
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "invalid shared config file: {}: cannot read: it is a directory, not a regular file",
            home.path.display()
        )
    );
}

#[test]
fn a_file_over_the_size_limit_is_refused() {
    assert_eq!(MAX_SHARED_FILE_SIZE, 4 * 1024 * 1024);
    let home = Home::new("big");
    let big = home.path.join("credentials");
    let mut text = String::from("[default]\naws_access_key_id = A\naws_secret_access_key = S\n");
    let comment = format!("# {}\n", "x".repeat(1000));
    while text.len() as u64 <= MAX_SHARED_FILE_SIZE {
        text.push_str(&comment);
    }
    std::fs::write(&big, &text).unwrap();
    let e = from_env_bounded(Env::from_vars([
        ("HOME", home.path.display().to_string()),
        ("AWS_SHARED_CREDENTIALS_FILE", big.display().to_string()),
    ]))
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "invalid shared config file: {}: cannot read: it is {} bytes, over the limit of \
             4194304 bytes (4 MiB) for shared config and credentials files",
            big.display(),
            text.len()
        )
    );
}

/// The child-process half of [`dev_zero_as_a_shared_file_is_refused`]: only runs when that
/// test starts this binary with `SES_CLIENT_HOSTILE_CHILD` set.
#[test]
fn dev_zero_child() {
    if std::env::var_os(CHILD).is_none() {
        return;
    }
    for var in ["AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE"] {
        let started = Instant::now();
        let e = Config::from_env_with(Env::from_vars([
            ("HOME", "/nonexistent-ses-client-home"),
            (var, "/dev/zero"),
        ]))
        .unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(1));
        assert_eq!(
            e.to_string(),
            "invalid shared config file: /dev/zero: cannot read: it is a character device, not \
             a regular file"
        );
    }
    println!("dev_zero_child: ok");
}

const CHILD: &str = "SES_CLIENT_HOSTILE_CHILD";

/// `AWS_SHARED_CREDENTIALS_FILE=/dev/zero` (and `AWS_CONFIG_FILE`) is an error at once. It runs
/// in a child process with 2 GiB of address space, so a client that reads the device without
/// limit fails this test instead of exhausting the machine's memory.
#[test]
fn dev_zero_as_a_shared_file_is_refused() {
    let exe = std::env::current_exe().expect("test binary");
    let mut child = std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 2097152 && exec \"$0\" \"$@\"")
        .arg(&exe)
        .args([
            "dev_zero_child",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start the child test");
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for the child test") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the child test hung reading /dev/zero");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut out = String::new();
    let mut err = String::new();
    use std::io::Read;
    if let Some(mut s) = child.stdout.take() {
        let _ = s.read_to_string(&mut out);
    }
    if let Some(mut s) = child.stderr.take() {
        let _ = s.read_to_string(&mut err);
    }
    assert!(
        status.success() && out.contains("dev_zero_child: ok"),
        "the child test failed ({status}):\n{out}\n{err}"
    );
}
