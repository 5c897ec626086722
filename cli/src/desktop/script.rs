//! `gcclient agent --script FILE`: the desktop's operations without a
//! terminal, for automation and tests. Every notification and every step's
//! outcome is printed as one JSON line, in the order they happened.

use std::time::Duration;

use anyhow::{bail, Context};
use gcclient::{Agent, Client, Event, EventReceiver, Notification};
use serde_json::{json, Value};

use super::action::{perform, Action, LoginDetails};
use super::model::Model;

/// One line of a script.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// `may_fail`: the line started with `-`, so a failure does not stop
    /// the script.
    Do { action: Action, may_fail: bool },
    /// Waits for an event of this JSON `type` whose fields have these values.
    Wait {
        kind: String,
        fields: Vec<(String, String)>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub number: usize,
    pub text: String,
    pub step: Step,
}

/// Parses a whole script up front, so a typo fails before anything is sent.
pub fn parse(source: &str) -> anyhow::Result<Vec<Line>> {
    let mut lines = Vec::new();
    for (i, raw) in source.lines().enumerate() {
        let number = i + 1;
        let text = raw.split_once('#').map_or(raw, |(code, _)| code).trim();
        if text.is_empty() {
            continue;
        }
        let step = parse_step(text).with_context(|| format!("script line {number}: `{text}`"))?;
        lines.push(Line {
            number,
            text: text.to_owned(),
            step,
        });
    }
    Ok(lines)
}

fn parse_step(text: &str) -> anyhow::Result<Step> {
    if let Some(rest) = text
        .strip_prefix("wait ")
        .or(if text == "wait" { Some("") } else { None })
    {
        let mut words = rest.split_whitespace();
        let kind = words
            .next()
            .context("`wait` needs an event type, e.g. `wait agent_state state=READY`")?
            .to_owned();
        let fields = words
            .map(|w| {
                w.split_once('=')
                    .map(|(k, v)| (k.to_owned(), v.to_owned()))
                    .with_context(|| format!("`{w}`: expected FIELD=VALUE"))
            })
            .collect::<anyhow::Result<_>>()?;
        return Ok(Step::Wait { kind, fields });
    }
    let (may_fail, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, text),
    };
    Ok(Step::Do {
        action: Action::parse(text)?,
        may_fail,
    })
}

/// Whether an event (as its JSON) is the one a `wait` asks for. Text fields
/// compare as text; others as the JSON the value reads as, so
/// `participants_count=2` and `is_supervisor=true` match.
pub fn matches(event: &Value, kind: &str, fields: &[(String, String)]) -> bool {
    if event.get("type").and_then(Value::as_str) != Some(kind) {
        return false;
    }
    fields.iter().all(|(k, want)| match event.get(k) {
        Some(Value::String(s)) => s == want,
        Some(Value::Null) | None => want.is_empty(),
        Some(other) => serde_json::from_str::<Value>(want).is_ok_and(|w| w == *other),
    })
}

/// Runs the steps in order; events are printed as they arrive, also while a
/// step waits for its reply.
pub struct Runner<W: std::io::Write> {
    pub agent: Agent,
    pub events: EventReceiver,
    pub login: LoginDetails,
    pub step_timeout: Duration,
    pub out: W,
    model: Model,
    /// Events seen so far, as JSON; `wait` looks from `cursor` on.
    seen: Vec<Value>,
    cursor: usize,
}

impl<W: std::io::Write> Runner<W> {
    pub fn new(agent: Agent, events: EventReceiver, login: LoginDetails, out: W) -> Self {
        let model = Model::new(agent.id());
        Runner {
            agent,
            events,
            login,
            step_timeout: Duration::from_secs(10),
            out,
            model,
            seen: Vec::new(),
            cursor: 0,
        }
    }

    fn emit(&mut self, v: &Value) -> anyhow::Result<()> {
        writeln!(self.out, "{v}")?;
        self.out.flush()?;
        Ok(())
    }

    /// Prints one notification and remembers its event for `wait`.
    fn note(&mut self, n: Notification) -> anyhow::Result<()> {
        let v = serde_json::to_value(&n)?;
        self.emit(&v)?;
        // Follow-ups are the UI's convenience; a script does what it says.
        let _ = self.model.apply(&n, "");
        if matches!(n, Notification::Event(_)) {
            self.seen.push(v);
        }
        Ok(())
    }

    pub async fn run(&mut self, lines: &[Line]) -> anyhow::Result<()> {
        for line in lines {
            let ok = match &line.step {
                Step::Do { action, may_fail } => {
                    let ok = self.act(line, action.clone()).await?;
                    ok || *may_fail
                }
                Step::Wait { kind, fields } => self.wait(line, kind, fields).await?,
            };
            if !ok {
                bail!("script line {} `{}` failed", line.number, line.text);
            }
        }
        Ok(())
    }

