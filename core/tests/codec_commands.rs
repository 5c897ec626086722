//! One encoding test per command of the guide (wire spellings, corrections
//! and blank-type defaults of docs/protocol.md), plus the arguments the
//! protocol cannot carry.

use gcclient::protocol::{Command, CommandKind, Secret, WireNames};

fn s(v: &str) -> String {
    v.to_owned()
}

/// Encodes for agent 1001 (or destination `dest1` for Hello/Beat).
fn enc(cmd: &Command) -> (String, String) {
    let target = match cmd.kind() {
        CommandKind::Hello | CommandKind::Beat => "dest1",
        _ => "1001",
    };
    let e = cmd
        .encode(target, &WireNames::default())
        .unwrap_or_else(|err| panic!("{cmd:?} should encode: {err}"));
    (e.jms_type, e.body)
}

/// Every command with the JMS type and body the guide (as corrected by
/// docs/protocol.md) prescribes. One row per command; the test below
/// checks the table covers all of them.
fn table() -> Vec<(Command, &'static str, &'static str)> {
    use Command as C;
    vec![
        (C::Hello, "Hello#dest1", ""),
        (
            C::Connect {
                destination: s("dest1"),
                password: Secret::new("pw"),
                sso: false,
            },
            "Connect#1001",
            "dest1,pw",
        ),
        (
            C::Login {
                password: Secret::new("pw"),
                extension: s("5001"),
            },
            "Login#1001",
            "pw,5001",
        ),
        (
            C::MobileAgentLogin {
                password: Secret::new("pw"),
                extension: s("5001"),
                dial_number: s("+15551234"),
                call_by_call: false,
            },
            "MOBILEAGENTLOGIN#1001",
            "pw,5001,+15551234,false",
        ),
        (C::Beat, "Beat#dest1", ""),
        (C::Logout, "Logout#1001", ""),
        (
            C::LogoutWithReason {
                reason_code: s("12"),
            },
            "logoutwithreason#1001",
            "12",
        ),
        (C::GetState, "GetState#1001", ""),
        (C::MakeNotReady, "MakeNotReady#1001", ""),
        (
            C::MakeNotReadyWithReason {
                reason_code: s("7"),
            },
            "MakeNotReadyWithReason#1001",
            "7",
        ),
        (C::MakeReady, "MakeReady#1001", ""),
        (C::MakeWorkReady, "MakeWorkReady#1001", ""),
        // The guide's `MakeReady#` for MakeWorkNotReady is a slip.
        (C::MakeWorkNotReady, "MakeWorkNotReady#1001", ""),
        (C::MakeCall { number: s("5002") }, "MakeCall#1001", "5002"),
        (
            C::AnswerCall {
                dialog_id: s("16777217"),
            },
            "AnswerCall#1001",
            "16777217",
        ),
        (
            C::ReleaseCall {
                dialog_id: s("16777217"),
            },
            "ReleaseCall#1001",
            "16777217",
        ),
        (
            C::HoldCall {
                dialog_id: s("16777217"),
            },
            "HoldCall#1001",
            "16777217",
        ),
        (
            C::RetrieveCall {
                dialog_id: s("16777217"),
            },
            "RetrieveCall#1001",
            "16777217",
        ),
        (
            C::SingleStepTransfer {
                extension: s("1002"),
                dialog_id: s("16777217"),
            },
            "Transfer_sst#1001",
            "1002,16777217",
        ),
        (
            C::ConsultCall {
                extension: s("1002"),
                dialog_id: s("16777217"),
            },
            "ConsultCall#1001",
            "1002,16777217",
        ),
        (
            C::TransferCall {
                extension: s("1002"),
                dialog_id: s("16777217"),
            },
            "TransferCall#1001",
            "1002,16777217",
        ),
        (
            C::ConferenceCall {
                extension: s("1002"),
                dialog_id: s("16777217"),
            },
            "Conferencecall#1001",
            "1002,16777217",
        ),
        (
            C::GetDialogState {
                dialog_id: s("16777217"),
            },
            "GetDialogState#1001",
            "16777217",
        ),
        (C::GetLogoutReasonCodes, "reasoncodelogout#1001", ""),
        (C::GetNotReadyReasonCodes, "reasoncodenotready#1001", ""),
        (C::GetWrapUpReasons, "wrapupreasoncode#1001", ""),
        (
            C::Wrapup {
                reason: s("Sale closed"),
                dialog_id: s("16777217"),
            },
            "wrapup#1001",
            "Sale closed,16777217",
        ),
        (
            C::UpdateCallVariables {
                dialog_id: s("16777217"),
                variables: vec![
                    (s("callVariable1"), s("VIP")),
                    (s("BAStatus"), s("")),
                    (s("user.ecc"), s("Zoë")),
                ],
            },
            "update_call_variable#1001",
            "16777217,callVariable1=VIP|BAStatus=|user.ecc=Zoë",
        ),
        // The guide's `getallagents##` is a slip.
        (C::GetAllAgents, "getallagents#1001", ""),
        // The six blank types of the guide: provisional defaults.
        (C::GetPhonebooks, "getphonebooks#1001", ""),
        (
            C::GetPhonebookContacts {
                phonebook_id: s("5"),
            },
            "getphonebookcontacts#1001",
            "5",
        ),
        (C::GetTeamPhonebook, "getteamphonebook#1001", ""),
        (C::GetQueueList, "getqueuelist#1001", ""),
        (
            C::SilentMonitor {
                extension: s("1002"),
            },
            "silentmonitor#1001",
            "1002",
        ),
        (
            C::EndSilentMonitor {
                dialog_id: s("16777217"),
            },
            "endsilentmonitor#1001",
            "16777217",
        ),
        (
            C::DropParticipant {
                extension: s("1002"),
                dialog_id: s("16777217"),
            },
            "dropparticipant#1001",
            "1002,16777217",
        ),
        (
            C::GetTeamUsers {
                team_id: s("3"),
                subscribe: true,
            },
            "getteamusers#1001",
            "3,true",
        ),
        (
            C::BargeIn {
                extension: s("1002"),
                dialog_id: s("16777217"),
            },
            "bargein#1001",
            "1002,16777217",
        ),
        (
            C::GetTeamUsersState {
                team_agent_id: s("1003"),
            },
            "getteamusersstate#1001",
            "1003",
        ),
        (
            C::AcceptOutboundPreview {
                dialog_id: s("16777219"),
            },
            "AcceptOutboundPreview#1001",
            "16777219,ACCEPT",
        ),
        (
            C::RejectOutboundPreview {
                dialog_id: s("16777219"),
            },
            "RejectOutboundPreview#1001",
            "16777219,REJECT",
        ),
        (
            C::CloseOutboundPreview {
                dialog_id: s("16777219"),
            },
            "CloseOutboundPreview#1001",
            "16777219,CLOSE",
        ),
        (C::GetSkillGroups, "GETSKILLGROPU#1001", ""),
        (C::GetSupervisors, "GETSUPERVISOR#1001", ""),
        (
            C::ScheduleCallback {
                target_media_address: s("1001"),
                dialog_id: s("16777217"),
                callback_time: s("2025-01-31T14:30"),
                callback_number: s("5551234"),
            },
            "SHCEDULECALLBACK#1001",
            "1001,16777217,2025-01-31T14:30,5551234",
        ),
        (
            C::UpdateCallback {
                target_media_address: s("1001"),
                dialog_id: s("16777217"),
                callback_time: s("2025-02-01T09:00"),
                callback_number: s("5551234"),
            },
            "UPDATECALLBACK#1001",
            "1001,16777217,2025-02-01T09:00,5551234",
        ),
        (
            C::CancelCallback {
                target_media_address: s("1001"),
                dialog_id: s("16777217"),
            },
            "CANCELSHCEDULECALLBACK#1001",
            "1001,16777217",
        ),
        (
            C::ReclassifyCall {
                target_media_address: s("1001"),
                dialog_id: s("16777217"),
                value: s("VOICE"),
            },
            "RECLASSIFYCALL#1001",
            "1001,16777217,VOICE",
        ),
    ]
}

