//! `hostile-json-probe CASE`: runs one hostile-input case of issue 26 against the generated
//! DynamoDB client (awsJson 1.0) under its default configuration, and prints one line: the case,
//! the time the call took, the outcome (the error's `DisplayErrorContext`, clipped to 300
//! characters, and its full length) and, for an output, a summary. `bench/hostile-json.sh` runs
//! each case under `/usr/bin/time` for the peak memory. The hostile server is a thread on
//! 127.0.0.1; every case ends by itself.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use dynamodb_client::error::DisplayErrorContext;

/// A GetItem answer whose Item is one map attribute of `n` entries (`"k<i>":{"S":"v"}`).
fn item_of(n: usize) -> Vec<u8> {
    let mut body = Vec::with_capacity(n * 24 + 64);
    body.extend_from_slice(br#"{"Item":{"big":{"M":{"#);
    for i in 0..n {
        if i > 0 {
            body.push(b',');
        }
        body.extend_from_slice(format!(r#""k{i}":{{"S":"v"}}"#).as_bytes());
    }
    body.extend_from_slice(b"}}}}");
    body
}

fn respond(case: &str, mut s: TcpStream) -> std::io::Result<()> {
    let head = |status: &str, extra: &str, len: Option<usize>| {
        let len = len.map(|n| format!("Content-Length: {n}\r\n")).unwrap_or_default();
        format!("HTTP/1.1 {status}\r\nContent-Type: application/x-amz-json-1.0\r\nx-amzn-RequestId: probe\r\n{extra}{len}Connection: close\r\n\r\n")
    };
    let full = |s: &mut TcpStream, status: &str, body: &[u8]| -> std::io::Result<()> {
        s.write_all(head(status, "", Some(body.len())).as_bytes())?;
        s.write_all(body)
    };
    match case {
        // A 30 MB Item of about 1.3 million map entries: inside the 32 MiB size limit.
        "item-30mb" => full(&mut s, "200 OK", &item_of(1_300_000)),
        // 2 million entries: 46 MB, past the size limit.
        "item-2m-entries" => full(&mut s, "200 OK", &item_of(2_000_000)),
        // One 500 MB string attribute, declared up front.
        "string-500mb" => {
            let prefix = br#"{"Item":{"s":{"S":""#;
            let suffix = br#""}}}"#;
            let n = 500_000_000;
            s.write_all(head("200 OK", "", Some(prefix.len() + n + suffix.len())).as_bytes())?;
            s.write_all(prefix)?;
            let chunk = vec![b'x'; 1 << 20];
            for _ in 0..(n >> 20) {
                s.write_all(&chunk)?;
            }
            s.write_all(&vec![b'x'; n & ((1 << 20) - 1)])?;
            s.write_all(suffix)
        }
        "chunked-endless" => {
            s.write_all(head("200 OK", "Transfer-Encoding: chunked\r\n", None).as_bytes())?;
            let chunk = r#"{"S":"v"},"#.repeat(8 << 10);
            let framed = format!("{:x}\r\n{chunk}\r\n", chunk.len());
            s.write_all(b"a\r\n{\"Items\":[\r\n")?;
            let until = Instant::now() + Duration::from_secs(120);
            while Instant::now() < until {
                s.write_all(framed.as_bytes())?;
            }
            Ok(())
        }
        "trickle" => {
            let body = br#"{"Item":{"id":{"S":"one"}}}"#;
            s.write_all(head("200 OK", "", Some(body.len())).as_bytes())?;
            for b in body {
                s.write_all(&[*b])?;
                std::thread::sleep(Duration::from_secs(1));
            }
            Ok(())
        }
        "deep-200" => {
            let body = format!(r#"{{"Item":{{"a":{}{{"S":"x"}}{}}}}}"#, r#"{"L":["#.repeat(50_000), "]}".repeat(50_000));
            full(&mut s, "200 OK", body.as_bytes())
        }
        // A 30 MB error message inside the size limit.
        "huge-message" => {
            let body = format!(r#"{{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"{}"}}"#, "m".repeat(30 << 20));
            full(&mut s, "400 Bad Request", body.as_bytes())
        }
        "html-404" => {
            s.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nContent-Length: 44\r\nConnection: close\r\n\r\n<html><body><h1>Not Found</h1></body></html>")
        }
        "wrong-types" => full(&mut s, "200 OK", br#"{"Item":{"id":{"N":7}}}"#),
        _ => full(&mut s, "200 OK", br#"{"Item":{"id":{"S":"one"}}}"#),
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
    let env: Vec<(String, String)> = vec![
        ("AWS_REGION".into(), "us-east-1".into()),
        ("AWS_ENDPOINT_URL".into(), url),
        ("AWS_ACCESS_KEY_ID".into(), "AKIDPROBE".into()),
        ("AWS_SECRET_ACCESS_KEY".into(), "secret".into()),
        ("AWS_CONFIG_FILE".into(), "/nonexistent".into()),
        ("AWS_SHARED_CREDENTIALS_FILE".into(), "/nonexistent".into()),
    ];
    let started = Instant::now();
    let outcome = match dynamodb_client::Config::from_env_with(dynamodb_client::Env::from_vars(env)) {
        Err(e) => format!("Config::from_env error: {e}"),
        Ok(conf) => {
            let client = dynamodb_client::Client::from_conf(conf);
            let task = tokio::spawn(async move {
                let out = client
                    .get_item()
                    .table_name("t")
                    .key("id", dynamodb_client::types::AttributeValue::S("one".into()))
                    .send()
                    .await;
                match out {
                    Ok(o) => {
                        let entries = o
                            .item()
                            .and_then(|i| i.get("big"))
                            .and_then(|v| v.as_m().ok())
                            .map_or(0, |m| m.len());
                        format!("Ok: {} attributes, {entries} map entries", o.item().map_or(0, |i| i.len()))
                    }
                    Err(e) => {
                        let text = format!("{}", DisplayErrorContext(&e));
                        format!("{} [{} characters]", text.chars().take(300).collect::<String>(), text.len())
                    }
                }
            });
            task.await.unwrap_or_else(|e| format!("task failed: {e}"))
        }
    };
    println!("{case}\t{:.2}s\t{outcome}", started.elapsed().as_secs_f64());
}
