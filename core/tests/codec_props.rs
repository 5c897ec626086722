//! Property tests: the parser never panics and always keeps the raw body;
//! encode -> decode is stable for every command; a delimiter in any argument
//! is refused naming that argument; typed event fields survive a round trip.

use gcclient::protocol::{
    AgentState, Command, CommandKind, ErrorCode, Event, EventData, ParamRule, ParseOptions, Target,
    WireNames, EVENT_TYPES,
};
use proptest::prelude::*;

/// Text the protocol can carry in a body argument: no `,`, no NUL.
fn text() -> impl Strategy<Value = String> {
    "[^,#|\\x00]{1,12}"
}

/// An agent id or destination: no delimiters, no blanks at the ends
/// (GC, like `Command::decode`, trims the JMS type).
fn target() -> impl Strategy<Value = String> {
    "[A-Za-z0-9._äöüŁ-]{1,16}"
}

fn call_variables() -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::vec(("[A-Za-z0-9_.]{1,10}", "[^,#|=\\x00]{0,10}"), 1..5)
}

/// Positional arguments for `kind`, valid per its parameter rules.
fn args_for(kind: CommandKind) -> impl Strategy<Value = Vec<String>> {
    let params = kind.spec().params;
    let strategies: Vec<BoxedStrategy<String>> = params
        .iter()
        .map(|p| match p.rule() {
            ParamRule::Required => text().boxed(),
            ParamRule::Optional => "[^,#|\\x00]{0,12}".boxed(),
            ParamRule::Bool => any::<bool>().prop_map(|b| b.to_string()).boxed(),
            ParamRule::Marker(word) => any::<bool>()
                .prop_map(move |b| if b { word.to_owned() } else { String::new() })
                .boxed(),
            ParamRule::CallVariables => call_variables()
                .prop_map(|vars| {
                    vars.iter()
                        .map(|(n, v)| format!("{n}={v}"))
                        .collect::<Vec<_>>()
                        .join("|")
                })
                .boxed(),
        })
        .collect();
    strategies
}

fn any_command() -> impl Strategy<Value = Command> {
    prop::sample::select(CommandKind::ALL.to_vec()).prop_flat_map(|kind| {
        args_for(kind).prop_map(move |args| {
            let refs: Vec<&str> = args.iter().map(String::as_str).collect();
            Command::from_args(kind, &refs).expect("generated arguments are valid")
        })
    })
}

