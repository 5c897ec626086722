//! `gcclient`: see what goes on the GC wire, and talk to a real deployment.
//!
//! - `encode`: a typed command -> the JMS type and body that would be sent.
//! - `decode`: an event body -> the typed event as JSON.
//! - `listen`: connect to a broker and print events as JSON lines.
//! - `send`: send one command and print GC's reply.
//! - `demo`: a scripted session against the in-process simulator.
//! - `agent`: terminal agent desktop; `--script` prints events as JSON lines.

mod connection;
mod decode;
mod demo;
mod desktop;
mod encode;
mod listen;
mod password;
mod send;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "gcclient",
    version,
    about = "Client tools for ExpertFlow's Generic Connector (Cisco Finesse) over ActiveMQ"
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Print the JMS type and body a command is sent as (nothing is sent)
    Encode(encode::EncodeArgs),
    /// Print an event body as typed JSON
    Decode(decode::DecodeArgs),
    /// Connect to a broker and print events as JSON lines
    Listen(listen::ListenArgs),
    /// Send one command to GC and print its reply as JSON
    Send(send::SendArgs),
    /// Run a scripted agent session against the built-in simulator
    Demo(demo::DemoArgs),
    /// Terminal agent desktop (or --script FILE: events as JSON lines)
    Agent(desktop::AgentArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Logs go to stderr so stdout stays machine-readable.
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("GCCLIENT_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let outcome = match cli.command {
        Cmd::Encode(args) => encode::run(args),
        Cmd::Decode(args) => decode::run(args),
        Cmd::Listen(args) => block_on(listen::run(args)),
        Cmd::Send(args) => block_on(send::run(args)),
        Cmd::Demo(args) => block_on(demo::run(args)).map(|()| ExitCode::SUCCESS),
        Cmd::Agent(args) => block_on(desktop::run(args)).map(|()| ExitCode::SUCCESS),
    };
    match outcome {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn block_on<T>(f: impl std::future::Future<Output = anyhow::Result<T>>) -> anyhow::Result<T> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(f)
}
