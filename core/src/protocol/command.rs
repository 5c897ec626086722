use std::borrow::Cow;
use std::fmt;

use super::command_table::command_table;
use super::secret::Secret;
use super::wire_names::WireNames;

/// What a command is addressed to: `<Command>#<agent>` or `<Command>#<destination>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    Agent,
    Destination,
}

/// How a body argument is checked before it is sent, and how it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamRule {
    /// Must be non-empty and free of `,`.
    Required,
    /// May be empty; free of `,`.
    Optional,
    /// `true` or `false` on the wire.
    Bool,
    /// A literal word (`SSO`) appended when on, nothing when off.
    Marker(&'static str),
    /// `name=value|name=value`: no `,`; no `|` or `=` inside a name or value.
    CallVariables,
}

use ParamRule as Rule;

/// A parameter of a command body, in wire order.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    pub name: &'static str,
    rule: Rule,
    secret: bool,
    default: Option<bool>,
}

impl Param {
    pub fn rule(&self) -> ParamRule {
        self.rule
    }

    /// The value a boolean takes when a language's caller leaves it out
    /// (Rust has no default arguments and always asks for it).
    pub fn default(&self) -> Option<bool> {
        self.default
    }

    /// A password: kept in a `Secret`, never logged or echoed.
    pub fn is_secret(&self) -> bool {
        self.secret
    }

    /// How the parameter is written in a body layout: `<name>`,
    /// `[<name>]`, `<name:true|false>`, `[SSO]`, `<name>=<value>|...`.
    pub fn layout(&self) -> String {
        match self.rule {
            Rule::Required => format!("<{}>", self.name),
            Rule::Optional => format!("[<{}>]", self.name),
            Rule::Bool => format!("<{}:true|false>", self.name),
            Rule::Marker(word) => format!("[{word}]"),
            Rule::CallVariables => "<name>=<value>|<name>=<value>...".to_owned(),
        }
    }
}

/// How a command's typed method comes about in each layer (see
/// `command_table.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MethodShape {
    /// Generated in every layer.
    Request,
    /// Hand-written in core's `Agent` (the session keeps state around it),
    /// generated in every other layer, where it calls core's method.
    Session,
    /// Hand-written in every layer.
    Custom,
    /// Sent by the session itself; no agent method.
    Internal,
}

/// Static facts about one command: names, body layout, expected replies,
/// method shape and documentation. One per row of the command table.
#[derive(Debug, Clone, Copy)]
pub struct CommandSpec {
    pub kind: CommandKind,
    /// Public, correctly spelled name (`get_skill_groups`): the CLI name and
    /// the method name in every language, in its casing.
    pub api_name: &'static str,
    /// Wire spelling by default (`GETSKILLGROPU`).
    pub default_wire: &'static str,
    pub target: Target,
    pub params: &'static [Param],
    /// Body suffix that is always sent (`ACCEPT` for AcceptOutboundPreview).
    pub fixed_suffix: Option<&'static str>,
    /// The event type names GC answers with, the correlated one first
    /// (empty: no reply on success).
    pub replies: &'static [&'static str],
    pub method: MethodShape,
    /// The command the method sends instead when its optional last
    /// argument (the other command's one parameter) is given.
    pub folds: Option<CommandKind>,
    /// Deprecated method names kept for existing users.
    pub aliases: &'static [&'static str],
    pub summary: &'static str,
    /// One line from the guide, carried by every generated method.
    pub doc: &'static str,
}

impl CommandSpec {
    /// Whether GC answers success with a correlated event; `Connect` does not.
    pub fn expects_reply(&self) -> bool {
        !self.replies.is_empty()
    }

    pub fn param_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.params.iter().map(|p| p.name)
    }

    /// The JMS type with a placeholder target: `MakeCall#<agent_id>`.
    pub fn type_layout(&self) -> String {
        format!("{}#{}", self.default_wire, self.target.placeholder())
    }

    /// The body layout: `<extension>,<dialog_id>`, `<dialog_id>,ACCEPT`,
    /// `<destination>,<password>[,SSO]`; empty for argument-less commands.
    pub fn body_layout(&self) -> String {
        let mut out = String::new();
        for (i, p) in self.params.iter().enumerate() {
            match p.rule {
                // An absent marker leaves no trailing comma either.
                Rule::Marker(word) => out.push_str(&format!("[,{word}]")),
                _ => {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&p.layout());
                }
            }
        }
        if let Some(suffix) = self.fixed_suffix {
            if !out.is_empty() {
                out.push(',');
            }
            out.push_str(suffix);
        }
        out
    }
}

