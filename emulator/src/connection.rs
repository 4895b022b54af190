//! Accepting and watching connections: at most `max_connections` at a time (fewer when the
//! open-file limit is lower), and each one closed when it has not sent a complete request
//! head within `head_timeout` (from when it opened, or from the first byte of the next
//! request) or stays idle between requests longer than `idle_timeout`. hyper's own
//! `header_read_timeout` cannot tell the two apart (it starts when a keep-alive connection
//! goes idle), hence this watchdog.

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

use crate::app::App;

/// How connections are limited (`--max-connections`, `--head-timeout-ms`, `--idle-timeout-ms`).
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    pub max_connections: usize,
    pub head_timeout: Duration,
    pub idle_timeout: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            max_connections: 512,
            head_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
        }
    }
}

/// Open files kept free for everything but connections (the state file, static files,
/// upstream connections, the runtime's own descriptors).
const RESERVED_FILES: u64 = 32;

/// Serves `listener` forever. Running out of descriptors only delays accepting: the
/// waiting connections stay in the kernel's queue until a descriptor is free.
pub async fn accept_loop(listener: TcpListener, limits: ConnectionLimits, app: Arc<App>) {
    let max = effective_max(limits.max_connections);
    if max < limits.max_connections {
        eprintln!(
            "atlas-emulator: serving at most {max} connections at a time (the open-file limit is low)"
        );
    }
    let slots = Arc::new(Semaphore::new(max));
    let mut failing = false;
    loop {
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return;
        };
        match listener.accept().await {
            Ok((stream, _)) => {
                failing = false;
                tokio::spawn(watch(stream, limits, app.clone(), slot));
            }
            Err(e) => {
                if !failing {
                    eprintln!("atlas-emulator: accept failed: {e} (retrying)");
                    failing = true;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
}

fn effective_max(wanted: usize) -> usize {
    match open_file_limit() {
        Some(limit) => wanted.min(limit.saturating_sub(RESERVED_FILES).max(1) as usize),
        None => wanted,
    }
    .max(1)
}

#[cfg(unix)]
fn open_file_limit() -> Option<u64> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit only writes the struct it is given.
    let ok = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0;
    #[allow(clippy::unnecessary_cast)] // rlim_t is not u64 on every unix
    (ok && limit.rlim_cur != libc::RLIM_INFINITY).then_some(limit.rlim_cur as u64)
}

#[cfg(not(unix))]
fn open_file_limit() -> Option<u64> {
    None
}

/// Serves one connection until it ends or its deadline passes (then drops it, closing it).
async fn watch(
    stream: TcpStream,
    limits: ConnectionLimits,
    app: Arc<App>,
    _slot: OwnedSemaphorePermit,
) {
    let _ = stream.set_nodelay(true);
    let activity = Arc::new(Activity::new());
    let io = TokioIo::new(Watched {
        inner: stream,
        activity: activity.clone(),
    });
    let seen = activity.clone();
    let service = service_fn(move |req| {
        let answering = seen.begin();
        let app = app.clone();
        async move {
            let result = app.handle(req).await;
            drop(answering);
            result
        }
    });
    // A service error (a programmed drop) closes the connection without an answer.
    let conn = hyper::server::conn::http1::Builder::new()
        .keep_alive(true)
        .serve_connection(io, service);
    tokio::pin!(conn);
    loop {
        let deadline = activity.deadline(&limits);
        tokio::select! {
            _ = conn.as_mut() => return,
            _ = activity.changed.notified() => {}
            _ = sleep_until(deadline) => {
                if activity.deadline(&limits).is_some_and(|d| d <= Instant::now()) {
                    return;
                }
            }
        }
    }
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(d) => tokio::time::sleep_until(d).await,
        None => std::future::pending().await,
    }
}

/// What a connection is doing.
#[derive(Clone, Copy)]
enum Phase {
    /// Waiting for a complete request head, since then.
    Head(Instant),
    /// This many requests are being answered.
    Answering(usize),
    /// Between requests, since the last answer or the last byte written.
    Idle(Instant),
}

struct Activity {
    phase: Mutex<Phase>,
    /// Woken when the deadline may have moved earlier.
    changed: Notify,
}

impl Activity {
    fn new() -> Self {
        Activity {
            phase: Mutex::new(Phase::Head(Instant::now())),
            changed: Notify::new(),
        }
    }

    fn phase(&self) -> std::sync::MutexGuard<'_, Phase> {
        self.phase.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn deadline(&self, limits: &ConnectionLimits) -> Option<Instant> {
        match *self.phase() {
            Phase::Head(since) => Some(since + limits.head_timeout),
            Phase::Answering(_) => None,
            Phase::Idle(since) => Some(since + limits.idle_timeout),
        }
    }

    /// A request head arrived; the guard marks the end of its answer.
    fn begin(self: &Arc<Self>) -> Answering {
        let mut phase = self.phase();
        *phase = match *phase {
            Phase::Answering(n) => Phase::Answering(n + 1),
            _ => Phase::Answering(1),
        };
        Answering(self.clone())
    }

    fn read(&self) {
        let mut phase = self.phase();
        if let Phase::Idle(_) = *phase {
            *phase = Phase::Head(Instant::now());
            drop(phase);
            self.changed.notify_one();
        }
    }

    fn wrote(&self) {
        let mut phase = self.phase();
        if let Phase::Idle(_) = *phase {
            *phase = Phase::Idle(Instant::now());
        }
    }
}

/// Held while a request is being answered.
struct Answering(Arc<Activity>);

impl Drop for Answering {
    fn drop(&mut self) {
        let mut phase = self.0.phase();
        *phase = match *phase {
            Phase::Answering(n) if n > 1 => Phase::Answering(n - 1),
            _ => Phase::Idle(Instant::now()),
        };
        drop(phase);
        self.0.changed.notify_one();
    }
}

/// The socket, reporting reads and writes to its connection's [`Activity`].
struct Watched {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(result, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.read();
        }
        result
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.wrote();
        }
        result
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.wrote();
        }
        result
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
