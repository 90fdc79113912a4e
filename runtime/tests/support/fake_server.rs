//! A small HTTP/1.1 server on 127.0.0.1 for fault-injection tests: every request is recorded and
//! answered by a test-supplied function, which can also reset the connection, stall, close
//! early or send a truncated body. Each connection serves one request and is closed after it.
//!
//! Shared: this crate's send-path tests and the generated SES client's tests include it
//! (`#[path]`). The `*_ok` replies are SES's awsQuery bodies.

#![allow(dead_code)]

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use aws_client_runtime::config::SleepFuture;
use aws_client_runtime::primitives::DateTime;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A request as received.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub received_at: SystemTime,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The `Action` of the query body.
    pub fn action(&self) -> Option<&str> {
        self.body
            .split('&')
            .find_map(|kv| kv.strip_prefix("Action="))
    }

    /// `X-Amz-Date` as a time.
    pub fn amz_date(&self) -> Option<SystemTime> {
        let d = self.header("x-amz-date")?;
        if d.len() != 16 {
            return None;
        }
        let iso = format!(
            "{}-{}-{}T{}:{}:{}Z",
            &d[0..4],
            &d[4..6],
            &d[6..8],
            &d[9..11],
            &d[11..13],
            &d[13..15]
        );
        let t = DateTime::from_str(&iso, aws_smithy_types::date_time::Format::DateTime).ok()?;
        SystemTime::try_from(t).ok()
    }
}

/// What the server does with a request.
#[derive(Debug, Clone)]
pub enum Reply {
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Resets the connection (RST) without answering.
    Reset,
    /// Sends the head with `Content-Length: declared` and only `body`, then closes.
    Truncated {
        status: u16,
        declared: usize,
        body: Vec<u8>,
    },
    /// Never answers (holds the connection for a minute).
    Stall,
    /// A chunked body: `chunk` repeated `count` times (forever with `None`, until the client
    /// hangs up), with `pause` between chunks.
    Chunked {
        status: u16,
        chunk: Vec<u8>,
        count: Option<usize>,
        pause: Duration,
    },
    /// Sends the head with the full `Content-Length`, then the body one byte per `every`.
    Trickle {
        status: u16,
        body: Vec<u8>,
        every: Duration,
    },
}

