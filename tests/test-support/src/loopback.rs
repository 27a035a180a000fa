//! The loopback HTTP/1.1 server every test that needs a real socket uses.
//!
//! It binds `127.0.0.1` on a port the OS chooses, handles connections one at a time (one request each, answered
//! with `Connection: close`, unless the reply is [`Reply::keep_alive`]), records what it received, and stops by
//! itself: after its last reply, when no client arrives for [`IDLE_LIMIT`], or when the [`Server`] is dropped.
//!
//! It can also stand in for a forward proxy: it records absolute-form requests (`GET http://host/ HTTP/1.1`) like
//! any other, and answers a `CONNECT` with [`Reply::Tunnel`].
//!
//! ```no_run
//! # async fn demo() {
//! use test_support::{reply, Server};
//!
//! let server = Server::start([reply(200, "{}").header("x-amzn-RequestId", "r-1")]).await;
//! // ... point a client at server.url() ...
//! let requests = server.finish().await;
//! assert_eq!(requests[0].method, "POST");
//! # }
//! ```

use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// How long the server waits for the next client before it gives up and stops.
pub const IDLE_LIMIT: Duration = Duration::from_secs(10);

/// One request as the server received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// `GET`, `POST`, `CONNECT`, ...
    pub method: String,
    /// The request target as sent: path and query (origin form), a whole URL (absolute form, to a proxy), or
    /// `host:port` (a `CONNECT`).
    pub path: String,
    /// Header names lower-cased, in the order received.
    pub headers: Vec<(String, String)>,
    /// As many body bytes as `content-length` announced; for a `CONNECT` answered with [`Reply::Tunnel`], every
    /// byte the client sent through the tunnel.
    pub body: Vec<u8>,
    /// Which connection the request came on: 0 for the first the server accepted, 1 for the next, ...
    pub connection: usize,
}

impl Recorded {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as text, lossily.
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// What the server does with one connection, after reading its request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// An HTTP response with `content-length` and `connection: close`, then the connection is closed.
    Http {
        /// The status code.
        status: u16,
        /// Extra headers, in order.
        headers: Vec<(String, String)>,
        /// The body.
        body: Vec<u8>,
    },
    /// `200` with a chunked body of this many spaces (a JSON `{}` to awsJson) and no declared length.
    Chunked(usize),
    /// These bytes as they are, whatever HTTP says, then the connection is closed.
    Raw(Vec<u8>),
    /// These bytes as they are, then nothing more: the connection stays open until the server stops.
    Stall(Vec<u8>),
    /// These pieces, each written `every` after the one before, then the connection is closed.
    Paced {
        /// The bytes of each write.
        pieces: Vec<Vec<u8>>,
        /// The pause before every piece but the first.
        every: Duration,
    },
    /// The answer of a proxy to a `CONNECT`: `200 Connection established`, then every byte the client sends
    /// through the tunnel is recorded as the request's body until the client hangs up (up to 64 KiB). Nothing is
    /// ever answered inside the tunnel.
    Tunnel,
    /// This reply, sent with `connection: keep-alive` instead of `close` (HTTP replies only; others as they are).
    /// The connection stays open and the next request read from it gets the next reply; a connection the client
    /// leaves idle for [`IDLE_LIMIT`] is given up.
    KeepAlive(Box<Reply>),
    /// No answer: the connection stays open until the server stops.
    Silence,
}

/// An HTTP reply with `status` and `body`; add headers with [`Reply::header`].
pub fn reply(status: u16, body: impl Into<Vec<u8>>) -> Reply {
    Reply::Http {
        status,
        headers: Vec::new(),
        body: body.into(),
    }
}

impl Reply {
    /// The same reply with one more header (HTTP replies only; other replies are returned unchanged).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Reply {
        match &mut self {
            Reply::Http { headers, .. } => headers.push((name.into(), value.into())),
            Reply::KeepAlive(inner) => **inner = std::mem::replace(&mut **inner, Reply::Silence).header(name, value),
            _ => {}
        }
        self
    }

    /// The same reply on a connection that stays open for the next request: see [`Reply::KeepAlive`].
    pub fn keep_alive(self) -> Reply {
        Reply::KeepAlive(Box::new(self))
    }
}

