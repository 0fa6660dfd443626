//! The preview's HTTP/1.1 connection layer: accept, read a request head,
//! hand it to [`super::http`], write the answer, keep the connection alive.
//!
//! Why not a server crate: the preview answers only `GET` and `HEAD` for
//! files and one event stream, and it must survive any request. tiny_http
//! 0.12 allocated the whole declared body (`Content-Length: 99999999999`)
//! when a request was dropped unread, which aborted the process (issue 18,
//! item 3; the upstream fix is unreleased); hyper would bring an async
//! runtime for a loopback preview. So heads are parsed by `httparse` (the
//! parser hyper uses) and everything around it is bounded here:
//! - a head is at most [`MAX_HEAD`] bytes and [`MAX_HEADERS`] headers (431);
//! - a body is never read into memory: a request that announces one is
//!   answered, then the connection is closed after discarding at most
//!   [`DRAIN_LIMIT`] bytes of it, so the client sees the answer;
//! - at most [`MAX_CONNECTIONS`] connections are served at once (503 past
//!   it), each on its own thread, and an idle one is closed after
//!   [`IDLE_TIMEOUT`].

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

/// Largest request head (request line and headers) accepted.
pub const MAX_HEAD: usize = 16 * 1024;
/// Most headers in one request.
pub const MAX_HEADERS: usize = 64;
/// Most connections served at once; browsers open about six per host.
pub const MAX_CONNECTIONS: usize = 512;
/// An idle keep-alive connection, or one that sends its head too slowly,
/// is closed after this long.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// Bytes of an unread request body discarded before closing, so the
/// client's socket does not reset before it reads the answer.
pub const DRAIN_LIMIT: u64 = 64 * 1024;
/// Each connection thread's stack: handlers read one file and format text.
const STACK_SIZE: usize = 256 * 1024;

/// The request methods the preview distinguishes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Method {
    Get,
    Head,
    Other(String),
}

/// A parsed request head. The body, if any, is never read.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: Method,
    /// The request target as sent (`/path?query`).
    pub target: String,
    pub host: Option<String>,
}

/// What a response carries after its head.
pub enum Body {
    Bytes(Vec<u8>),
    File(std::fs::File, u64),
}

/// One answer: status, headers (Content-Length is added), body.
pub struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Body,
}

impl Response {
    pub fn bytes(status: u16, content_type: &str, body: Vec<u8>) -> Response {
        Response {
            status,
            headers: vec![
                ("Content-Type", content_type.to_string()),
                ("Cache-Control", "no-store".to_string()),
            ],
            body: Body::Bytes(body),
        }
    }

    pub fn text(status: u16, text: impl Into<String>) -> Response {
        Response::bytes(
            status,
            "text/plain; charset=utf-8",
            text.into().into_bytes(),
        )
    }

    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Response {
        self.headers.push((name, value.into()));
        self
    }
}

/// A long-lived answer: the handler's head, then whatever `stream` writes
/// to the connection until it returns (the live-reload event stream).
pub type Streamer = Box<dyn FnOnce(&mut TcpStream) + Send>;

/// What a handler makes of a request.
pub enum Answer {
    Respond(Response),
    Stream {
        headers: Vec<(&'static str, String)>,
        stream: Streamer,
    },
}

/// Answers requests; shared by every connection thread.
pub type Handler = dyn Fn(&Request) -> Answer + Send + Sync;

/// A listening server; [`Server::stop`] ends its accept loop.
pub struct Server {
    addr: SocketAddr,
    stopping: Arc<AtomicBool>,
    accept: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// Starts accepting on `listener`; each connection gets a thread.
    pub fn start(listener: TcpListener, handler: Arc<Handler>) -> std::io::Result<Server> {
        let addr = listener.local_addr()?;
        let stopping = Arc::new(AtomicBool::new(false));
        let live = Arc::new(AtomicUsize::new(0));
        let stop = Arc::clone(&stopping);
        let accept = std::thread::Builder::new()
            .name("kbgen-accept".into())
            .spawn(move || accept_loop(&listener, &handler, &stop, &live))?;
        Ok(Server {
            addr,
            stopping,
            accept: Some(accept),
        })
    }