/// Bodies built from the protocol's own vocabulary, so the parser's deeper
/// paths (keys, lists, records) are exercised, not only the type lookup.
fn event_like_body() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        prop::sample::select(EVENT_TYPES.to_vec()).prop_map(str::to_owned),
        prop::sample::select(vec![
            "IN_SERVICE",
            "RE_LOGIN",
            "READY",
            "FAILED",
            "RECONNECT",
            "PrintStatusBar",
            "TotalNumberOfTeams:",
            "TotalNumberOfTeams:x",
            "DialogID:",
            "CallType:",
            "ParticipantsCount:-1",
            "participants:",
            "Category:",
            "Labels:",
            "AssDialogID:",
            "TeamID",
            "NoPhoneBookFound",
            "name:",
            "LoginId=",
            "FirstName:",
            "|",
            ",",
            ":",
            "=",
        ])
        .prop_map(str::to_owned),
        "[^#]{0,8}",
        "[0-9,|:=]{0,8}",
    ];
    prop::collection::vec(token, 0..14).prop_map(|t| t.join("#"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_strings_never_panic_and_keep_the_raw_body(body in "\\PC{0,200}") {
        let e = Event::parse(&body);
        prop_assert_eq!(&e.raw, &body);
        let token = ParseOptions {
            hash_token: Some("##".into()),
            ..Default::default()
        };
        prop_assert_eq!(Event::parse_with(&body, &token).raw, body);
    }

    #[test]
    fn protocol_shaped_bodies_never_panic(body in event_like_body(), prefix in prop::option::of("[0-9]{1,5}")) {
        let body = match prefix { Some(p) => format!("{p}#{body}"), None => body };
        let e = Event::parse(&body);
        prop_assert_eq!(&e.raw, &body);
        // Every outcome serializes: the CLI prints all of them as JSON.
        prop_assert!(serde_json::to_string(&e).is_ok());
        if let EventData::Malformed { reason } = &e.data {
            prop_assert!(!reason.is_empty());
        }
    }

    #[test]
    fn encode_then_decode_gives_the_same_command(cmd in any_command(), who in target()) {
        let names = WireNames::default();
        let encoded = cmd.encode(&who, &names).expect("valid commands encode");
        prop_assert!(!encoded.body.contains('\0'));
        let (back_target, back) = Command::decode(&encoded.jms_type, &encoded.body, &names).unwrap();
        prop_assert_eq!(&back_target, &who);
        prop_assert_eq!(&back, &cmd);
        // And encoding is deterministic.
        prop_assert_eq!(back.encode(&back_target, &names).unwrap(), encoded);
    }

    #[test]
    fn a_delimiter_in_any_text_argument_is_refused_naming_it(
        kind in prop::sample::select(CommandKind::ALL.to_vec()),
        pick in any::<prop::sample::Index>(),
        bad in prop::sample::select(vec![",", "\u{0}"]),
        at_end in any::<bool>(),
    ) {
        let params = kind.spec().params;
        let text: Vec<usize> = params
            .iter()
            .enumerate()
            .filter(|(_, p)| matches!(p.rule(), ParamRule::Required | ParamRule::Optional))
            .map(|(i, _)| i)
            .collect();
        prop_assume!(!text.is_empty());
        let victim = text[pick.index(text.len())];
        let mut args: Vec<String> = params
            .iter()
            .map(|p| match p.rule() {
                ParamRule::Bool => "true".to_owned(),
                ParamRule::Marker(_) => String::new(),
                ParamRule::CallVariables => "a=1".to_owned(),
                _ => "x".to_owned(),
            })
            .collect();
        args[victim] = if at_end { format!("ab{bad}") } else { format!("{bad}ab") };
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let cmd = Command::from_args(kind, &refs).unwrap();
        let err = cmd.encode("1001", &WireNames::default()).unwrap_err();
        prop_assert_eq!(err.argument, params[victim].name);
    }

    #[test]
    fn a_delimiter_in_the_target_is_refused(
        cmd in any_command(),
        bad in prop::sample::select(vec!["#", ",", "|", "\u{0}"]),
        who in target(),
    ) {
        let err = cmd.encode(&format!("{who}{bad}"), &WireNames::default()).unwrap_err();
        let expected = match cmd.kind().spec().target {
            Target::Agent => "agent_id",
            Target::Destination => "destination",
        };
        prop_assert_eq!(err.argument, expected);
    }

    #[test]
    fn agent_state_fields_round_trip(
        agent in target(),
        state in prop::sample::select(AgentState::ALL.to_vec()),
        pending in prop::option::of(prop::sample::select(AgentState::ALL.to_vec())),
        reason in prop::option::of("-?[0-9]{1,4}"),
        name in "[^#]{0,20}",
        ext in "[0-9]{0,6}",
        label in "[^#]{0,12}",
    ) {
        let name = name.trim().to_owned();
        let label = label.trim().to_owned();
        let body = format!(
            "{agent}#State#{state}#{}#t#{}#1#{name}#{agent}#{ext}#{label}#{name}#login",
            reason.clone().unwrap_or_default(),
            pending.map(|p| p.as_str()).unwrap_or(""),
        );
        let e = Event::parse(&body);
        prop_assert_eq!(e.agent.as_deref(), Some(agent.as_str()));
        let EventData::AgentState(st) = e.data else {
            return Err(TestCaseError::fail(format!("not a state: {body}")));
        };
        prop_assert_eq!(st.state, state);
        prop_assert_eq!(st.pending_state, pending);
        prop_assert_eq!(st.reason_code_id, reason);
        prop_assert_eq!(st.full_name, name);
        prop_assert_eq!(st.extension, ext);
        prop_assert_eq!(st.reason_label, label);
    }

    #[test]
    fn error_codes_round_trip(agent in target(), code in "[A-Z_]{1,30}") {
        let e = Event::parse(&format!("{agent}#Error#{code}"));
        let parsed = e.error_code().cloned();
        prop_assert_eq!(parsed.clone(), Some(ErrorCode::parse(&code)));
        let parsed = parsed.unwrap();
        prop_assert_eq!(parsed.as_str(), code.as_str());
    }
}