    async fn act(&mut self, line: &Line, action: Action) -> anyhow::Result<bool> {
        self.cursor = self.seen.len();
        let action = match self.model.resolve(action) {
            Ok(a) => a,
            Err(e) => {
                self.report(line, Err(e), None)?;
                return Ok(false);
            }
        };
        let agent = self.agent.clone();
        let login = self.login.clone();
        let task = perform(&agent, &action, &login);
        tokio::pin!(task);
        let outcome = loop {
            tokio::select! {
                outcome = &mut task => break outcome,
                n = self.events.recv() => match n {
                    Some(n) => self.note(n)?,
                    None => break Err(gcclient::Error::Closed),
                },
            }
        };
        let code = outcome
            .as_ref()
            .err()
            .and_then(|e| e.gc_code())
            .map(|c| c.to_string());
        let ok = outcome.is_ok();
        let outcome = outcome.map_err(|e| e.to_string());
        self.model.finished(&action, &outcome, "");
        self.report(line, outcome, code)?;
        Ok(ok)
    }

    fn report(
        &mut self,
        line: &Line,
        outcome: Result<Option<Event>, String>,
        code: Option<String>,
    ) -> anyhow::Result<()> {
        let v = match outcome {
            Ok(reply) => json!({
                "step": line.number, "line": line.text, "ok": true, "reply": reply,
            }),
            Err(error) => json!({
                "step": line.number, "line": line.text, "ok": false,
                "error": error, "code": code,
            }),
        };
        self.emit(&v)
    }

    async fn wait(
        &mut self,
        line: &Line,
        kind: &str,
        fields: &[(String, String)],
    ) -> anyhow::Result<bool> {
        let deadline = tokio::time::Instant::now() + self.step_timeout;
        loop {
            if let Some(i) = self.seen[self.cursor..]
                .iter()
                .position(|v| matches(v, kind, fields))
            {
                self.cursor += i + 1;
                let v = json!({ "step": line.number, "line": line.text, "ok": true });
                self.emit(&v)?;
                return Ok(true);
            }
            tokio::select! {
                n = self.events.recv() => match n {
                    Some(n) => self.note(n)?,
                    None => break,
                },
                _ = tokio::time::sleep_until(deadline) => break,
            }
        }
        let v = json!({
            "step": line.number, "line": line.text, "ok": false,
            "error": format!("no matching event within {} ms", self.step_timeout.as_millis()),
        });
        self.emit(&v)?;
        Ok(false)
    }

    /// Closes the client and prints what was still on its way.
    pub async fn finish(&mut self, client: &Client) -> anyhow::Result<()> {
        client.close().await;
        while let Some(n) = self.events.recv().await {
            self.note(n)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_steps_comments_and_optional_failures() {
        let lines = parse(
            "# a call\nlogin\n\n  wait agent_state state=NOT_READY  # after login\n-not_ready 9\nwait new_inbound_call\n",
        )
        .unwrap();
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[0].number, 2);
        assert_eq!(
            lines[1].step,
            Step::Wait {
                kind: "agent_state".into(),
                fields: vec![("state".into(), "NOT_READY".into())]
            }
        );
        assert_eq!(
            lines[2].step,
            Step::Do {
                action: Action::NotReady {
                    reason: Some("9".into())
                },
                may_fail: true
            }
        );
        assert_eq!(lines[3].text, "wait new_inbound_call");
    }

    #[test]
    fn bad_scripts_fail_before_anything_is_sent() {
        let e = format!("{:#}", parse("login\nready\nfly away\n").unwrap_err());
        assert!(e.contains("script line 3: `fly away`"), "{e}");
        assert!(e.contains("unknown command `fly`"), "{e}");
        let e = format!("{:#}", parse("wait\n").unwrap_err());
        assert!(e.contains("needs an event type"), "{e}");
        let e = format!("{:#}", parse("wait agent_state READY\n").unwrap_err());
        assert!(e.contains("FIELD=VALUE"), "{e}");
    }

    #[test]
    fn wait_matches_type_and_fields_as_text() {
        let n = Notification::Event(Event::parse(
            "1001#InboundCall#ACTIVE#DialogID:d1#3001#v1#t0#CallType:ACD_IN#ParticipantsCount:2#participants:3001,5001",
        ));
        let Notification::Event(e) = n else { panic!() };
        let v = serde_json::to_value(&e).unwrap();
        assert!(matches(&v, "inbound_call", &[]));
        assert!(matches(
            &v,
            "inbound_call",
            &[
                ("state".into(), "ACTIVE".into()),
                ("participants_count".into(), "2".into())
            ]
        ));
        assert!(!matches(
            &v,
            "inbound_call",
            &[("state".into(), "HELD".into())]
        ));
        assert!(!matches(&v, "agent_state", &[]));
        assert!(!matches(&v, "inbound_call", &[("nope".into(), "x".into())]));
    }
}