/// A running server. Dropping it stops the server and closes every connection it holds.
pub struct Server {
    addr: SocketAddr,
    task: Option<JoinHandle<Vec<Recorded>>>,
    stop: Option<oneshot::Sender<()>>,
}

impl Server {
    /// Serves `replies`, one per request (and so one per connection, but for [`Reply::KeepAlive`]), in order, then
    /// stops.
    pub async fn start(replies: impl IntoIterator<Item = Reply>) -> Server {
        let mut replies = replies.into_iter().collect::<Vec<_>>().into_iter();
        let requests = replies.len();
        Server::route(requests, move |_| replies.next().unwrap_or(Reply::Silence)).await
    }

    /// Serves up to `requests` requests, each answered with what `route` makes of it, then stops.
    pub async fn route(requests: usize, route: impl FnMut(&Recorded) -> Reply + Send + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let (stop, stopped) = oneshot::channel();
        let task = tokio::spawn(serve(listener, requests, route, stopped));
        Server {
            addr,
            task: Some(task),
            stop: Some(stop),
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Waits until every connection was served (silent ones are closed now), and returns the requests received.
    pub async fn finish(mut self) -> Vec<Recorded> {
        let task = self.task.take().expect("a server finishes once");
        // Served connections are all answered by now or never will be: let the task close the silent ones.
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        task.await.expect("the server task")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(task) = &self.task {
            task.abort();
        }
    }
}

async fn serve(
    listener: TcpListener,
    requests: usize,
    mut route: impl FnMut(&Recorded) -> Reply,
    mut stopped: oneshot::Receiver<()>,
) -> Vec<Recorded> {
    let mut recorded = Vec::new();
    let mut silent = Vec::new();
    // The connection the last reply kept open, and its number.
    let mut kept: Option<(TcpStream, usize)> = None;
    let mut accepted_count = 0;
    while recorded.len() < requests {
        let (mut socket, connection) = match kept.take() {
            Some(open) => open,
            None => {
                let accepted = tokio::select! {
                    accepted = tokio::time::timeout(IDLE_LIMIT, listener.accept()) => accepted,
                    // `finish` before every expected client came: nobody else is coming.
                    _ = &mut stopped => return recorded,
                };
                let Ok(Ok((socket, _))) = accepted else {
                    break;
                };
                accepted_count += 1;
                (socket, accepted_count - 1)
            }
        };
        let read = tokio::select! {
            read = tokio::time::timeout(IDLE_LIMIT, read_request(&mut socket, connection)) => read,
            // `finish` while a kept connection waits for a request that is not coming.
            _ = &mut stopped => return recorded,
        };
        // A client may close a connection, kept or new, without a request: the next one comes on a new connection.
        let Ok(Some(mut request)) = read else {
            continue;
        };
        let mut answer = route(&request);
        let keep_alive = matches!(answer, Reply::KeepAlive(_));
        if let Reply::KeepAlive(inner) = answer {
            answer = *inner;
        }
        match answer {
            Reply::Silence => silent.push(socket),
            Reply::Stall(bytes) => {
                let _ = socket.write_all(&bytes).await;
                silent.push(socket);
            }
            Reply::Tunnel => {
                request.body = tunnel(&mut socket).await;
            }
            answer => {
                write_reply(&mut socket, &answer, keep_alive).await;
                if keep_alive {
                    kept = Some((socket, connection));
                }
            }
        }
        recorded.push(request);
    }
    if !silent.is_empty() {
        // Hold them open until the test is done with them.
        let _ = stopped.await;
    }
    recorded
}

/// Answers a `CONNECT` with 200 and returns what the client sends through the tunnel until it hangs up.
async fn tunnel(socket: &mut TcpStream) -> Vec<u8> {
    if socket
        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
        .await
        .is_err()
    {
        return Vec::new();
    }
    let mut through = Vec::new();
    let mut chunk = [0u8; 4096];
    while through.len() < 64 * 1024 {
        match tokio::time::timeout(IDLE_LIMIT, socket.read(&mut chunk)).await {
            Ok(Ok(n)) if n > 0 => through.extend_from_slice(&chunk[..n]),
            _ => break,
        }
    }
    through
}

/// Reads one request: its head, then as many body bytes as its `content-length` says. `None` when the client
/// closes the connection first or sends a head larger than 1 MiB.
async fn read_request(socket: &mut TcpStream, connection: usize) -> Option<Recorded> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        if buf.len() > 1 << 20 {
            return None;
        }
        match socket.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap_or_default().split(' ');
    let method = request_line.next().unwrap_or_default().to_owned();
    let path = request_line.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        match socket.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => body.extend_from_slice(&chunk[..n]),
        }
    }
    body.truncate(length);
    Some(Recorded {
        method,
        path,
        headers,
        body,
        connection,
    })
}

