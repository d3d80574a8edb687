//! A TCP proxy in front of a real service (Postgres, Redis) that can freeze: it keeps every
//! connection open and accepts new ones, but forwards nothing until it thaws — what a
//! stopped (`SIGSTOP`) or partitioned server looks like to a client. Refusing would be the
//! easy case; this is the one that makes clients hang.

use std::net::SocketAddr;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;

/// A running proxy; dropping it closes every connection.
#[derive(Debug)]
pub struct FreezableProxy {
    /// Where clients connect.
    pub addr: SocketAddr,
    frozen: watch::Sender<bool>,
    tasks: JoinSet<()>,
}

/// Resolves once `frozen` is false.
async fn thawed(frozen: &mut watch::Receiver<bool>) {
    let _ = frozen.wait_for(|f| !*f).await;
}

/// Copies `from` to `to`, holding each chunk while frozen.
async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    mut frozen: watch::Receiver<bool>,
) {
    let mut buf = vec![0_u8; 16 * 1024];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        thawed(&mut frozen).await;
        if to.write_all(&buf[..n]).await.is_err() {
            break;
        }
    }
    let _ = to.shutdown().await;
}

impl FreezableProxy {
    /// Listens on a free loopback port and forwards to `upstream`.
    pub async fn start(upstream: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the proxy");
        let addr = listener.local_addr().expect("proxy address");
        let (frozen, watcher) = watch::channel(false);
        let mut tasks = JoinSet::new();
        tasks.spawn(async move {
            let mut connections = JoinSet::new();
            while let Ok((client, _)) = listener.accept().await {
                let mut frozen = watcher.clone();
                connections.spawn(async move {
                    // Accepted, and held without a word while frozen.
                    thawed(&mut frozen).await;
                    let Ok(server) = TcpStream::connect(upstream).await else {
                        return;
                    };
                    let (client_rd, client_wr) = client.into_split();
                    let (server_rd, server_wr) = server.into_split();
                    tokio::join!(
                        pump(client_rd, server_wr, frozen.clone()),
                        pump(server_rd, client_wr, frozen),
                    );
                });
            }
        });
        Self {
            addr,
            frozen,
            tasks,
        }
    }

    /// Stops forwarding: connections stay open, new ones are accepted, nothing answers.
    pub fn freeze(&self) {
        let _ = self.frozen.send(true);
    }

    /// Forwards again whatever was held.
    pub fn thaw(&self) {
        let _ = self.frozen.send(false);
    }

    /// The address `url` (`postgres://user@host:port/db`, `redis://host:port`) points at,
    /// and how to write it pointing at another.
    fn rewrite(url: &str) -> (SocketAddr, impl FnOnce(SocketAddr) -> String) {
        let (scheme, rest) = url.split_once("://").expect("a URL with a scheme");
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        let (userinfo, hostport) = match authority.rsplit_once('@') {
            Some((u, h)) => (format!("{u}@"), h),
            None => (String::new(), authority),
        };
        let upstream: SocketAddr = hostport
            .replace("localhost", "127.0.0.1")
            .parse()
            .expect("the URL names an IP address and a port");
        let (scheme, path) = (scheme.to_owned(), path.to_owned());
        (upstream, move |proxy: SocketAddr| {
            format!("{scheme}://{userinfo}{proxy}{path}")
        })
    }

    /// A proxy in front of the service `url` names, and `url` pointed at it.
    pub async fn in_front_of(url: &str) -> (Self, String) {
        let (upstream, rewrite) = Self::rewrite(url);
        let proxy = Self::start(upstream).await;
        let url = rewrite(proxy.addr);
        (proxy, url)
    }
}

impl Drop for FreezableProxy {
    fn drop(&mut self) {
        self.tasks.abort_all();
    }
}
