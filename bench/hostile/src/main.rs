//! `hostile-probe CASE`: runs one hostile-input case against ses-client under its default
//! configuration, in a `tokio::spawn`ed task, and prints one line: the case, the time it took and
//! the outcome (the error's `Display`, clipped to 300 characters). `bench/hostile.sh` runs every
//! case under `/usr/bin/time` for the peak memory. The hostile server is a thread on 127.0.0.1.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

/// What the server thread sends after reading a request.
fn respond(case: &str, mut s: TcpStream) -> std::io::Result<()> {
    let head = |status: &str, extra: &str, len: Option<usize>| {
        let len = len.map(|n| format!("Content-Length: {n}\r\n")).unwrap_or_default();
        format!("HTTP/1.1 {status}\r\nContent-Type: text/xml\r\n{extra}{len}Connection: close\r\n\r\n")
    };
    let full = |s: &mut TcpStream, status: &str, body: &[u8]| -> std::io::Result<()> {
        s.write_all(head(status, "", Some(body.len())).as_bytes())?;
        s.write_all(body)
    };
    let nested = |n: usize| "<a>".repeat(n) + &"</a>".repeat(n);
    match case {
        "deep-200" => full(&mut s, "200 OK", format!("<GetSendQuotaResponse><GetSendQuotaResult>{}</GetSendQuotaResult></GetSendQuotaResponse>", nested(50_000)).as_bytes()),
        "deep-400" => full(&mut s, "400 Bad Request", format!("<ErrorResponse><Error><Code>X</Code>{}</Error></ErrorResponse>", nested(50_000)).as_bytes()),
        "declared-500mb" => {
            s.write_all(head("200 OK", "", Some(500_000_000)).as_bytes())?;
            s.write_all(&vec![b' '; 500_000_000])
        }
        "a-64mb" => {
            s.write_all(head("200 OK", "", Some(64 << 20)).as_bytes())?;
            let chunk = "<a/>".repeat(1 << 18);
            for _ in 0..64 {
                s.write_all(chunk.as_bytes())?;
            }
            Ok(())
        }
        "a-30mb-within-limit" => {
            let body = format!("<GetSendQuotaResponse><GetSendQuotaResult>{}</GetSendQuotaResult></GetSendQuotaResponse>", "<a/>".repeat(30 << 18));
            full(&mut s, "200 OK", body.as_bytes())
        }
        "chunked-endless" => {
            s.write_all(head("200 OK", "Transfer-Encoding: chunked\r\n", None).as_bytes())?;
            let chunk = "<a/>".repeat(16 << 10);
            let framed = format!("{:x}\r\n{chunk}\r\n", chunk.len());
            let until = Instant::now() + Duration::from_secs(120);
            while Instant::now() < until {
                s.write_all(framed.as_bytes())?;
            }
            Ok(())
        }
        "trickle" => {
            let body = b"<GetSendQuotaResponse><GetSendQuotaResult><Max24HourSend>200.0</Max24HourSend></GetSendQuotaResult></GetSendQuotaResponse>";
            s.write_all(head("200 OK", "", Some(body.len())).as_bytes())?;
            for b in body {
                s.write_all(&[*b])?;
                std::thread::sleep(Duration::from_secs(1));
            }
            Ok(())
        }
        "huge-message" => full(&mut s, "400 Bad Request", format!("<ErrorResponse><Error><Code>MessageRejected</Code><Message>{}</Message></Error><RequestId>r</RequestId></ErrorResponse>", "m".repeat(20 << 20)).as_bytes()),
        "empty-200" => full(&mut s, "200 OK", b""),
        "error-in-200" => full(&mut s, "200 OK", b"<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>denied</Message></Error><RequestId>r-1</RequestId></ErrorResponse>"),
        "redirect" => {
            s.write_all(head("302 Found", "Location: http://elsewhere.invalid/\r\n", Some(0)).as_bytes())
        }
        // The credentials and config-file cases never reach the server.
        _ => full(&mut s, "200 OK", b"<GetSendQuotaResponse><GetSendQuotaResult/></GetSendQuotaResponse>"),
    }
}

fn serve(case: String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    std::thread::spawn(move || {
        while let Ok((mut s, _)) = listener.accept() {
            let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
            let mut buf = [0u8; 65536];
            let _ = s.read(&mut buf);
            let _ = respond(&case, s);
        }
    });
    url
}

#[tokio::main]
async fn main() {
    let case = std::env::args().nth(1).unwrap_or_default();
    let url = serve(case.clone());
    let dir = std::env::temp_dir().join(format!("hostile-probe-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    // Only the variables a case sets: nothing from the caller's AWS environment.
    let mut env: Vec<(String, String)> = vec![
        ("AWS_REGION".into(), "us-east-1".into()),
        ("AWS_ENDPOINT_URL".into(), url),
        ("AWS_CONFIG_FILE".into(), dir.join("none").display().to_string()),
        ("AWS_SHARED_CREDENTIALS_FILE".into(), dir.join("none").display().to_string()),
    ];
    let with_keys = |env: &mut Vec<(String, String)>| {
        env.push(("AWS_ACCESS_KEY_ID".into(), "AKIDPROBE".into()));
        env.push(("AWS_SECRET_ACCESS_KEY".into(), "secret".into()));
    };
    let process = |env: &mut Vec<(String, String)>, command: &str| {
        let config = dir.join("config");
        std::fs::write(&config, format!("[default]\ncredential_process = {command}\n")).expect("write config");
        env.retain(|(k, _)| k != "AWS_CONFIG_FILE");
        env.push(("AWS_CONFIG_FILE".into(), config.display().to_string()));
    };
    match case.as_str() {
        "process-sleep" => process(&mut env, "sleep 1000"),
        "process-yes" => process(&mut env, "yes"),
        "process-background-child" => {
            let script = dir.join("helper.sh");
            std::fs::write(&script, "#!/bin/sh\nsleep 1000 &\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIDBG\", \"SecretAccessKey\": \"s\"}'\n").expect("write helper");
            process(&mut env, &format!("sh {}", script.display()));
        }
        "credentials-dev-zero" => {
            env.retain(|(k, _)| k != "AWS_SHARED_CREDENTIALS_FILE");
            env.push(("AWS_SHARED_CREDENTIALS_FILE".into(), "/dev/zero".into()));
        }
        "config-fifo" => {
            let fifo = dir.join("fifo");
            let _ = std::process::Command::new("mkfifo").arg(&fifo).status();
            env.retain(|(k, _)| k != "AWS_CONFIG_FILE");
            env.push(("AWS_CONFIG_FILE".into(), fifo.display().to_string()));
            with_keys(&mut env);
        }
        _ => with_keys(&mut env),
    }
    let started = Instant::now();
    let outcome = match ses_client::Config::from_env_with(ses_client::Env::from_vars(env)) {
        Err(e) => format!("Config::from_env error: {e}"),
        Ok(conf) => {
            let client = ses_client::Client::from_conf(conf);
            let task = tokio::spawn(async move {
                match client.get_send_quota().send().await {
                    Ok(o) => format!("Ok({o:?})"),
                    Err(e) => format!("{e}"),
                }
            });
            task.await.unwrap_or_else(|e| format!("task failed: {e}"))
        }
    };
    let shown: String = outcome.chars().take(300).collect();
    println!("{case}\t{:.2}s\t{shown}", started.elapsed().as_secs_f64());
    let _ = std::fs::remove_dir_all(&dir);
}
