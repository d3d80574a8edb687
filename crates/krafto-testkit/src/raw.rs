//! HTTP/1.1 spoken by hand over a socket, for what a well-behaved client library will not
//! send: two `Host` headers, an absolute request target, a chunked body streamed while the
//! answer is read.

use serde_json::Value;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// An answer read off the socket.
#[derive(Debug)]
pub struct RawReply {
    pub status: u16,
    /// The status line and headers.
    pub head: String,
    pub body: Value,
    pub text: String,
}

impl RawReply {
    /// The problem `code` of an error answer.
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }
}

/// Reads one HTTP/1.1 answer (the server closes or the declared body is whole).
pub async fn read_reply(rd: &mut (impl AsyncReadExt + Unpin)) -> RawReply {
    let mut raw = Vec::new();
    let mut buf = [0_u8; 8192];
    loop {
        let n = rd.read(&mut buf).await.unwrap_or(0);
        raw.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&raw);
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let expected = head.lines().find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case("content-length")
                    .then(|| v.trim().parse::<usize>().ok())?
            });
            if n == 0 || expected.is_some_and(|e| body.len() >= e) {
                break;
            }
        }
        assert!(n > 0, "the connection closed before an answer: {text:?}");
    }
    let text = String::from_utf8(raw).expect("an answer in UTF-8");
    let (head, body) = text.split_once("\r\n\r\n").expect("a head and a body");
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    RawReply {
        status,
        head: head.to_owned(),
        body: serde_json::from_str(body).unwrap_or(Value::Null),
        text: body.to_owned(),
    }
}

/// Sends `head` (request line and headers, without the blank line) and `body` as they are.
pub async fn raw_request(addr: SocketAddr, head: &str, body: &[u8]) -> RawReply {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    stream
        .write_all(format!("{head}\r\nconnection: close\r\n\r\n").as_bytes())
        .await
        .expect("send the head");
    stream.write_all(body).await.expect("send the body");
    tokio::time::timeout(Duration::from_secs(10), read_reply(&mut stream))
        .await
        .expect("an answer within 10 s")
}

/// Streams a chunked body of `total` bytes (starting with `prefix`) to `path` and reads the
/// answer meanwhile. Returns it with how many body bytes had been written when it came.
pub async fn chunked_upload(
    addr: SocketAddr,
    host: &str,
    path: &str,
    headers: &str,
    prefix: &[u8],
    total: usize,
) -> (RawReply, usize) {
    let stream = TcpStream::connect(addr).await.expect("connect");
    let (mut rd, mut wr) = stream.into_split();
    let sent = Arc::new(AtomicUsize::new(0));
    let head = format!(
        "POST {path} HTTP/1.1\r\nhost: {host}\r\n{headers}\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n"
    );
    let prefix = prefix.to_vec();
    let counter = sent.clone();
    let writer = tokio::spawn(async move {
        wr.write_all(head.as_bytes()).await?;
        let mut first = Some(prefix);
        let filler = vec![b'a'; 64 * 1024];
        while counter.load(Ordering::SeqCst) < total {
            let chunk = first.take().unwrap_or_else(|| filler.clone());
            wr.write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                .await?;
            wr.write_all(&chunk).await?;
            wr.write_all(b"\r\n").await?;
            counter.fetch_add(chunk.len(), Ordering::SeqCst);
        }
        wr.write_all(b"0\r\n\r\n").await?;
        Ok::<_, std::io::Error>(())
    });
    let reply = tokio::time::timeout(Duration::from_secs(20), read_reply(&mut rd))
        .await
        .expect("an answer within 20 s");
    let at_answer = sent.load(Ordering::SeqCst);
    writer.abort();
    (reply, at_answer)
}
