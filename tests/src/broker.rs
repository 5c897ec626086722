//! Real ActiveMQ brokers for integration tests, run by `scripts/activemq.sh`
//! (Debian's `activemq` package, installed on first use; a broker starts in
//! about 1 s).
//!
//! - [`shared_broker`]: the broker every test of a process shares. It is the
//!   one named by `GCCLIENT_TEST_STOMP` / `GCCLIENT_TEST_OPENWIRE` (host:port,
//!   as `scripts/test` exports them), or else one private broker started on
//!   first use for this test process. Tests keep apart by using their own
//!   destinations: [`unique_name`].
//! - [`PrivateBroker`]: a broker of a test's own (own ports, own directory) for
//!   fault tests: [`PrivateBroker::kill9`], [`PrivateBroker::stop`],
//!   [`PrivateBroker::restart`]; optionally with TLS, a login, persistence
//!   ([`BrokerOptions`]). Dropping it kills it and deletes its directory.
//!
//! Every broker this module starts also has a watchdog (`--watch-pid`) that
//! stops it and deletes its directory (under the system temp dir,
//! `gcclient-broker-*`) within about a second after the test process exits,
//! since Rust runs no destructor for statics and none after a panic=abort.
//!
//! Ports are picked at random below the kernel's ephemeral port range, so that
//! no outgoing connection can take a port while its broker is down for a
//! restart; a start that loses a port race to another process is retried with
//! new ports.
//!
//! ```no_run
//! use gcclient_tests::broker::{shared_broker, unique_name, PrivateBroker};
//!
//! let b = shared_broker();
//! let queue = unique_name("login-q"); // e.g. "login-q-3f9c0a1b2c3d4e5f"
//! println!("{} {} {queue}", b.stomp, b.openwire);
//!
//! let p = PrivateBroker::start();
//! let addr = p.stomp_addr();
//! p.kill9(); // connections drop, the port refuses
//! p.restart(); // same ports; returns once they accept again
//! # let _ = addr;
//! ```

use std::fmt;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

/// Where a broker listens, as `host:port`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokerAddrs {
    /// STOMP, e.g. `127.0.0.1:61613`.
    pub stomp: String,
    /// OpenWire (what GC and the JMS peer use), e.g. `127.0.0.1:61616`.
    pub openwire: String,
}

/// The broker shared by every test of this process (see the module docs).
/// Starting it blocks for about a second, once; a failure panics with the
/// broker's log.
pub fn shared_broker() -> &'static BrokerAddrs {
    static SHARED: OnceLock<BrokerAddrs> = OnceLock::new();
    static PRIVATE: OnceLock<PrivateBroker> = OnceLock::new();
    SHARED.get_or_init(|| {
        let stomp = std::env::var("GCCLIENT_TEST_STOMP").ok();
        let openwire = std::env::var("GCCLIENT_TEST_OPENWIRE").ok();
        match (stomp, openwire) {
            (Some(stomp), Some(openwire)) => BrokerAddrs { stomp, openwire },
            (None, None) => {
                eprintln!(
                    "[broker] GCCLIENT_TEST_STOMP/GCCLIENT_TEST_OPENWIRE not set: \
                     starting a private broker for this test process"
                );
                // A static is never dropped: the watchdog stops this broker
                // when the process exits. Full JIT: benchmarks may use it.
                PRIVATE
                    .get_or_init(|| {
                        PrivateBroker::try_start_inner(BrokerOptions::default(), "")
                            .unwrap_or_else(|e| panic!("{e}"))
                    })
                    .addrs()
            }
            _ => panic!("set both GCCLIENT_TEST_STOMP and GCCLIENT_TEST_OPENWIRE, or neither"),
        }
    })
}