#[test]
fn every_command_encodes_as_the_guide_says() {
    let rows = table();
    let mut seen: Vec<CommandKind> = rows.iter().map(|(c, _, _)| c.kind()).collect();
    seen.sort();
    seen.dedup();
    assert_eq!(
        seen.len(),
        CommandKind::ALL.len(),
        "the table must have one row per command"
    );
    for (cmd, jms_type, body) in rows {
        assert_eq!(enc(&cmd), (jms_type.to_owned(), body.to_owned()), "{cmd:?}");
    }
}

#[test]
fn every_command_decodes_back_as_gc_reads_it() {
    let names = WireNames::default();
    for (cmd, jms_type, body) in table() {
        let (target, decoded) = Command::decode(jms_type, body, &names).unwrap();
        assert_eq!(decoded, cmd, "{jms_type} {body}");
        assert!(target == "1001" || target == "dest1");
    }
}

#[test]
fn connect_with_sso_appends_the_marker() {
    let cmd = Command::Connect {
        destination: s("gcclient.host.1"),
        password: Secret::new("pw"),
        sso: true,
    };
    assert_eq!(enc(&cmd), (s("Connect#1001"), s("gcclient.host.1,pw,SSO")));
    let (_, back) = Command::decode(
        "Connect#1001",
        "gcclient.host.1,pw,SSO",
        &WireNames::default(),
    )
    .unwrap();
    assert_eq!(back, cmd);
}

