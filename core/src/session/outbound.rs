//! The broker's limits applied to one command before it is sent, so an
//! oversized agent id or argument fails only its own caller: ActiveMQ
//! would otherwise close the connection every agent of the client shares.
//!
//! Called by `Shared::send_raw` and `Shared::execute` in place of
//! `Command::encode`.

use super::shared::Shared;
use crate::error::Result;
use crate::protocol::{Command, Encoded, InvalidArgument, Target};
use crate::stomp::limits::header_line_len;

/// Room kept for the headers the client adds besides `type` (destination,
/// correlation-id, reply-to, expires, persistent, receipt).
const OTHER_HEADERS: usize = 1024;

impl Shared {
    /// [`Command::encode`], then the broker's header and frame limits.
    pub(crate) fn encode_checked(&self, target: &str, command: &Command) -> Result<Encoded> {
        let encoded = command.encode(target, &self.names)?;
        check_encoded(
            command,
            &encoded,
            self.cfg.max_header_bytes,
            self.cfg.max_frame_bytes,
        )?;
        Ok(encoded)
    }
}

pub(crate) fn check_encoded(
    command: &Command,
    encoded: &Encoded,
    max_header: usize,
    max_frame: usize,
) -> Result<(), InvalidArgument> {
    let spec = command.kind().spec();
    // The JMS type `<Command>#<target>` is the header the caller controls.
    if header_line_len("type", &encoded.jms_type, true) > max_header {
        return Err(InvalidArgument {
            command: spec.api_name,
            argument: match spec.target {
                Target::Agent => "agent_id",
                Target::Destination => "destination",
            },
            reason:
                "makes the `type` header (`<Command>#<id>`) longer than the broker's header limit",
            limit: Some(max_header),
        });
    }
    // Bodies go out as CESU-8: up to 3 bytes per UTF-16 unit.
    let body = encoded.body.len()
        + encoded
            .body
            .chars()
            .filter(|c| (*c as u32) >= 0x10000)
            .count()
            * 2;
    let room =
        max_frame.saturating_sub(OTHER_HEADERS + header_line_len("type", &encoded.jms_type, true));
    if body > room {
        return Err(InvalidArgument {
            command: spec.api_name,
            argument: spec.params.first().map_or("body", |p| p.name),
            reason: "makes the command larger than the broker's frame limit",
            limit: Some(room),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::WireNames;

    #[test]
    fn long_agent_ids_and_bodies_name_the_argument_and_limit() {
        let names = WireNames::default();
        let cmd = Command::GetState;
        let id = "a".repeat(10_242);
        let enc = cmd.encode(&id, &names).unwrap();
        let e = check_encoded(&cmd, &enc, 10_240, 100 << 20).unwrap_err();
        assert_eq!(e.argument, "agent_id");
        let text = e.to_string();
        assert!(
            text.contains("agent_id") && text.contains("bytes"),
            "{text}"
        );
        let ok = cmd.encode(&"a".repeat(10_000), &names).unwrap();
        check_encoded(&cmd, &ok, 10_240, 100 << 20).unwrap();

        let call = Command::MakeCall {
            number: "9".repeat(10_000),
        };
        let enc = call.encode("1001", &names).unwrap();
        let e = check_encoded(&call, &enc, 10_240, 8_192).unwrap_err();
        assert_eq!(e.argument, "number");
        assert!(e.to_string().contains("frame limit"), "{e}");
    }
}