/// A destination name no other test (of any process) uses:
/// `{prefix}-{16 hex digits}`. Only `[A-Za-z0-9-]` besides the prefix, so it
/// is valid for ActiveMQ and free of GC's delimiters (`,` `#` `|`).
pub fn unique_name(prefix: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let r = uuid::Uuid::new_v4().as_u128() as u64;
    // The counter makes names of one process distinct even if the random
    // part collided; the random part keeps processes apart.
    format!("{prefix}-{:016x}", r ^ n.rotate_left(48))
}

/// Options of a [`PrivateBroker`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BrokerOptions {
    /// Add a `stomp+ssl` connector with a certificate for `localhost` and
    /// `127.0.0.1`, signed by a test CA ([`PrivateBroker::ca_pem`]).
    pub tls: bool,
    /// Require this login (`login`/`passcode` on STOMP) on every connector.
    pub credentials: Option<(String, String)>,
    /// Keep persistent messages on disk across [`PrivateBroker::kill9`] and
    /// restarts (default: memory only; nothing survives a restart).
    pub persistent: bool,
}

impl BrokerOptions {
    pub fn tls(mut self) -> Self {
        self.tls = true;
        self
    }

    pub fn credentials(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
        self.credentials = Some((user.into(), password.into()));
        self
    }

    pub fn persistent(mut self) -> Self {
        self.persistent = true;
        self
    }
}

/// A failed `scripts/activemq.sh` call, with what the script printed (for a
/// failed start, the broker's error lines and the end of its log).
#[derive(Debug, Clone)]
pub struct BrokerError {
    pub command: String,
    pub status: Option<i32>,
    pub output: String,
}