impl Target {
    /// `<agent_id>` or `<destination>`.
    pub fn placeholder(self) -> &'static str {
        match self {
            Target::Agent => "<agent_id>",
            Target::Destination => "<destination>",
        }
    }
}

/// The Rust type a table parameter type is kept in.
macro_rules! field_type {
    (Text) => { String };
    (Secret) => { Secret };
    (Flag) => { bool };
    (Marker) => { bool };
    (Vars) => { Vec<(String, String)> };
}

/// The [`Param`] a table parameter type declares.
macro_rules! param_spec {
    ($name:ident, Text) => {
        Param {
            name: stringify!($name),
            rule: Rule::Required,
            secret: false,
            default: None,
        }
    };
    ($name:ident, Secret) => {
        Param {
            name: stringify!($name),
            rule: Rule::Required,
            secret: true,
            default: None,
        }
    };
    ($name:ident, Flag) => {
        Param {
            name: stringify!($name),
            rule: Rule::Bool,
            secret: false,
            default: None,
        }
    };
    ($name:ident, Flag, $default:literal) => {
        Param {
            name: stringify!($name),
            rule: Rule::Bool,
            secret: false,
            default: Some($default),
        }
    };
    ($name:ident, Marker, $word:literal) => {
        Param {
            name: stringify!($name),
            rule: Rule::Marker($word),
            secret: false,
            default: Some(false),
        }
    };
    ($name:ident, Vars) => {
        Param {
            name: stringify!($name),
            rule: Rule::CallVariables,
            secret: false,
            default: None,
        }
    };
}

/// Appends one field's wire form to the body arguments.
macro_rules! push_wire {
    ($out:ident, $v:ident, Text) => {
        $out.push(Cow::Borrowed($v.as_str()))
    };
    ($out:ident, $v:ident, Secret) => {
        $out.push(Cow::Borrowed($v.expose()))
    };
    ($out:ident, $v:ident, Flag $(, $default:literal)?) => {
        $out.push(yes_no(*$v))
    };
    ($out:ident, $v:ident, Marker, $word:literal) => {
        if *$v {
            $out.push(Cow::Borrowed($word))
        }
    };
    ($out:ident, $v:ident, Vars) => {
        $out.push(Cow::Owned(
            $v.iter()
                .map(|(n, v)| format!("{n}={v}"))
                .collect::<Vec<_>>()
                .join("|"),
        ))
    };
}

/// Reads one field back from the body argument at `$at`.
macro_rules! from_wire {
    ($args:ident, $at:expr, $spec:ident, Text) => {
        $args.text($at)
    };
    ($args:ident, $at:expr, $spec:ident, Secret) => {
        Secret::new($args.text($at))
    };
    ($args:ident, $at:expr, $spec:ident, Flag $(, $default:literal)?) => {
        $args.flag($at, $spec)?
    };
    ($args:ident, $at:expr, $spec:ident, Marker, $word:literal) => {
        $args.text($at).trim().eq_ignore_ascii_case($word)
    };
    ($args:ident, $at:expr, $spec:ident, Vars) => {
        parse_call_variables(&$args.text($at))
    };
}