async fn write_reply(socket: &mut TcpStream, reply: &Reply, keep_alive: bool) {
    let bytes = match reply {
        Reply::Http { status, headers, body } => {
            let connection = if keep_alive { "keep-alive" } else { "close" };
            let mut head = format!(
                "HTTP/1.1 {status} Canned\r\ncontent-length: {}\r\nconnection: {connection}\r\n",
                body.len()
            );
            for (name, value) in headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str("\r\n");
            let mut bytes = head.into_bytes();
            bytes.extend_from_slice(body);
            bytes
        }
        Reply::Chunked(n) => {
            let mut text = String::from("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n");
            let mut left = *n;
            while left > 0 {
                let size = left.min(1000);
                text.push_str(&format!("{size:x}\r\n{}\r\n", " ".repeat(size)));
                left -= size;
            }
            text.push_str("0\r\n\r\n");
            text.into_bytes()
        }
        Reply::Raw(bytes) => bytes.clone(),
        Reply::Paced { pieces, every } => {
            for (i, piece) in pieces.iter().enumerate() {
                if i > 0 {
                    tokio::time::sleep(*every).await;
                }
                if socket.write_all(piece).await.is_err() {
                    return;
                }
            }
            Vec::new()
        }
        // Handled by `serve`.
        Reply::Stall(_) | Reply::Tunnel | Reply::KeepAlive(_) | Reply::Silence => return,
    };
    // The client may hang up early (a body over its limit, say): that is its business.
    let _ = socket.write_all(&bytes).await;
    if !keep_alive {
        let _ = socket.shutdown().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn send(url: &str, raw: &str) -> String {
        let mut socket = TcpStream::connect(url.trim_start_matches("http://")).await.unwrap();
        socket.write_all(raw.as_bytes()).await.unwrap();
        let mut out = String::new();
        socket.read_to_string(&mut out).await.unwrap();
        out
    }

    #[tokio::test]
    async fn replies_in_order_and_records_requests() {
        let server = Server::start([reply(201, "one").header("x-a", "1"), reply(500, "")]).await;
        let first = send(
            &server.url(),
            "POST /p?q HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc",
        )
        .await;
        assert!(first.starts_with("HTTP/1.1 201 "), "{first}");
        assert!(
            first.contains("x-a: 1\r\n") && first.ends_with("\r\n\r\none"),
            "{first}"
        );
        let second = send(&server.url(), "GET / HTTP/1.1\r\n\r\n").await;
        assert!(second.starts_with("HTTP/1.1 500 "), "{second}");
        let recorded = server.finish().await;
        assert_eq!(recorded.len(), 2);
        assert_eq!(
            (recorded[0].method.as_str(), recorded[0].path.as_str()),
            ("POST", "/p?q")
        );
        assert_eq!(recorded[0].header("HOST"), Some("h"));
        assert_eq!(recorded[0].body_text(), "abc");
    }

    #[tokio::test]
    async fn routes_by_request_and_finishes_early() {
        let server = Server::route(5, |r| reply(200, r.path.clone())).await;
        let answer = send(&server.url(), "GET /echo HTTP/1.1\r\n\r\n").await;
        assert!(answer.ends_with("/echo"), "{answer}");
        assert_eq!(
            server.finish().await.len(),
            1,
            "finish does not wait for clients that never come"
        );
    }

    #[tokio::test]
    async fn kept_alive_connections_carry_the_next_request() {
        let server = Server::start([reply(200, "a").keep_alive(), reply(200, "b"), reply(200, "c")]).await;
        let mut socket = TcpStream::connect(server.addr()).await.unwrap();
        let mut answer = vec![0u8; 4096];
        socket.write_all(b"GET /1 HTTP/1.1\r\n\r\n").await.unwrap();
        let n = socket.read(&mut answer).await.unwrap();
        let first = String::from_utf8_lossy(&answer[..n]).into_owned();
        assert!(
            first.contains("connection: keep-alive\r\n") && first.ends_with("\r\n\r\na"),
            "{first}"
        );
        socket.write_all(b"GET /2 HTTP/1.1\r\n\r\n").await.unwrap();
        let mut second = String::new();
        socket.read_to_string(&mut second).await.unwrap();
        assert!(
            second.contains("connection: close\r\n") && second.ends_with('b'),
            "{second}"
        );
        let third = send(&server.url(), "GET /3 HTTP/1.1\r\n\r\n").await;
        assert!(third.ends_with('c'), "{third}");
        let recorded = server.finish().await;
        let seen: Vec<_> = recorded.iter().map(|r| (r.path.as_str(), r.connection)).collect();
        assert_eq!(seen, [("/1", 0), ("/2", 0), ("/3", 1)]);
    }

    #[tokio::test]
    async fn tunnels_record_what_comes_through_them() {
        let server = Server::start([Reply::Tunnel]).await;
        let mut socket = TcpStream::connect(server.addr()).await.unwrap();
        socket
            .write_all(b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n")
            .await
            .unwrap();
        let mut answer = vec![0u8; 100];
        let n = socket.read(&mut answer).await.unwrap();
        assert_eq!(&answer[..n], b"HTTP/1.1 200 Connection established\r\n\r\n");
        socket.write_all(b"\x16\x03\x01 anything").await.unwrap();
        drop(socket);
        let recorded = server.finish().await;
        assert_eq!(
            (recorded[0].method.as_str(), recorded[0].path.as_str()),
            ("CONNECT", "example.com:443")
        );
        assert_eq!(recorded[0].body, b"\x16\x03\x01 anything");
    }

    #[tokio::test]
    async fn stalled_and_paced_replies_write_what_they_are_given() {
        let server = Server::start([
            Reply::Stall(b"HTTP/1.1 200 OK\r\n".to_vec()),
            Reply::Paced {
                pieces: vec![b"one ".to_vec(), b"two".to_vec()],
                every: Duration::from_millis(10),
            },
        ])
        .await;
        let mut stalled = TcpStream::connect(server.addr()).await.unwrap();
        stalled.write_all(b"GET / HTTP/1.1\r\n\r\n").await.unwrap();
        let mut head = vec![0u8; 100];
        let n = stalled.read(&mut head).await.unwrap();
        assert_eq!(&head[..n], b"HTTP/1.1 200 OK\r\n");
        let paced = send(&server.url(), "GET / HTTP/1.1\r\n\r\n").await;
        assert_eq!(paced, "one two");
        // The stalled connection is still open: nothing more, no end.
        let more = tokio::time::timeout(Duration::from_millis(50), stalled.read(&mut head)).await;
        assert!(more.is_err(), "{more:?}");
        assert_eq!(server.finish().await.len(), 2);
    }

    #[tokio::test]
    async fn chunked_replies_carry_the_whole_body() {
        let server = Server::start([Reply::Chunked(2500)]).await;
        let answer = send(&server.url(), "GET / HTTP/1.1\r\n\r\n").await;
        assert!(
            answer.contains("transfer-encoding: chunked") && answer.contains("3e8\r\n"),
            "{answer}"
        );
        let body = &answer[answer.find("\r\n\r\n").unwrap() + 4..];
        assert_eq!(body.matches(' ').count(), 2500);
    }
}
