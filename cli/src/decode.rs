//! `gcclient decode '<body>'`

use std::io::BufRead;
use std::process::ExitCode;

use clap::Args;
use gcclient::protocol::{Event, EventData, ParseOptions};

#[derive(Args, Debug)]
#[command(after_help = "Examples:
  gcclient decode '1001#State#READY##2026-11-25T10:00:00Z##1764064800000#Ada Lovelace#1001#5001###ada'
  printf 'System#IN_SERVICE\\n1001#Error#CF_RESOURCE_BUSY\\n' | gcclient decode")]
pub struct DecodeArgs {
    /// Event bodies as received (JMS text). Without any, or with `-`, one
    /// body per line is read from stdin and printed as JSON lines.
    pub bodies: Vec<String>,
    /// One JSON object per line even for bodies given as arguments.
    #[arg(long)]
    pub compact: bool,
    /// Token GC sends in place of `#` inside event fields, if any.
    #[arg(long)]
    pub hash_token: Option<String>,
    /// Exit with status 1 if any body is of an unknown type or malformed.
    #[arg(long)]
    pub strict: bool,
}

pub fn run(args: DecodeArgs) -> anyhow::Result<ExitCode> {
    let hash_token = match &args.hash_token {
        Some(t) => Some(crate::connection::check_hash_token(t)?.to_owned()),
        None => None,
    };
    let opts = ParseOptions {
        hash_token,
        ..Default::default()
    };
    let mut all_known = true;
    let mut print = |body: &str, pretty: bool| -> anyhow::Result<()> {
        let event = Event::parse_with(body, &opts);
        all_known &= !matches!(event.data, EventData::Unknown | EventData::Malformed { .. });
        let json = if pretty {
            serde_json::to_string_pretty(&event)?
        } else {
            serde_json::to_string(&event)?
        };
        println!("{json}");
        Ok(())
    };
    let from_stdin = args.bodies.is_empty() || args.bodies.iter().any(|b| b == "-");
    for body in args.bodies.iter().filter(|b| *b != "-") {
        print(body, !args.compact)?;
    }
    if from_stdin {
        for line in std::io::stdin().lock().lines() {
            let line = line?;
            if !line.is_empty() {
                print(&line, false)?;
            }
        }
    }
    Ok(if args.strict && !all_known {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