    /// Stops accepting and waits for the accept loop; open connections end
    /// on their own (client close or idle timeout).
    pub fn stop(mut self) {
        self.stopping.store(true, Ordering::SeqCst);
        // Wake the blocking accept with a connection of our own.
        let mut wake = self.addr;
        if wake.ip().is_unspecified() {
            wake.set_ip(match wake {
                SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
                SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
            });
        }
        let _ = TcpStream::connect_timeout(&wake, Duration::from_secs(1));
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

fn accept_loop(
    listener: &TcpListener,
    handler: &Arc<Handler>,
    stopping: &AtomicBool,
    live: &Arc<AtomicUsize>,
) {
    for stream in listener.incoming() {
        if stopping.load(Ordering::SeqCst) {
            return;
        }
        let Ok(mut stream) = stream else {
            // Out of file descriptors and the like: back off, go on.
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        if live.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            live.fetch_sub(1, Ordering::SeqCst);
            let _ = write_response(
                &mut stream,
                Response::text(503, "too many connections\n"),
                false,
                false,
            );
            continue;
        }
        let handler = Arc::clone(handler);
        let live_for_thread = Arc::clone(live);
        let spawned = std::thread::Builder::new()
            .name("kbgen-conn".into())
            .stack_size(STACK_SIZE)
            .spawn(move || {
                serve_connection(stream, &*handler);
                live_for_thread.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            live.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// Why reading a head ended without a request.
enum HeadError {
    /// The client closed or went idle: nothing to answer.
    Gone,
    /// Answer with this status, then close.
    Refuse(u16, &'static str),
}

/// A request head as read off the wire, with what decides the connection.
struct Parsed {
    request: Request,
    keep_alive: bool,
    has_body: bool,
}

fn serve_connection(mut stream: TcpStream, handler: &Handler) {
    let _ = stream.set_nodelay(true);
    let mut buf: Vec<u8> = Vec::with_capacity(1024);
    loop {
        let parsed = match read_head(&mut stream, &mut buf) {
            Ok(parsed) => parsed,
            Err(HeadError::Gone) => return,
            Err(HeadError::Refuse(status, why)) => {
                let _ = write_response(&mut stream, Response::text(status, why), false, false);
                close_after_body(&mut stream);
                return;
            }
        };
        let keep_alive = parsed.keep_alive && !parsed.has_body;
        let head_only = parsed.request.method == Method::Head;
        match handler(&parsed.request) {
            Answer::Respond(response) => {
                if write_response(&mut stream, response, keep_alive, head_only).is_err() {
                    return;
                }
            }
            Answer::Stream { headers, stream: f } => {
                let mut head = String::from("HTTP/1.1 200 OK\r\n");
                for (name, value) in &headers {
                    push_header(&mut head, name, value);
                }
                head.push_str("Connection: close\r\n\r\n");
                if stream.write_all(head.as_bytes()).is_err() {
                    return;
                }
                // The stream ends only when the client goes away.
                let _ = stream.set_read_timeout(None);
                f(&mut stream);
                return;
            }
        }
        if parsed.has_body {
            close_after_body(&mut stream);
            return;
        }
        if !keep_alive {
            let _ = stream.shutdown(Shutdown::Both);
            return;
        }
    }
}

/// Reads until a whole head is in `buf`, parses it and removes it from
/// `buf` (bytes after it stay: a pipelined next request).
fn read_head(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Result<Parsed, HeadError> {
    let mut chunk = [0u8; 4096];
    // One deadline for the whole head: a client sending a byte now and
    // then must not hold its thread forever.
    let deadline = std::time::Instant::now() + IDLE_TIMEOUT;
    loop {
        if let Some(parsed) = parse_head(buf)? {
            return Ok(parsed);
        }
        if buf.len() >= MAX_HEAD {
            return Err(HeadError::Refuse(431, "request header fields too large\n"));
        }
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return Err(HeadError::Gone);
        }
        let n = match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return Err(HeadError::Gone),
            Ok(n) => n,
        };
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// `Ok(None)` while the head is incomplete.
fn parse_head(buf: &mut Vec<u8>) -> Result<Option<Parsed>, HeadError> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut req = httparse::Request::new(&mut headers);
    let len = match req.parse(buf) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => {
            return Err(HeadError::Refuse(431, "too many header fields\n"));
        }
        Err(_) => return Err(HeadError::Refuse(400, "bad request\n")),
    };
    if len > MAX_HEAD {
        return Err(HeadError::Refuse(431, "request header fields too large\n"));
    }
    let method = match req.method.unwrap_or("") {
        "GET" => Method::Get,
        "HEAD" => Method::Head,
        other => Method::Other(other.to_string()),
    };
    let version = req.version.unwrap_or(1);
    let mut host = None;
    let mut connection = String::new();
    let mut has_body = false;
    for h in req.headers.iter() {
        let value = String::from_utf8_lossy(h.value);
        if h.name.eq_ignore_ascii_case("host") {
            host = Some(value.trim().to_string());
        } else if h.name.eq_ignore_ascii_case("connection") {
            connection = value.to_ascii_lowercase();
        } else if h.name.eq_ignore_ascii_case("transfer-encoding") {
            has_body = true;
        } else if h.name.eq_ignore_ascii_case("content-length") {
            // Only its presence matters: the body is never read. A value
            // that is not a number is a bad request.
            match value.trim().parse::<u64>() {
                Ok(n) => has_body |= n > 0,
                Err(_) => return Err(HeadError::Refuse(400, "bad Content-Length\n")),
            }
        }
    }
    let keep_alive = if version == 0 {
        connection.contains("keep-alive")
    } else {
        !connection.contains("close")
    };
    let request = Request {
        method,
        target: req.path.unwrap_or("/").to_string(),
        host,
    };
    buf.drain(..len);
    Ok(Some(Parsed {
        request,
        keep_alive,
        has_body,
    }))
}

fn push_header(head: &mut String, name: &str, value: &str) {
    // Values are kbgen's own (types, lengths, a redirect target built from
    // the request path): line breaks would split the head, so drop them.
    let value: String = value.chars().filter(|c| *c != '\r' && *c != '\n').collect();
    head.push_str(name);
    head.push_str(": ");
    head.push_str(&value);
    head.push_str("\r\n");
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "",
    }
}

fn write_response(
    stream: &mut TcpStream,
    response: Response,
    keep_alive: bool,
    head_only: bool,
) -> std::io::Result<()> {
    let length = match &response.body {
        Body::Bytes(b) => b.len() as u64,
        Body::File(_, len) => *len,
    };
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason(response.status)
    );
    for (name, value) in &response.headers {
        push_header(&mut head, name, value);
    }
    push_header(&mut head, "Content-Length", &length.to_string());
    head.push_str(if keep_alive {
        "Connection: keep-alive\r\n\r\n"
    } else {
        "Connection: close\r\n\r\n"
    });
    if head_only {
        return stream.write_all(head.as_bytes());
    }
    match response.body {
        Body::Bytes(mut bytes) => {
            // One write for small answers: head and body in one segment.
            let mut all = head.into_bytes();
            all.append(&mut bytes);
            stream.write_all(&all)
        }
        Body::File(file, len) => {
            stream.write_all(head.as_bytes())?;
            let copied = std::io::copy(&mut file.take(len), stream)?;
            if copied < len {
                // The file shrank while being sent: the promised length
                // cannot be kept, so the connection must not be reused.
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            Ok(())
        }
    }
}

/// Ends a connection whose request announced a body: stop sending, discard
/// a bounded part of what the client is still sending (a close with unread
/// data resets the connection, and the client may lose the answer), close.
fn close_after_body(stream: &mut TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
    let _ = std::io::copy(&mut stream.take(DRAIN_LIMIT), &mut std::io::sink());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str) -> Result<Option<Parsed>, u16> {
        let mut buf = raw.as_bytes().to_vec();
        parse_head(&mut buf).map_err(|e| match e {
            HeadError::Refuse(status, _) => status,
            HeadError::Gone => 0,
        })
    }

    #[test]
    fn heads_are_parsed_with_what_decides_the_connection() {
        let p = parse("GET /a?b HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap()
            .unwrap();
        assert_eq!(p.request.method, Method::Get);
        assert_eq!(p.request.target, "/a?b");
        assert_eq!(p.request.host.as_deref(), Some("x"));
        assert!(p.keep_alive && !p.has_body);
        let p = parse("HEAD / HTTP/1.0\r\n\r\n").unwrap().unwrap();
        assert!(p.request.method == Method::Head && !p.keep_alive);
        let p = parse("POST / HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n")
            .unwrap()
            .unwrap();
        assert!(p.has_body && p.request.method == Method::Other("POST".into()));
        let p = parse("GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n")
            .unwrap()
            .unwrap();
        assert!(p.has_body);
        assert!(parse("GET / HTTP/1.1\r\nHost: x\r\n").unwrap().is_none());
    }

    #[test]
    fn malformed_and_oversized_heads_are_refused() {
        assert_eq!(
            parse("GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n").err(),
            Some(400)
        );
        assert_eq!(parse("\x01\x02 garbage\r\n\r\n").err(), Some(400));
        let many: String = (0..MAX_HEADERS + 1)
            .map(|i| format!("X-{i}: y\r\n"))
            .collect();
        assert_eq!(
            parse(&format!("GET / HTTP/1.1\r\n{many}\r\n")).err(),
            Some(431)
        );
    }

    #[test]
    fn header_values_cannot_split_the_head() {
        let mut head = String::new();
        push_header(&mut head, "Location", "/a\r\nSet-Cookie: x");
        assert_eq!(head, "Location: /aSet-Cookie: x\r\n");
    }
}