/// Builds `CommandKind`, the specs, `Command` and its codec from the table.
macro_rules! define_commands {
    ($(
        $kind:ident $({ $($p:ident : $t:ident $(($w:literal))?),* $(,)? })? => {
            api: $api:ident, wire: $wire:literal, target: $target:ident,
            $(suffix: $suffix:literal,)?
            replies: [$($r:literal),*],
            method: $method:ident,
            $(folds: $folds:ident,)?
            $(aliases: [$($alias:ident),*],)?
            summary: $summary:literal,
            doc: $doc:literal $(,)?
        }
    )*) => {
        /// One per command of the guide, without arguments.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        pub enum CommandKind { $($kind,)* }

        const SPECS: &[CommandSpec] = &[$(CommandSpec {
            kind: CommandKind::$kind,
            api_name: stringify!($api),
            default_wire: $wire,
            target: Target::$target,
            params: &[$($(param_spec!($p, $t $(, $w)?)),*)?],
            fixed_suffix: define_commands!(@opt $($suffix)?),
            replies: &[$($r),*],
            method: MethodShape::$method,
            folds: define_commands!(@opt $(CommandKind::$folds)?),
            aliases: &[$($(stringify!($alias)),*)?],
            summary: $summary,
            doc: $doc,
        },)*];

        impl CommandKind {
            pub const ALL: &'static [CommandKind] = &[$(CommandKind::$kind,)*];
        }

        /// A command of the guide with its typed arguments (fields in wire
        /// order).
        #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
        #[serde(tag = "command", rename_all = "snake_case")]
        pub enum Command {
            $(
                #[doc = $doc]
                $kind $({ $($p: field_type!($t)),* })?,
            )*
        }

        impl Command {
            pub fn kind(&self) -> CommandKind {
                match self {
                    $(Command::$kind { .. } => CommandKind::$kind,)*
                }
            }

            /// Body arguments in wire order (call variables already joined;
            /// an absent marker leaves nothing).
            fn args(&self) -> Vec<Cow<'_, str>> {
                #[allow(unused_mut)]
                let mut out = Vec::new();
                match self {
                    $(Command::$kind $({ $($p),* })? => {
                        $($(push_wire!(out, $p, $t $(, $w)?);)*)?
                    })*
                }
                out
            }

            /// Builds a command from positional body arguments. Lenient on
            /// purpose: missing arguments become empty so a GC peer can
            /// answer with the guide's MISSING_* errors instead of dropping
            /// the command.
            pub fn from_args(kind: CommandKind, args: &[&str]) -> Result<Command, CommandDecodeError> {
                #[allow(unused_variables)]
                let spec = kind.spec();
                #[allow(unused_variables)]
                let args = Positional(args);
                Ok(match kind {
                    $(CommandKind::$kind => {
                        #[allow(unused_mut, unused_variables)]
                        let mut at = 0usize;
                        #[allow(unused_assignments)]
                        {
                            Command::$kind $({ $($p: { let v = from_wire!(args, at, spec, $t $(, $w)?); at += 1; v }),* })?
                        }
                    })*
                })
            }
        }
    };
    (@opt) => { None };
    (@opt $v:expr) => { Some($v) };
}

command_table!(define_commands);

/// Positional body arguments being read back into a [`Command`].
struct Positional<'a>(&'a [&'a str]);

impl Positional<'_> {
    fn text(&self, i: usize) -> String {
        self.0.get(i).map(|s| s.to_string()).unwrap_or_default()
    }

    fn flag(&self, i: usize, spec: &CommandSpec) -> Result<bool, CommandDecodeError> {
        match self.0.get(i).map(|s| s.trim()) {
            None | Some("") => Ok(false),
            Some(v) if v.eq_ignore_ascii_case("true") => Ok(true),
            Some(v) if v.eq_ignore_ascii_case("false") => Ok(false),
            Some(v) => Err(CommandDecodeError::BadArgument {
                command: spec.api_name,
                argument: spec.params.get(i).map(|p| p.name).unwrap_or("?"),
                reason: format!("`{v}` is not true/false"),
            }),
        }
    }
}

impl CommandKind {
    pub fn spec(self) -> &'static CommandSpec {
        // SPECS is generated in the same order as the enum.
        &SPECS[self as usize]
    }

    pub fn api_name(self) -> &'static str {
        self.spec().api_name
    }

    /// The event types GC answers this command with, the correlated reply
    /// first (the guide's "Expected Event(s)"); empty for `Connect`. The
    /// session adds `Error` and, for logins, `State#RE_LOGIN` itself.
    pub fn expected_replies(self) -> &'static [&'static str] {
        self.spec().replies
    }
    /// Accepts `make_call`, `make-call`, `MakeCall` and the default wire name.
    pub fn from_api_name(name: &str) -> Option<CommandKind> {
        let norm = |s: &str| {
            s.chars()
                .filter(|c| *c != '_' && *c != '-')
                .collect::<String>()
                .to_ascii_lowercase()
        };
        let wanted = norm(name);
        CommandKind::ALL.iter().copied().find(|k| {
            let spec = k.spec();
            norm(spec.api_name) == wanted
                || norm(&format!("{k:?}")) == wanted
                || spec.default_wire.eq_ignore_ascii_case(name)
        })
    }
}

