//! A TCP gate for tests that need a broker to be absent, then present,
//! and to count connection attempts.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::net::{TcpListener, TcpStream};

/// A TCP gate in front of a broker, bound by its owner (port 0): closed, it accepts and drops
/// every connection (counting them); open, it forwards.
pub struct Gate {
    pub addr: String,
    pub open: Arc<AtomicBool>,
    pub attempts: Arc<AtomicUsize>,
}

impl Gate {
    pub async fn start(upstream: String) -> Gate {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let open = Arc::new(AtomicBool::new(false));
        let attempts = Arc::new(AtomicUsize::new(0));
        let (o, a) = (open.clone(), attempts.clone());
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                a.fetch_add(1, Ordering::SeqCst);
                if !o.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                let upstream = upstream.clone();
                tokio::spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(&upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
            }
        });
        Gate {
            addr,
            open,
            attempts,
        }
    }
}