impl Reply {
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Reply {
        Reply::Respond {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    pub fn header(self, name: &str, value: impl Into<String>) -> Reply {
        match self {
            Reply::Respond {
                status,
                mut headers,
                body,
            } => {
                headers.push((name.to_owned(), value.into()));
                Reply::Respond {
                    status,
                    headers,
                    body,
                }
            }
            other => other,
        }
    }

    /// Sets `x-amzn-RequestId`.
    pub fn request_id(self, id: &str) -> Reply {
        self.header("x-amzn-RequestId", id)
    }
}

/// A `GetSendQuota` success.
pub fn send_quota_ok(request_id: &str) -> Reply {
    Reply::new(
        200,
        format!(
            "<GetSendQuotaResponse xmlns=\"http://ses.amazonaws.com/doc/2010-12-01/\">\
             <GetSendQuotaResult><SentLast24Hours>3.0</SentLast24Hours>\
             <Max24HourSend>200.0</Max24HourSend><MaxSendRate>1.0</MaxSendRate>\
             </GetSendQuotaResult><ResponseMetadata><RequestId>{request_id}</RequestId>\
             </ResponseMetadata></GetSendQuotaResponse>"
        ),
    )
    .request_id(request_id)
    .header("content-type", "text/xml")
}

/// A `GetIdentityVerificationAttributes` success with no attributes.
pub fn verification_ok(request_id: &str) -> Reply {
    Reply::new(
        200,
        format!(
            "<GetIdentityVerificationAttributesResponse xmlns=\"http://ses.amazonaws.com/doc/2010-12-01/\">\
             <GetIdentityVerificationAttributesResult><VerificationAttributes/>\
             </GetIdentityVerificationAttributesResult><ResponseMetadata><RequestId>{request_id}</RequestId>\
             </ResponseMetadata></GetIdentityVerificationAttributesResponse>"
        ),
    )
    .request_id(request_id)
    .header("content-type", "text/xml")
}

/// An awsQuery error response (request id in the body only, like SES).
pub fn error(status: u16, code: &str, message: &str, request_id: &str) -> Reply {
    Reply::new(
        status,
        format!(
            "<ErrorResponse xmlns=\"http://ses.amazonaws.com/doc/2010-12-01/\">\
             <Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>\
             <RequestId>{request_id}</RequestId></ErrorResponse>"
        ),
    )
    .header("content-type", "text/xml")
}

/// SES's throttling error.
pub fn throttling(request_id: &str) -> Reply {
    error(
        400,
        "Throttling",
        "Maximum sending rate exceeded.",
        request_id,
    )
}

/// An HTTP date (`Date` header) for `t`.
pub fn http_date(t: SystemTime) -> String {
    DateTime::from(t)
        .fmt(aws_smithy_types::date_time::Format::HttpDate)
        .unwrap_or_default()
}

/// Runs a test body; fails it if it takes more than a minute (every fault test is bounded).
pub async fn bounded<T>(f: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(60), f)
        .await
        .expect("the test hung")
}

type Handler = dyn Fn(&Request, usize) -> Reply + Send + Sync;

/// The server; stops when dropped.
pub struct FakeServer {
    pub url: String,
    requests: Arc<Mutex<Vec<Request>>>,
    task: tokio::task::JoinHandle<()>,
}

impl FakeServer {
    /// Starts a server whose `handler` gets each request and its 0-based index.
    pub async fn start(
        handler: impl Fn(&Request, usize) -> Reply + Send + Sync + 'static,
    ) -> FakeServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        let requests: Arc<Mutex<Vec<Request>>> = Arc::default();
        let handler: Arc<Handler> = Arc::new(handler);
        let recorded = requests.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let handler = handler.clone();
                let recorded = recorded.clone();
                tokio::spawn(async move {
                    let _ = serve(stream, &*handler, &recorded).await;
                });
            }
        });
        FakeServer {
            url: format!("http://{addr}"),
            requests,
            task,
        }
    }

    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(
    mut stream: TcpStream,
    handler: &Handler,
    recorded: &Mutex<Vec<Request>>,
) -> std::io::Result<()> {
    let Some(request) = read_request(&mut stream).await? else {
        return Ok(());
    };
    let reply = {
        let mut all = recorded.lock().unwrap();
        let index = all.len();
        all.push(request.clone());
        drop(all);
        handler(&request, index)
    };
    match reply {
        Reply::Respond {
            status,
            headers,
            body,
        } => {
            let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
            if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("date")) {
                head.push_str(&format!("Date: {}\r\n", http_date(SystemTime::now())));
            }
            for (n, v) in &headers {
                head.push_str(&format!("{n}: {v}\r\n"));
            }
            head.push_str(&format!(
                "Content-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            ));
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(&body).await?;
            stream.flush().await?;
            let _ = stream.shutdown().await;
        }
        Reply::Reset => {
            stream.set_zero_linger()?;
            drop(stream);
        }
        Reply::Truncated {
            status,
            declared,
            body,
        } => {
            let head = format!(
                "HTTP/1.1 {status} {}\r\nContent-Type: text/xml\r\nContent-Length: {declared}\r\nConnection: close\r\n\r\n",
                reason(status)
            );
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(&body).await?;
            stream.flush().await?;
            let _ = stream.shutdown().await;
        }
        Reply::Stall => {
            tokio::time::sleep(Duration::from_secs(60)).await;
        }
        Reply::Chunked {
            status,
            chunk,
            count,
            pause,
        } => {
            let head = format!(
                "HTTP/1.1 {status} {}\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
                reason(status)
            );
            stream.write_all(head.as_bytes()).await?;
            let framed = [
                format!("{:x}\r\n", chunk.len()).into_bytes(),
                chunk,
                b"\r\n".to_vec(),
            ]
            .concat();
            let mut sent = 0;
            // Ends when the client hangs up (the write fails) or after `count` chunks; and in
            // any case after 10 minutes, so a broken test cannot leave it running.
            let deadline = tokio::time::Instant::now() + Duration::from_secs(600);
            while count.is_none_or(|n| sent < n) && tokio::time::Instant::now() < deadline {
                stream.write_all(&framed).await?;
                sent += 1;
                if !pause.is_zero() {
                    tokio::time::sleep(pause).await;
                }
            }
            stream.write_all(b"0\r\n\r\n").await?;
            stream.flush().await?;
            let _ = stream.shutdown().await;
        }
        Reply::Trickle {
            status,
            body,
            every,
        } => {
            let head = format!(
                "HTTP/1.1 {status} {}\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                reason(status),
                body.len()
            );
            stream.write_all(head.as_bytes()).await?;
            for b in body {
                stream.write_all(&[b]).await?;
                stream.flush().await?;
                tokio::time::sleep(every).await;
            }
            let _ = stream.shutdown().await;
        }
    }
    Ok(())
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        302 => "Found",
        403 => "Forbidden",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

async fn read_request(stream: &mut TcpStream) -> std::io::Result<Option<Request>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or_default().split(' ');
    let method = first.next().unwrap_or_default().to_owned();
    let path = first.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let len: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end..].to_vec();
    while body.len() < len {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Ok(Some(Request {
        method,
        path,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
        received_at: SystemTime::now(),
    }))
}

/// Records every sleep the client asks for and returns at once; optionally advances a
/// [`VirtualClock`] by the same amount.
#[derive(Clone, Default)]
pub struct Sleeps {
    log: Arc<Mutex<Vec<Duration>>>,
    clock: Option<VirtualClock>,
}

impl Sleeps {
    pub fn new() -> Self {
        Self::default()
    }

    /// Sleeps that move `clock` forward.
    pub fn advancing(clock: &VirtualClock) -> Self {
        Sleeps {
            log: Arc::default(),
            clock: Some(clock.clone()),
        }
    }

    pub fn sleeper(&self) -> impl Fn(Duration) -> SleepFuture + Send + Sync + 'static {
        let log = self.log.clone();
        let clock = self.clock.clone();
        move |d: Duration| -> SleepFuture {
            log.lock().unwrap().push(d);
            if let Some(c) = &clock {
                c.advance(d);
            }
            Box::pin(async {}) as Pin<Box<dyn Future<Output = ()> + Send>>
        }
    }

    pub fn recorded(&self) -> Vec<Duration> {
        self.log.lock().unwrap().clone()
    }
}

/// A clock that only moves when told (or when an advancing [`Sleeps`] sleeps).
#[derive(Clone, Debug)]
pub struct VirtualClock(Arc<Mutex<SystemTime>>);

impl VirtualClock {
    /// Starts at 2023-11-14T22:13:20Z, a whole second (so rate measurements are repeatable).
    pub fn new() -> Self {
        VirtualClock(Arc::new(Mutex::new(
            SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000),
        )))
    }

    pub fn advance(&self, d: Duration) {
        *self.0.lock().unwrap() += d;
    }

    pub fn now(&self) -> SystemTime {
        *self.0.lock().unwrap()
    }

    pub fn source(&self) -> impl Fn() -> SystemTime + Send + Sync + 'static {
        let c = self.clone();
        move || c.now()
    }
}