impl fmt::Display for CommandKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.api_name())
    }
}

/// A command ready for the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encoded {
    pub jms_type: String,
    pub body: String,
}

/// An argument that the protocol cannot carry faithfully. The value is never
/// included, because it may be a password.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid argument `{argument}` for `{command}`: {reason}")]
pub struct InvalidArgument {
    pub command: &'static str,
    pub argument: &'static str,
    pub reason: &'static str,
}

/// A command body or type GC would not understand (used by the simulator and
/// by tools that read commands off the queue).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommandDecodeError {
    #[error("JMS type `{0}` has no `#<target>` part")]
    NoTarget(String),
    #[error("unknown command `{0}`")]
    UnknownCommand(String),
    #[error("argument `{argument}` of `{command}`: {reason}")]
    BadArgument {
        command: &'static str,
        argument: &'static str,
        reason: String,
    },
    #[error("`{command}` takes {expected} argument(s), got {got}")]
    TooManyArguments {
        command: &'static str,
        expected: usize,
        got: usize,
    },
}

fn yes_no(b: bool) -> Cow<'static, str> {
    Cow::Borrowed(if b { "true" } else { "false" })
}

impl Command {
    /// Checks every argument, then renders `(JMS type, body)`. `target` is the
    /// agent id, or the client destination for Hello and Beat.
    pub fn encode(&self, target: &str, names: &WireNames) -> Result<Encoded, InvalidArgument> {
        let kind = self.kind();
        let spec = kind.spec();
        let bad = |argument, reason| InvalidArgument {
            command: spec.api_name,
            argument,
            reason,
        };
        let target_name = match spec.target {
            Target::Agent => "agent_id",
            Target::Destination => "destination",
        };
        if target.is_empty() {
            return Err(bad(target_name, "must not be empty"));
        }
        if target.contains(['#', ',', '|', '\0']) {
            return Err(bad(
                target_name,
                "must not contain `#`, `,`, `|` or NUL (protocol delimiters)",
            ));
        }
        if let Command::UpdateCallVariables { variables, .. } = self {
            check_call_variables(variables).map_err(|reason| bad("variables", reason))?;
        }
        let args = self.args();
        for (param, value) in spec.params.iter().zip(args.iter()) {
            if value.contains('\0') {
                return Err(bad(param.name, "must not contain NUL"));
            }
            match param.rule {
                Rule::Required if value.is_empty() => {
                    return Err(bad(param.name, "must not be empty"))
                }
                Rule::CallVariables if value.is_empty() => {
                    return Err(bad(param.name, "at least one call variable is needed"))
                }
                _ => {}
            }
            if value.contains(',') {
                return Err(bad(
                    param.name,
                    "must not contain `,` (the protocol has no escaping)",
                ));
            }
        }
        let mut body = args.join(",");
        if let Some(suffix) = spec.fixed_suffix {
            body.push(',');
            body.push_str(suffix);
        }
        Ok(Encoded {
            jms_type: format!("{}#{}", names.get(kind), target),
            body,
        })
    }