impl fmt::Display for BrokerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` failed (exit status {:?}):\n{}",
            self.command, self.status, self.output
        )
    }
}

impl std::error::Error for BrokerError {}

/// How many times a start is retried with new ports after losing a port race.
const PORT_ATTEMPTS: usize = 8;
/// `scripts/activemq.sh` exits with this when a port is taken.
const EXIT_PORT_TAKEN: i32 = 3;

/// A broker of one test's own. Killed (and its directory deleted) on drop.
///
/// Every method blocks until the script is done (start/restart ~1 s, stop
/// ~0.1 s, kill9 a few ms) and panics on failure with the broker's log; the
/// `*_async` variants do the same without blocking a tokio runtime's thread,
/// so that a client under test in the same runtime keeps running meanwhile.
#[derive(Debug)]
pub struct PrivateBroker {
    dir: PathBuf,
    stomp: u16,
    openwire: u16,
    ssl: Option<u16>,
    options: BrokerOptions,
    tls_files: Option<TlsFiles>,
    /// `ACTIVEMQ_JAVA_OPTS` for the script.
    java_opts: &'static str,
}

/// JVM options of private brokers: C1 only, which starts ~30% faster; fault
/// tests need no peak throughput.
const QUICK_JVM: &str = "-XX:TieredStopAtLevel=1";

#[derive(Debug, Clone)]
struct TlsFiles {
    keystore: PathBuf,
    password: String,
    ca_pem: PathBuf,
}

impl PrivateBroker {
    /// A plain broker (STOMP and OpenWire, no login, in memory).
    pub fn start() -> PrivateBroker {
        Self::start_with(BrokerOptions::default())
    }

    pub fn start_with(options: BrokerOptions) -> PrivateBroker {
        Self::try_start_with(options).unwrap_or_else(|e| panic!("{e}"))
    }

    pub async fn start_async() -> PrivateBroker {
        Self::start_with_async(BrokerOptions::default()).await
    }

    pub async fn start_with_async(options: BrokerOptions) -> PrivateBroker {
        tokio::task::spawn_blocking(move || Self::try_start_with(options))
            .await
            .expect("start task panicked")
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Like [`PrivateBroker::start_with`], returning the error instead of panicking.
    pub fn try_start_with(options: BrokerOptions) -> Result<PrivateBroker, BrokerError> {
        Self::try_start_inner(options, QUICK_JVM)
    }

    fn try_start_inner(
        options: BrokerOptions,
        java_opts: &'static str,
    ) -> Result<PrivateBroker, BrokerError> {
        let tls_files = if options.tls {
            Some(tls_files()?)
        } else {
            None
        };
        let mut last_err = None;
        for _ in 0..PORT_ATTEMPTS {
            let ports = free_ports(if options.tls { 3 } else { 2 });
            let dir = std::env::temp_dir().join(format!(
                "gcclient-broker-{}-{}",
                std::process::id(),
                unique_name("b").trim_start_matches("b-")
            ));
            let b = PrivateBroker {
                dir,
                stomp: ports[0],
                openwire: ports[1],
                ssl: ports.get(2).copied(),
                options: options.clone(),
                tls_files: tls_files.clone(),
                java_opts,
            };
            match b.script(&b.start_args()) {
                Ok(_) => return Ok(b),
                // Lost a race for a port: try others (`b`'s drop cleans up).
                Err(e) if e.status == Some(EXIT_PORT_TAKEN) => last_err = Some(e),
                Err(e) => return Err(e),
            }
        }
        Err(last_err.expect("at least one attempt"))
    }

    /// `127.0.0.1:port` of the STOMP connector.
    pub fn stomp_addr(&self) -> String {
        format!("127.0.0.1:{}", self.stomp)
    }

    /// `127.0.0.1:port` of the OpenWire connector (for the JMS peer).
    pub fn openwire_addr(&self) -> String {
        format!("127.0.0.1:{}", self.openwire)
    }

    /// `127.0.0.1:port` of the `stomp+ssl` connector, with [`BrokerOptions::tls`].
    /// Its certificate is for `localhost` and `127.0.0.1`.
    pub fn stomp_ssl_addr(&self) -> Option<String> {
        self.ssl.map(|p| format!("127.0.0.1:{p}"))
    }

    /// The PEM file of the CA that signed the broker's certificate, with
    /// [`BrokerOptions::tls`].
    pub fn ca_pem(&self) -> Option<&Path> {
        self.tls_files.as_ref().map(|t| t.ca_pem.as_path())
    }

    /// The login the broker requires, with [`BrokerOptions::credentials`].
    pub fn credentials(&self) -> Option<(&str, &str)> {
        self.options
            .credentials
            .as_ref()
            .map(|(u, p)| (u.as_str(), p.as_str()))
    }

    pub fn options(&self) -> &BrokerOptions {
        &self.options
    }

    pub fn addrs(&self) -> BrokerAddrs {
        BrokerAddrs {
            stomp: self.stomp_addr(),
            openwire: self.openwire_addr(),
        }
    }

    /// The broker's directory (config, data, `log`).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The broker's output, for diagnostics.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("log")).unwrap_or_default()
    }

    /// Whether the broker process is alive.
    pub fn is_running(&self) -> bool {
        self.script(&["status".into(), "--dir".into(), self.dir_arg()])
            .is_ok()
    }

    /// Kills the broker with SIGKILL (a crash: connections are cut without a
    /// goodbye, non-persistent messages are lost). Returns once it is gone.
    pub fn kill9(&self) {
        self.must(&["kill".into(), "--dir".into(), self.dir_arg()]);
    }

    /// Stops the broker gracefully (SIGTERM; SIGKILL after 10 s). Returns once
    /// it is gone.
    pub fn stop(&self) {
        self.must(&["stop".into(), "--dir".into(), self.dir_arg()]);
    }

    /// Stops the broker if it runs, then starts it again on the same ports;
    /// returns once they accept connections again.
    pub fn restart(&self) {
        self.stop();
        self.must(&self.start_args());
    }

    /// Starts a stopped or killed broker again (same ports); a no-op if it runs.
    pub fn start_again(&self) {
        self.must(&self.start_args());
    }

    pub async fn kill9_async(&self) {
        self.must_async(vec!["kill".into(), "--dir".into(), self.dir_arg()])
            .await;
    }

    pub async fn stop_async(&self) {
        self.must_async(vec!["stop".into(), "--dir".into(), self.dir_arg()])
            .await;
    }

    pub async fn restart_async(&self) {
        self.stop_async().await;
        self.must_async(self.start_args()).await;
    }

    pub async fn start_again_async(&self) {
        self.must_async(self.start_args()).await;
    }

    fn dir_arg(&self) -> String {
        self.dir.display().to_string()
    }

    fn start_args(&self) -> Vec<String> {
        let mut a: Vec<String> = vec![
            "start".into(),
            "--dir".into(),
            self.dir_arg(),
            "--stomp".into(),
            self.stomp.to_string(),
            "--openwire".into(),
            self.openwire.to_string(),
            "--watch-pid".into(),
            std::process::id().to_string(),
            "--rm-on-exit".into(),
        ];
        if let (Some(port), Some(tls)) = (self.ssl, &self.tls_files) {
            a.extend([
                "--ssl-port".into(),
                port.to_string(),
                "--keystore".into(),
                tls.keystore.display().to_string(),
                "--keystore-password".into(),
                tls.password.clone(),
            ]);
        }
        if let Some((user, password)) = &self.options.credentials {
            a.extend([
                "--user".into(),
                user.clone(),
                "--password".into(),
                password.clone(),
            ]);
        }
        if self.options.persistent {
            a.push("--persistent".into());
        }
        a
    }

    fn script(&self, args: &[String]) -> Result<Output, BrokerError> {
        run_script(args, &[("ACTIVEMQ_JAVA_OPTS", self.java_opts)])
    }

    fn must(&self, args: &[String]) {
        if let Err(e) = self.script(args) {
            panic!("{e}");
        }
    }

    async fn must_async(&self, args: Vec<String>) {
        let java_opts = self.java_opts;
        let r = tokio::task::spawn_blocking(move || {
            run_script(&args, &[("ACTIVEMQ_JAVA_OPTS", java_opts)])
        })
        .await
        .expect("script task panicked");
        if let Err(e) = r {
            panic!("{e}");
        }
    }
}

impl Drop for PrivateBroker {
    fn drop(&mut self) {
        let _ = self.script(&["kill".into(), "--dir".into(), self.dir_arg()]);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `scripts/activemq.sh` of this checkout.
pub fn script_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("scripts")
        .join("activemq.sh")
}

fn run_script(args: &[String], env: &[(&str, &str)]) -> Result<Output, BrokerError> {
    let script = script_path();
    let command = format!("{} {}", script.display(), args.join(" "));
    let out = Command::new("bash")
        .arg(&script)
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .map_err(|e| BrokerError {
            command: command.clone(),
            status: None,
            output: format!("cannot run bash: {e}"),
        })?;
    if out.status.success() {
        Ok(out)
    } else {
        Err(BrokerError {
            command,
            status: out.status.code(),
            output: format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        })
    }
}

/// The test CA and broker keystore, made once per machine (by keytool, ~2 s)
/// in the temp dir and shared by every process.
fn tls_files() -> Result<TlsFiles, BrokerError> {
    static FILES: OnceLock<Result<TlsFiles, BrokerError>> = OnceLock::new();
    FILES
        .get_or_init(|| {
            let dir = std::env::temp_dir().join("gcclient-test-tls-v1");
            let password = "changeit".to_string();
            run_script(
                &[
                    "keystore".into(),
                    "--out".into(),
                    dir.display().to_string(),
                    "--keystore-password".into(),
                    password.clone(),
                ],
                &[],
            )?;
            Ok(TlsFiles {
                keystore: dir.join("broker.p12"),
                password,
                ca_pem: dir.join("ca.pem"),
            })
        })
        .clone()
}

/// `n` distinct ports that were free a moment ago, below the ephemeral
/// range when possible (so outgoing connections never take them). The
/// broker binds them in another process, so another process may still take
/// one in between: callers retry on `EXIT_PORT_TAKEN` (see
/// [`PrivateBroker::try_start_with`]), they never count on luck.
fn free_ports(n: usize) -> Vec<u16> {
    reserve_ports(n)
        .iter()
        .map(|l| l.local_addr().expect("local addr").port())
        .collect()
}

/// `n` distinct ports, each held by a listener until the caller drops it.
fn reserve_ports(n: usize) -> Vec<TcpListener> {
    let ephemeral_low = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<u32>().ok())
        .unwrap_or(32768);
    let (lo, hi) = (20000u32, ephemeral_low.min(65536));
    let mut held: Vec<TcpListener> = Vec::with_capacity(n);
    if hi > lo + 100 {
        for _ in 0..1000 {
            if held.len() == n {
                break;
            }
            let r = (uuid::Uuid::new_v4().as_u128() % u128::from(hi - lo)) as u32;
            // Binding is the check: a port we hold cannot be picked twice.
            if let Ok(l) = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], (lo + r) as u16))) {
                held.push(l);
            }
        }
    }
    // Fallback: let the kernel choose (ephemeral range).
    while held.len() < n {
        held.push(TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0"));
    }
    held
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{ErrorKind, Read, Write};
    use std::net::TcpStream;
    use std::time::Duration;

    const T: Duration = Duration::from_secs(10);

    /// Sends CONNECT (with an optional login) and returns the broker's first
    /// frame up to its NUL.
    fn stomp_hello(stream: &mut (impl Read + Write), login: Option<(&str, &str)>) -> String {
        let mut f = "CONNECT\naccept-version:1.2\nhost:localhost\nheart-beat:0,0\n".to_string();
        if let Some((u, p)) = login {
            f.push_str(&format!("login:{u}\npasscode:{p}\n"));
        }
        f.push_str("\n\0");
        stream.write_all(f.as_bytes()).unwrap();
        stream.flush().unwrap();
        read_frame(stream)
    }

    fn read_frame(stream: &mut impl Read) -> String {
        let mut out = Vec::new();
        let mut b = [0u8; 1];
        loop {
            match stream.read(&mut b) {
                Ok(0) => break,
                Ok(_) if b[0] == 0 => break,
                Ok(_) => out.push(b[0]),
                Err(e) => panic!("reading a STOMP frame: {e}"),
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    }

    fn tcp(addr: &str) -> std::io::Result<TcpStream> {
        let s = TcpStream::connect(addr)?;
        s.set_read_timeout(Some(T))?;
        Ok(s)
    }

    fn send(addr: &str, queue: &str, persistent: bool, body: &str) {
        let mut s = tcp(addr).unwrap();
        let hello = stomp_hello(&mut s, None);
        assert!(hello.starts_with("CONNECTED"), "{hello}");
        let f = format!(
            "SEND\ndestination:/queue/{queue}\npersistent:{persistent}\nreceipt:r1\n\n{body}\0"
        );
        s.write_all(f.as_bytes()).unwrap();
        let r = read_frame(&mut s);
        assert!(r.trim_start().starts_with("RECEIPT"), "{r}");
    }

    /// The first MESSAGE body on `queue` within `wait`, if any.
    fn receive(addr: &str, queue: &str, wait: Duration) -> Option<String> {
        let mut s = tcp(addr).unwrap();
        let hello = stomp_hello(&mut s, None);
        assert!(hello.starts_with("CONNECTED"), "{hello}");
        s.write_all(
            format!("SUBSCRIBE\ndestination:/queue/{queue}\nid:1\nreceipt:s\n\n\0").as_bytes(),
        )
        .unwrap();
        let r = read_frame(&mut s);
        assert!(r.trim_start().starts_with("RECEIPT"), "{r}");
        s.set_read_timeout(Some(wait)).unwrap();
        let mut out = Vec::new();
        let mut b = [0u8; 1];
        loop {
            match s.read(&mut b) {
                Ok(0) => return None,
                Ok(_) if b[0] == 0 => break,
                Ok(_) => out.push(b[0]),
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    return None
                }
                Err(e) => panic!("{e}"),
            }
        }
        let frame = String::from_utf8(out).unwrap();
        let frame = frame.trim_start();
        assert!(frame.starts_with("MESSAGE"), "{frame}");
        Some(frame.split_once("\n\n").unwrap().1.to_string())
    }

    #[test]
    fn unique_names_differ_and_keep_the_prefix() {
        let names: std::collections::HashSet<String> =
            (0..1000).map(|_| unique_name("q")).collect();
        assert_eq!(names.len(), 1000);
        for n in &names {
            let rest = n.strip_prefix("q-").expect("prefix");
            assert_eq!(rest.len(), 16);
            assert!(rest.chars().all(|c| c.is_ascii_hexdigit()), "{n}");
        }
    }

    /// Held ports are distinct and really ours: nobody else can bind them
    /// while we hold them, whatever else runs on the machine.
    #[test]
    fn reserved_ports_are_distinct_and_held() {
        let held = reserve_ports(3);
        let ports: Vec<u16> = held
            .iter()
            .map(|l| l.local_addr().unwrap().port())
            .collect();
        assert_eq!(ports.len(), 3);
        assert!(ports[0] != ports[1] && ports[1] != ports[2] && ports[0] != ports[2]);
        for p in &ports {
            assert!(
                TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], *p))).is_err(),
                "{p} is held, a second bind must fail"
            );
        }
    }

    #[test]
    fn start_refuses_a_taken_port_with_exit_code_3() {
        let taken = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = taken.local_addr().unwrap().port();
        let free = free_ports(1)[0];
        let dir = std::env::temp_dir().join(unique_name("gcclient-broker-taken"));
        let args: Vec<String> = [
            "start",
            "--dir",
            &dir.display().to_string(),
            "--stomp",
            &port.to_string(),
            "--openwire",
            &free.to_string(),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let e = run_script(&args, &[]).expect_err("a taken port must fail the start");
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(e.status, Some(EXIT_PORT_TAKEN), "{e}");
        assert!(e.output.contains(&format!("port {port}")), "{e}");
    }

    #[test]
    fn shared_broker_is_one_and_speaks_stomp() {
        let a = shared_broker();
        assert!(std::ptr::eq(a, shared_broker()));
        let hello = stomp_hello(&mut tcp(&a.stomp).unwrap(), None);
        assert!(hello.starts_with("CONNECTED"), "{hello}");
        assert!(hello.contains("version:1.2"), "{hello}");
        TcpStream::connect(&a.openwire).expect("OpenWire port accepts");
    }

    #[test]
    fn private_broker_kill9_stop_restart_drop() {
        let b = PrivateBroker::start();
        let addr = b.stomp_addr();
        assert!(b.is_running());
        let pid = std::fs::read_to_string(b.dir().join("pid")).unwrap();
        b.start_again(); // idempotent: already running, same configuration
        assert_eq!(
            std::fs::read_to_string(b.dir().join("pid")).unwrap(),
            pid,
            "start on a running broker is a no-op"
        );
        let mut before = tcp(&addr).unwrap();
        assert!(stomp_hello(&mut before, None).starts_with("CONNECTED"));

        // Memory only: a message does not survive the crash.
        let q = unique_name("kill9");
        send(&addr, &q, true, "lost");
        b.kill9();
        assert!(!b.is_running());
        let e = TcpStream::connect(&addr).expect_err("port refuses while killed");
        assert_eq!(e.kind(), ErrorKind::ConnectionRefused);
        // The old connection is cut: EOF or reset, not a hang (after the EOL
        // that ActiveMQ writes behind each frame).
        let mut rest = Vec::new();
        match before.read_to_end(&mut rest) {
            Ok(_) => {}
            Err(e) => assert_eq!(e.kind(), ErrorKind::ConnectionReset, "{e}"),
        }
        assert!(rest.iter().all(u8::is_ascii_whitespace), "{rest:?}");

        b.restart();
        assert!(b.is_running());
        assert_eq!(b.stomp_addr(), addr, "same port after restart");
        assert!(stomp_hello(&mut tcp(&addr).unwrap(), None).starts_with("CONNECTED"));
        assert_eq!(receive(&addr, &q, Duration::from_millis(300)), None);

        b.stop();
        assert!(!b.is_running());
        assert_eq!(
            TcpStream::connect(&addr).unwrap_err().kind(),
            ErrorKind::ConnectionRefused
        );
        b.start_again();
        assert!(stomp_hello(&mut tcp(&addr).unwrap(), None).starts_with("CONNECTED"));

        let dir = b.dir().to_path_buf();
        assert!(dir.join("log").is_file());
        drop(b);
        assert!(!dir.exists(), "drop deletes {}", dir.display());
        assert_eq!(
            TcpStream::connect(&addr).unwrap_err().kind(),
            ErrorKind::ConnectionRefused,
            "drop kills the broker"
        );
    }

    #[tokio::test]
    async fn private_broker_async_restart_keeps_persistent_messages() {
        let b = PrivateBroker::start_with_async(BrokerOptions::default().persistent()).await;
        let addr = b.stomp_addr();
        let q = unique_name("persist");
        send(&addr, &q, true, "kept");
        send(&addr, &q, false, "dropped");
        b.kill9_async().await;
        b.restart_async().await;
        assert_eq!(receive(&addr, &q, T).as_deref(), Some("kept"));
        assert_eq!(receive(&addr, &q, Duration::from_millis(300)), None);
    }

    #[test]
    fn private_broker_with_login_and_tls() {
        use tokio_rustls::rustls;
        let b = PrivateBroker::start_with(
            BrokerOptions::default()
                .tls()
                .credentials("agent", "s&c:ret\"1"),
        );
        let (user, pass) = b.credentials().unwrap();

        let denied = stomp_hello(&mut tcp(&b.stomp_addr()).unwrap(), Some((user, "wrong")));
        assert!(denied.starts_with("ERROR"), "{denied}");
        let anonymous = stomp_hello(&mut tcp(&b.stomp_addr()).unwrap(), None);
        assert!(anonymous.starts_with("ERROR"), "{anonymous}");
        let ok = stomp_hello(&mut tcp(&b.stomp_addr()).unwrap(), Some((user, pass)));
        assert!(ok.starts_with("CONNECTED"), "{ok}");

        // TLS, verifying the certificate against the test CA and the name.
        let pem = std::fs::read(b.ca_pem().unwrap()).unwrap();
        let mut roots = rustls::RootCertStore::empty();
        for cert in rustls_pemfile::certs(&mut pem.as_slice()) {
            roots.add(cert.unwrap()).unwrap();
        }
        assert_eq!(roots.len(), 1);
        let config = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
        let config = std::sync::Arc::new(config);
        for name in ["localhost", "127.0.0.1"] {
            let conn = rustls::ClientConnection::new(
                config.clone(),
                rustls::pki_types::ServerName::try_from(name).unwrap(),
            )
            .unwrap();
            let mut tls =
                rustls::StreamOwned::new(conn, tcp(&b.stomp_ssl_addr().unwrap()).unwrap());
            let hello = stomp_hello(&mut tls, Some((user, pass)));
            assert!(hello.starts_with("CONNECTED"), "{name}: {hello}");
        }
        // A name the certificate does not have is refused.
        let conn = rustls::ClientConnection::new(
            config,
            rustls::pki_types::ServerName::try_from("broker.example").unwrap(),
        )
        .unwrap();
        let mut tls = rustls::StreamOwned::new(conn, tcp(&b.stomp_ssl_addr().unwrap()).unwrap());
        let e = tls
            .write_all(b"CONNECT\n\n\0")
            .and_then(|_| tls.flush())
            .and_then(|_| {
                let mut buf = [0u8; 1];
                tls.read(&mut buf).map(|_| ())
            });
        assert!(e.is_err(), "TLS with a wrong server name must fail");
    }
}