#[test]
fn mobile_login_call_by_call_is_true_on_the_wire() {
    let cmd = Command::MobileAgentLogin {
        password: Secret::new("pw"),
        extension: s("5001"),
        dial_number: s("5550000"),
        call_by_call: true,
    };
    assert_eq!(enc(&cmd).1, "pw,5001,5550000,true");
}

#[test]
fn non_ascii_arguments_pass_through_unchanged() {
    let cmd = Command::Wrapup {
        reason: s("Verkauf abgeschloßen – 成功"),
        dialog_id: s("d-1"),
    };
    assert_eq!(enc(&cmd).1, "Verkauf abgeschloßen – 成功,d-1");
}

fn invalid(cmd: &Command, target: &str) -> gcclient::InvalidArgument {
    match cmd.encode(target, &WireNames::default()) {
        Ok(e) => panic!("{cmd:?} for {target:?} must be rejected, got {e:?}"),
        Err(e) => e,
    }
}

#[test]
fn a_comma_inside_an_argument_is_rejected_naming_it() {
    let cases: Vec<(Command, &str)> = vec![
        (Command::MakeCall { number: s("50,02") }, "number"),
        (
            Command::Login {
                password: Secret::new("pa,ss"),
                extension: s("5001"),
            },
            "password",
        ),
        (
            Command::Login {
                password: Secret::new("pw"),
                extension: s("50,01"),
            },
            "extension",
        ),
        (
            Command::ConsultCall {
                extension: s("1002"),
                dialog_id: s("1,2"),
            },
            "dialog_id",
        ),
        (
            Command::Wrapup {
                reason: s("Sale, closed"),
                dialog_id: s("1"),
            },
            "reason",
        ),
        (
            Command::ScheduleCallback {
                target_media_address: s("1001"),
                dialog_id: s("1"),
                callback_time: s("2025-01-31, 14:30"),
                callback_number: s("5"),
            },
            "callback_time",
        ),
    ];
    for (cmd, field) in cases {
        let err = invalid(&cmd, "1001");
        assert_eq!(err.argument, field, "{cmd:?}");
        assert_eq!(err.command, cmd.kind().api_name());
        assert!(err.to_string().contains(&format!("`{field}`")), "{err}");
    }
}

#[test]
fn delimiters_in_the_agent_id_are_rejected() {
    for bad in ["10#01", "10,01", "10|01", "10\u{0}01", ""] {
        let err = invalid(&Command::MakeReady, bad);
        assert_eq!(err.argument, "agent_id", "{bad:?}");
    }
    let err = invalid(&Command::Hello, "dest#1");
    assert_eq!(err.argument, "destination");
}

#[test]
fn nul_in_any_argument_is_rejected() {
    let err = invalid(
        &Command::MakeCall {
            number: s("50\u{0}02"),
        },
        "1001",
    );
    assert_eq!(err.argument, "number");
    let err = invalid(
        &Command::Connect {
            destination: s("dest"),
            password: Secret::new("p\u{0}w"),
            sso: false,
        },
        "1001",
    );
    assert_eq!(err.argument, "password");
}

#[test]
fn empty_required_arguments_are_rejected() {
    let err = invalid(&Command::MakeCall { number: s("") }, "1001");
    assert_eq!((err.argument, err.reason), ("number", "must not be empty"));
    let err = invalid(
        &Command::Login {
            password: Secret::new(""),
            extension: s("5001"),
        },
        "1001",
    );
    assert_eq!(err.argument, "password");
    let err = invalid(
        &Command::GetTeamUsers {
            team_id: s(""),
            subscribe: true,
        },
        "1001",
    );
    assert_eq!(err.argument, "team_id");
}