    /// Builds a command from arguments as a person types them (the CLI, the
    /// bindings): one value per parameter in [`CommandSpec::params`] order;
    /// `true`/`false` for boolean and marker parameters (a missing one is
    /// `false`; a marker also accepts its word, e.g. `SSO`); for
    /// `update_call_variables`, every argument after the dialog id is one
    /// `name=value` pair. Missing text arguments are left empty, so
    /// [`Command::encode`] names them. Values are never echoed in errors
    /// except for a rejected boolean word.
    pub fn from_user_args(kind: CommandKind, args: &[&str]) -> Result<Command, CommandDecodeError> {
        let spec = kind.spec();
        let bad = |argument: &'static str, reason: String| CommandDecodeError::BadArgument {
            command: spec.api_name,
            argument,
            reason,
        };
        let mut wire: Vec<String> = Vec::with_capacity(spec.params.len());
        let mut variables = None;
        for (i, param) in spec.params.iter().enumerate() {
            let value = args.get(i).copied();
            match param.rule {
                Rule::Required | Rule::Optional => wire.push(value.unwrap_or("").to_owned()),
                Rule::Bool => {
                    let on = parse_bool(value.unwrap_or("false"), None).ok_or_else(|| {
                        bad(
                            param.name,
                            format!("`{}` is not true/false", value.unwrap_or("")),
                        )
                    })?;
                    wire.push(if on { "true" } else { "false" }.to_owned());
                }
                Rule::Marker(word) => {
                    let on = parse_bool(value.unwrap_or("false"), Some(word)).ok_or_else(|| {
                        bad(
                            param.name,
                            format!("`{}` is not true/false", value.unwrap_or("")),
                        )
                    })?;
                    wire.push(if on { word.to_owned() } else { String::new() });
                }
                Rule::CallVariables => {
                    let pairs = args
                        .get(i..)
                        .unwrap_or_default()
                        .iter()
                        .map(|pair| {
                            pair.split_once('=')
                                .map(|(n, v)| (n.to_owned(), v.to_owned()))
                                .ok_or_else(|| {
                                    bad(param.name, "expected `name=value` pairs".to_owned())
                                })
                        })
                        .collect::<Result<Vec<_>, _>>()?;
                    variables = Some(pairs);
                }
            }
        }
        if variables.is_none() && args.len() > spec.params.len() {
            return Err(CommandDecodeError::TooManyArguments {
                command: spec.api_name,
                expected: spec.params.len(),
                got: args.len(),
            });
        }
        let refs: Vec<&str> = wire.iter().map(String::as_str).collect();
        let mut command = Command::from_args(kind, &refs)?;
        if let (Command::UpdateCallVariables { variables: v, .. }, Some(pairs)) =
            (&mut command, variables)
        {
            *v = pairs;
        }
        Ok(command)
    }

    /// A plausible instance of every command, for documentation, the CLI,
    /// tests and benchmarks.
    pub fn example(kind: CommandKind) -> Command {
        use Command as C;
        use CommandKind as K;
        let d = || "16777217".to_owned();
        let ext = || "1002".to_owned();
        match kind {
            K::Connect => C::Connect {
                destination: "gcclient.host1.d3b07384".to_owned(),
                password: Secret::new("secret"),
                sso: false,
            },
            K::Login => C::Login {
                password: Secret::new("secret"),
                extension: "1001".to_owned(),
            },
            K::MobileAgentLogin => C::MobileAgentLogin {
                password: Secret::new("secret"),
                extension: "1001".to_owned(),
                dial_number: "+15551234567".to_owned(),
                call_by_call: true,
            },
            K::LogoutWithReason => C::LogoutWithReason {
                reason_code: "12".to_owned(),
            },
            K::MakeNotReadyWithReason => C::MakeNotReadyWithReason {
                reason_code: "7".to_owned(),
            },
            K::MakeCall => C::MakeCall {
                number: "5551234".to_owned(),
            },
            K::Wrapup => C::Wrapup {
                reason: "Sale".to_owned(),
                dialog_id: d(),
            },
            K::UpdateCallVariables => C::UpdateCallVariables {
                dialog_id: d(),
                variables: vec![
                    ("callVariable1".to_owned(), "VIP".to_owned()),
                    ("BAAccountNumber".to_owned(), "42".to_owned()),
                ],
            },
            K::GetPhonebookContacts => C::GetPhonebookContacts {
                phonebook_id: "5".to_owned(),
            },
            K::SilentMonitor => C::SilentMonitor { extension: ext() },
            K::GetTeamUsers => C::GetTeamUsers {
                team_id: "3".to_owned(),
                subscribe: true,
            },
            K::GetTeamUsersState => C::GetTeamUsersState {
                team_agent_id: "1003".to_owned(),
            },
            K::ScheduleCallback | K::UpdateCallback => {
                let target_media_address = "1001".to_owned();
                let callback_time = "2025-01-31T14:30".to_owned();
                let callback_number = "5551234".to_owned();
                if kind == K::ScheduleCallback {
                    C::ScheduleCallback {
                        target_media_address,
                        dialog_id: d(),
                        callback_time,
                        callback_number,
                    }
                } else {
                    C::UpdateCallback {
                        target_media_address,
                        dialog_id: d(),
                        callback_time,
                        callback_number,
                    }
                }
            }
            K::CancelCallback => C::CancelCallback {
                target_media_address: "1001".to_owned(),
                dialog_id: d(),
            },
            K::ReclassifyCall => C::ReclassifyCall {
                target_media_address: "1001".to_owned(),
                dialog_id: d(),
                value: "VOICE".to_owned(),
            },
            // Everything else takes (extension, dialog id), a dialog id, or nothing.
            _ => {
                let spec = kind.spec();
                let args: Vec<String> = spec
                    .params
                    .iter()
                    .map(|p| if p.name == "extension" { ext() } else { d() })
                    .collect();
                let refs: Vec<&str> = args.iter().map(String::as_str).collect();
                // Only text parameters reach this arm, which cannot fail.
                Command::from_args(kind, &refs).unwrap_or(C::Hello)
            }
        }
    }

    /// Reads a command as GC does: `(JMS type, body)` -> `(target, command)`.
    pub fn decode(
        jms_type: &str,
        body: &str,
        names: &WireNames,
    ) -> Result<(String, Command), CommandDecodeError> {
        let (wire, target) = jms_type
            .split_once('#')
            .ok_or_else(|| CommandDecodeError::NoTarget(jms_type.to_owned()))?;
        let kind = names
            .kind_of(wire.trim())
            .ok_or_else(|| CommandDecodeError::UnknownCommand(wire.to_owned()))?;
        let args: Vec<&str> = if body.is_empty() {
            vec![]
        } else {
            body.split(',').collect()
        };
        let command = Command::from_args(kind, &args)?;
        Ok((target.trim().to_owned(), command))
    }
}