#[test]
fn call_variables_reject_pipes_equals_commas_and_emptiness() {
    let with = |vars: Vec<(&str, &str)>| Command::UpdateCallVariables {
        dialog_id: s("1"),
        variables: vars.into_iter().map(|(n, v)| (s(n), s(v))).collect(),
    };
    for vars in [
        vec![("a", "x|y")],
        vec![("a", "x=y")],
        vec![("a", "x,y")],
        vec![("a|b", "x")],
        vec![("a=b", "x")],
        vec![("", "x")],
        vec![],
    ] {
        let err = invalid(&with(vars.clone()), "1001");
        assert_eq!(err.argument, "variables", "{vars:?}");
    }
    let err = invalid(&with(vec![("a", "x\u{0}")]), "1001");
    assert_eq!(err.argument, "variables");
}

#[test]
fn errors_and_debug_never_show_the_password() {
    let cmd = Command::Login {
        password: Secret::new("hunter2,x"),
        extension: s("5001"),
    };
    let err = invalid(&cmd, "1001");
    assert!(!err.to_string().contains("hunter2"));
    assert!(!format!("{cmd:?}").contains("hunter2"));
    assert!(!serde_json::to_string(&cmd).unwrap().contains("hunter2"));
}

#[test]
fn wire_names_can_be_overridden_per_deployment() {
    let names = WireNames::from_overrides([
        ("get_phonebooks", "getPhoneBooks"),
        ("barge-in", "BargeIn"),
        ("GETSKILLGROPU", "GETSKILLGROUP"),
    ])
    .unwrap();
    let e = Command::GetPhonebooks.encode("1001", &names).unwrap();
    assert_eq!(e.jms_type, "getPhoneBooks#1001");
    let e = Command::GetSkillGroups.encode("1001", &names).unwrap();
    assert_eq!(e.jms_type, "GETSKILLGROUP#1001");
    let barge = Command::BargeIn {
        extension: s("1002"),
        dialog_id: s("7"),
    };
    assert_eq!(
        barge.encode("1001", &names).unwrap().jms_type,
        "BargeIn#1001"
    );
    // Decoding follows the overrides too.
    let (_, back) = Command::decode("getPhoneBooks#1001", "", &names).unwrap();
    assert_eq!(back, Command::GetPhonebooks);
    // Unchanged names keep their defaults.
    assert_eq!(
        Command::MakeReady.encode("1001", &names).unwrap().jms_type,
        "MakeReady#1001"
    );
}

#[test]
fn bad_wire_name_overrides_are_refused() {
    assert!(WireNames::from_overrides([("no_such_command", "x")]).is_err());
    assert!(WireNames::from_overrides([("make_ready", "Make#Ready")]).is_err());
    assert!(WireNames::from_overrides([("make_ready", "")]).is_err());
}

#[test]
fn user_args_build_commands_as_typed_on_a_command_line() {
    let cmd = Command::from_user_args(
        CommandKind::UpdateCallVariables,
        &["d1", "a=1", "b=two words"],
    )
    .unwrap();
    assert_eq!(enc(&cmd).1, "d1,a=1|b=two words");
    let cmd = Command::from_user_args(CommandKind::Connect, &["dest", "pw", "SSO"]).unwrap();
    assert_eq!(enc(&cmd).1, "dest,pw,SSO");
    let cmd = Command::from_user_args(CommandKind::GetTeamUsers, &["3", "false"]).unwrap();
    assert_eq!(enc(&cmd).1, "3,false");
    assert!(Command::from_user_args(CommandKind::GetTeamUsers, &["3", "maybe"]).is_err());
    assert!(Command::from_user_args(CommandKind::MakeCall, &["1", "2"]).is_err());
    // A missing argument is left empty so encode names it.
    let cmd = Command::from_user_args(CommandKind::MakeCall, &[]).unwrap();
    assert_eq!(invalid(&cmd, "1001").argument, "number");
}

#[test]
fn decoding_rejects_unknown_commands_and_missing_targets() {
    let names = WireNames::default();
    assert!(Command::decode("MakeReady", "", &names).is_err());
    assert!(Command::decode("Teleport#1001", "", &names).is_err());
    // GC deployments differ in case; the spaces after `#` in the guide are layout.
    let (target, cmd) = Command::decode("answercall# 1001", "7", &names).unwrap();
    assert_eq!(
        (target.as_str(), cmd),
        ("1001", Command::AnswerCall { dialog_id: s("7") })
    );
}

#[test]
fn examples_encode_for_every_command() {
    for kind in CommandKind::ALL {
        let cmd = Command::example(*kind);
        assert_eq!(cmd.kind(), *kind);
        let (jms_type, _) = enc(&cmd);
        assert!(jms_type.starts_with(kind.spec().default_wire));
    }
}