/// `true`/`false` (any case), or the marker word when one is given.
fn parse_bool(s: &str, marker: Option<&str>) -> Option<bool> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("true") || marker.is_some_and(|m| s.eq_ignore_ascii_case(m)) {
        Some(true)
    } else if s.eq_ignore_ascii_case("false") || (marker.is_some() && s.is_empty()) {
        Some(false)
    } else {
        None
    }
}

fn check_call_variables(vars: &[(String, String)]) -> Result<(), &'static str> {
    if vars.is_empty() {
        return Err("at least one call variable is needed");
    }
    for (name, value) in vars {
        if name.is_empty() {
            return Err("a call variable name must not be empty");
        }
        if name.contains(['|', '=', ',']) || value.contains(['|', '=', ',']) {
            return Err("call variable names and values must not contain `|`, `=` or `,`");
        }
    }
    Ok(())
}

/// `name=value|name=value`; a pair without `=` keeps an empty value.
pub(crate) fn parse_call_variables(s: &str) -> Vec<(String, String)> {
    s.split('|')
        .filter(|p| !p.trim().is_empty())
        .map(|p| match p.split_once('=') {
            Some((n, v)) => (n.trim().to_owned(), v.to_owned()),
            None => (p.trim().to_owned(), String::new()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_are_in_enum_order() {
        for (i, k) in CommandKind::ALL.iter().enumerate() {
            assert_eq!(*k as usize, i);
            assert_eq!(SPECS[i].kind, *k);
        }
        assert_eq!(CommandKind::ALL.len(), 48);
    }

    #[test]
    fn api_names_resolve() {
        for k in CommandKind::ALL {
            assert_eq!(CommandKind::from_api_name(k.api_name()), Some(*k));
        }
        assert_eq!(
            CommandKind::from_api_name("make-call"),
            Some(CommandKind::MakeCall)
        );
        assert_eq!(
            CommandKind::from_api_name("GETSKILLGROPU"),
            Some(CommandKind::GetSkillGroups)
        );
        assert_eq!(CommandKind::from_api_name("nope"), None);
    }
}
