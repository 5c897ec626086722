//! One parsing test per event form of the guide, with samples laid out as
//! the guide prints them, plus empty fields, non-ASCII text, extra trailing
//! fields, missing optional fields and both `<for>#` forms.

use gcclient::protocol::tables::EVENT_FORMS;
use gcclient::protocol::{
    AgentState, ClientAction, ErrorCode, Event, EventData, ParseOptions, QueueFlavor,
    ReasonCategory, SystemStatus, Team,
};

fn parse(body: &str) -> Event {
    let e = Event::parse(body);
    assert_eq!(e.raw, body, "the raw body is always kept");
    e
}

fn data(body: &str) -> EventData {
    parse(body).data
}

#[test]
fn every_documented_form_parses_to_its_variant() {
    for f in EVENT_FORMS {
        let e = parse(f.sample);
        assert_eq!(e.kind_name(), f.parsed_as, "{}: {}", f.form, f.sample);
    }
}

#[test]
fn system_in_and_out_of_service_with_and_without_for() {
    let e = parse("System#IN_SERVICE");
    assert_eq!(e.agent, None);
    assert_eq!(
        e.data,
        EventData::System {
            status: SystemStatus::InService
        }
    );
    let e = parse("gcclient.host.1#System#OUT_OF_SERVICE");
    assert_eq!(e.agent.as_deref(), Some("gcclient.host.1"));
    assert_eq!(
        e.data,
        EventData::System {
            status: SystemStatus::OutOfService
        }
    );
    // A trailing line break from a text editor or a JMS tool is not content.
    assert_eq!(parse("System#IN_SERVICE\r\n").kind_name(), "system");
    assert_eq!(parse("System#HALF_SERVICE").kind_name(), "malformed");
}

#[test]
fn destination_reconnect() {
    assert_eq!(
        data("DESTINATION#gcclient.h.1#RECONNECT"),
        EventData::DestinationReconnect {
            destination: "gcclient.h.1".into()
        }
    );
    let e = parse("1001#DESTINATION#gcclient.h.1#RECONNECT");
    assert_eq!(e.agent.as_deref(), Some("1001"));
    assert_eq!(e.kind_name(), "destination_reconnect");
    assert_eq!(data("DESTINATION##RECONNECT").kind_name(), "malformed");
    assert_eq!(data("DESTINATION#x#GO").kind_name(), "malformed");
}

#[test]
fn callback_scheduled_keeps_all_its_text() {
    assert_eq!(
        data("CallBack#scheduled#2025-01-31 14:30"),
        EventData::CallbackScheduled {
            info: "scheduled#2025-01-31 14:30".into()
        }
    );
    assert_eq!(parse("1001#CallBack#ok").agent.as_deref(), Some("1001"));
}

#[test]
fn agent_info_agent_form() {
    let EventData::AgentInfo(info) =
        data("1001#AgentInfo#Zoë#Ünal#false#REQUIRED#3#Zoë Ünal#zunal")
    else {
        panic!("not agent info")
    };
    assert_eq!(info.first_name, "Zoë");
    assert_eq!(info.last_name, "Ünal");
    assert!(!info.is_supervisor);
    assert_eq!(info.wrap_up_mode, "REQUIRED");
    assert_eq!(info.team_id, "3");
    assert_eq!(info.full_name, "Zoë Ünal");
    assert_eq!(info.login_name, "zunal");
    assert!(info.teams.is_empty());
    assert_eq!(info.total_teams, None);
}

#[test]
fn agent_info_supervisor_form_with_teams() {
    let EventData::AgentInfo(info) = data(
        "2001#AgentInfo#Anna#Łódź#true#OPTIONAL#TotalNumberOfTeams:2#3:Sales|4:Support#3#Anna Łódź#alodz",
    ) else {
        panic!("not agent info")
    };
    assert!(info.is_supervisor);
    assert_eq!(info.total_teams, Some(2));
    assert_eq!(
        info.teams,
        vec![
            Team {
                id: "3".into(),
                name: "Sales".into()
            },
            Team {
                id: "4".into(),
                name: "Support".into()
            }
        ]
    );
    assert_eq!(
        (
            info.team_id.as_str(),
            info.full_name.as_str(),
            info.login_name.as_str()
        ),
        ("3", "Anna Łódź", "alodz")
    );
    // The guide prints `<team_1_id><team_1_name>` with nothing between.
    let EventData::AgentInfo(info) =
        data("2001#AgentInfo#A#B#true#NA#TotalNumberOfTeams:2#3Sales|14Support Desk#3#A B#ab")
    else {
        panic!()
    };
    assert_eq!(info.teams[1].id, "14");
    assert_eq!(info.teams[1].name, "Support Desk");
}

#[test]
fn agent_info_missing_trailing_fields_and_too_short() {
    let EventData::AgentInfo(info) = data("1001#AgentInfo#Zoë#Ünal#false#REQUIRED") else {
        panic!()
    };
    assert_eq!(info.team_id, "");
    assert_eq!(info.login_name, "");
    assert_eq!(data("1001#AgentInfo#Zoë").kind_name(), "malformed");
}

#[test]
fn agent_state_every_field() {
    let e = parse(
        "1001#State#NOT_READY#7#2025-01-31 14:30:00#READY#1738333800000#Zoë Ünal#1001#5001#Lunch#Zoë Ünal#zunal",
    );
    assert_eq!(e.agent.as_deref(), Some("1001"));
    let EventData::AgentState(st) = e.data else {
        panic!()
    };
    assert_eq!(st.state, AgentState::NotReady);
    assert_eq!(st.reason_code_id.as_deref(), Some("7"));
    assert_eq!(st.state_change_time_string, "2025-01-31 14:30:00");
    assert_eq!(st.pending_state, Some(AgentState::Ready));
    assert_eq!(st.state_change_time, "1738333800000");
    assert_eq!(st.full_name, "Zoë Ünal");
    assert_eq!(st.login_id, "1001");
    assert_eq!(st.extension, "5001");
    assert_eq!(st.reason_label, "Lunch");
    assert_eq!(st.login_name, "zunal");
}

#[test]
fn agent_state_ready_has_no_reason_and_no_pending_state() {
    let EventData::AgentState(st) =
        data("1001#State#READY##2026-11-25T10:00:00Z##1764064800000#Ada Lovelace#1001#5001###ada")
    else {
        panic!()
    };
    assert_eq!(st.state, AgentState::Ready);
    assert_eq!(st.reason_code_id, None);
    assert_eq!(st.pending_state, None);
    assert_eq!(st.reason_label, "");
    assert_eq!(st.login_name, "ada");
}

#[test]
fn agent_state_every_state_name_and_minimal_and_extra_fields() {
    for state in AgentState::ALL {
        let EventData::AgentState(st) = data(&format!("1001#State#{state}")) else {
            panic!("{state}")
        };
        assert_eq!(st.state, state);
        assert_eq!(st.full_name, "");
    }
    // The guide writes `RESERVED _OUTBOUND`; -1 is the first NOT_READY code.
    let EventData::AgentState(st) = data("1001#State#RESERVED _OUTBOUND#-1") else {
        panic!()
    };
    assert_eq!(st.state, AgentState::ReservedOutbound);
    assert_eq!(st.reason_code_id.as_deref(), Some("-1"));
    // Fields a newer GC appends are ignored.
    let EventData::AgentState(st) =
        data("1001#State#TALKING#####Ada#1001#5001##Ada#ada#future#more")
    else {
        panic!()
    };
    assert_eq!(st.login_name, "ada");
    assert_eq!(data("1001#State#SLEEPING").kind_name(), "malformed");
    assert_eq!(
        data("1001#State#READY##t#DREAMING").kind_name(),
        "malformed"
    );
}

#[test]
fn state_re_login() {
    let e = parse("1001#State#RE_LOGIN");
    assert_eq!(e.agent.as_deref(), Some("1001"));
    assert_eq!(e.data, EventData::ReLogin);
}

#[test]
fn dialog_status_none_and_detailed() {
    assert_eq!(
        data("1001#DialogStatus###"),
        EventData::DialogStatus { dialog: None }
    );
    assert_eq!(data("1001#DialogStatus").kind_name(), "dialog_status");
    let EventData::DialogStatus { dialog: Some(d) } =
        data("1001#DialogStatus#16777217#ACTIVE#5551234#VIP,,42#16777218#INITIATED#1002#")
    else {
        panic!()
    };
    assert_eq!(d.dialog.dialog_id, "16777217");
    assert_eq!(d.dialog.state, "ACTIVE");
    assert_eq!(d.dialog.from_address, "5551234");
    // Call variables are positional: an empty one keeps its place.
    assert_eq!(d.dialog.call_variables, vec!["VIP", "", "42"]);
    let assoc = d.associated.unwrap();
    assert_eq!(assoc.dialog_id, "16777218");
    assert_eq!(assoc.state, "INITIATED");
    assert!(assoc.call_variables.is_empty());
    // Without an associated dialog.
    let EventData::DialogStatus { dialog: Some(d) } = data("1001#DialogStatus#7#ALERTING#5551234#")
    else {
        panic!()
    };
    assert!(d.associated.is_none());
}

#[test]
fn reason_codes_not_ready_logout_and_wrap_up() {
    let EventData::ReasonCodes {
        category,
        category_text,
        codes,
        full_name,
    } = data("1001#ReasonCodes#Category:NOT_READY#7,8 #Labels:Lunch,Meeting#Zoë Ünal")
    else {
        panic!()
    };
    assert_eq!(category, ReasonCategory::NotReady);
    assert_eq!(category_text, "NOT_READY");
    assert_eq!(full_name, "Zoë Ünal");
    assert_eq!(
        codes
            .iter()
            .map(|c| (c.code.as_str(), c.label.as_str()))
            .collect::<Vec<_>>(),
        vec![("7", "Lunch"), ("8", "Meeting")]
    );
    let EventData::ReasonCodes {
        category, codes, ..
    } = data("1001#ReasonCodes#Category:LOGOUT#12#Labels:End of shift#Zoë")
    else {
        panic!()
    };
    assert_eq!(category, ReasonCategory::Logout);
    assert_eq!(codes[0].code, "12");
    let EventData::ReasonCodes {
        category, codes, ..
    } = data("1001#ReasonCodes#Category:WRAP_UP##Labels:Sale,No sale#Zoë")
    else {
        panic!()
    };
    assert_eq!(category, ReasonCategory::WrapUp);
    assert_eq!(codes.len(), 2);
    assert_eq!(codes[1].code, "");
    assert_eq!(codes[1].label, "No sale");
    // No codes configured.
    let EventData::ReasonCodes { codes, .. } =
        data("1001#ReasonCodes#Category:NOT_READY##Labels:#Zoë")
    else {
        panic!()
    };
    assert!(codes.is_empty());
    assert_eq!(
        data("1001#ReasonCodes#Category:NOT_READY#1,2#Labels:one#Z").kind_name(),
        "malformed"
    );
    assert_eq!(
        data("1001#ReasonCodes#7,8#Labels:a,b").kind_name(),
        "malformed"
    );
}

#[test]
fn inbound_call_normal_form() {
    let e = parse(
        "InboundCall#ACTIVE#DialogID:16777217#5551234#VIP,,42#2025-01-31T14:30:00Z#CallType:ACD_IN#ParticipantsCount:2#participants:1001,5551234",
    );
    assert_eq!(e.agent, None);
    let EventData::InboundCall(c) = e.data else {
        panic!()
    };
    assert_eq!(c.state, "ACTIVE");
    assert_eq!(c.dialog_id.as_deref(), Some("16777217"));
    assert_eq!(c.from_address, "5551234");
    assert_eq!(c.call_variables, vec!["VIP", "", "42"]);
    assert_eq!(c.start_time, "2025-01-31T14:30:00Z");
    assert_eq!(c.call_type.as_deref(), Some("ACD_IN"));
    assert_eq!(c.participants_count, Some(2));
    assert_eq!(c.participants, vec!["1001", "5551234"]);
}

#[test]
fn inbound_call_without_dialog_id_and_with_agent_prefix() {
    // `DialogID:` is only sent for some states: positions shift, keys do not.
    let e = parse("1001#InboundCall#ALERTING#5551234#a,b#2025-01-31T14:30:00Z#CallType:ACD_IN");
    assert_eq!(e.agent.as_deref(), Some("1001"));
    let EventData::InboundCall(c) = e.data else {
        panic!()
    };
    assert_eq!(c.dialog_id, None);
    assert_eq!(c.from_address, "5551234");
    assert_eq!(c.call_variables, vec!["a", "b"]);
    assert_eq!(c.call_type.as_deref(), Some("ACD_IN"));
    assert_eq!(c.participants_count, None);
    assert!(c.participants.is_empty());
    assert_eq!(data("1001#InboundCall#").kind_name(), "malformed");
}

#[test]
fn inbound_call_failed_form() {
    let EventData::InboundCallFailed(f) =
        data("1001#InboundCall#FAILED#DialogID:16777217#CF_RESOURCE_BUSY#Zoë Ünal")
    else {
        panic!()
    };
    assert_eq!(f.dialog_id.as_deref(), Some("16777217"));
    assert_eq!(f.cause, "CF_RESOURCE_BUSY");
    assert_eq!(f.full_name, "Zoë Ünal");
}

#[test]
fn new_inbound_and_outbound_preview_calls() {
    let EventData::NewInboundCall(c) = data(
        "NewInboundCall#5551234#VIP,42#DialogID:16777217#CallType:ACD_IN#2025-01-31T14:30:00Z",
    ) else {
        panic!()
    };
    assert_eq!(c.from_address, "5551234");
    assert_eq!(c.call_variables, vec!["VIP", "42"]);
    assert_eq!(c.dialog_id.as_deref(), Some("16777217"));
    assert_eq!(c.call_type.as_deref(), Some("ACD_IN"));
    assert_eq!(c.start_time, "2025-01-31T14:30:00Z");
    let e =
        parse("1001#NewOutboundPreviewCall#5551234##DialogID:16777219#CallType:OUTBOUND_PREVIEW");
    assert_eq!(e.agent.as_deref(), Some("1001"));
    let EventData::NewOutboundPreviewCall(c) = e.data else {
        panic!()
    };
    assert!(c.call_variables.is_empty());
    assert_eq!(c.dialog_id.as_deref(), Some("16777219"));
    assert_eq!(c.start_time, "");
}

#[test]
fn dialog_state() {
    assert_eq!(
        data("1001#DialogState#ACTIVE#16777217#Zoë Ünal"),
        EventData::DialogState {
            state: "ACTIVE".into(),
            dialog_id: "16777217".into(),
            full_name: "Zoë Ünal".into()
        }
    );
    assert_eq!(data("1001#DialogState##7").kind_name(), "malformed");
}

#[test]
fn consult_call() {
    let EventData::ConsultCall(c) =
        data("1001#ConsultCall#INITIATED#AssDialogID:16777217#1002#VIP,42#Zoë Ünal")
    else {
        panic!()
    };
    assert_eq!(c.state, "INITIATED");
    assert_eq!(c.associated_dialog_id.as_deref(), Some("16777217"));
    assert_eq!(c.from_address, "1002");
    assert_eq!(c.call_variables, vec!["VIP", "42"]);
    assert_eq!(c.agent_name, "Zoë Ünal");
    // The guide leaves the failure form blank: FAILED is read as a state.
    let EventData::ConsultCall(c) = data("1001#ConsultCall#FAILED#AssDialogID:9") else {
        panic!()
    };
    assert_eq!(c.state, "FAILED");
    assert_eq!(c.from_address, "");
}

#[test]
fn team_info_ids_and_names() {
    assert_eq!(
        data("2001#TeamInfoIDs#TeamID#3,4 #Anna Łódź"),
        EventData::TeamInfoIds {
            team_ids: vec!["3".into(), "4".into()],
            full_name: "Anna Łódź".into()
        }
    );
    assert_eq!(
        data("2001#TeamInfoNames#TeamName#Sales,Support#Anna Łódź"),
        EventData::TeamInfoNames {
            team_names: vec!["Sales".into(), "Support".into()],
            full_name: "Anna Łódź".into()
        }
    );
    // `TeamID:3,4` is read the same.
    let EventData::TeamInfoIds { team_ids, .. } = data("2001#TeamInfoIDs#TeamID:3,4#A") else {
        panic!()
    };
    assert_eq!(team_ids, vec!["3", "4"]);
}

#[test]
fn queue_list_ucce_and_uccx() {
    let EventData::QueueList {
        flavor,
        queues,
        full_name,
    } = data("2001#QueueList#Sales,3,2,1,4,0,1,0,0#Support,0,1,1,0,0,0,0,1#Anna Łódź")
    else {
        panic!()
    };
    assert_eq!(flavor, QueueFlavor::Ucce);
    assert_eq!(full_name, "Anna Łódź");
    assert_eq!(queues.len(), 2);
    assert_eq!(queues[0].name, "Sales");
    assert_eq!(queues[0].get("calls_in_queue"), Some("3"));
    assert_eq!(queues[1].get("agents_wrap_up_not_ready"), Some("1"));
    let EventData::QueueList { flavor, queues, .. } =
        data("2001#QueueList#CSQ_Sales,3,5,1,2,0,120,4,127,00:05:12#Anna")
    else {
        panic!()
    };
    assert_eq!(flavor, QueueFlavor::Uccx);
    assert_eq!(queues[0].get("longest_handle_time"), Some("00:05:12"));
    // Empty list (the guide's sample has nothing after `QueueList#`).
    let EventData::QueueList { queues, flavor, .. } = data("2001#QueueList#") else {
        panic!()
    };
    assert!(queues.is_empty());
    assert_eq!(flavor, QueueFlavor::Unknown);
}

#[test]
fn agents_list_with_the_guides_missing_comma() {
    let EventData::AgentsList { agents } = data(
        "9001#AgentsList#LoginId=1001,Name=Zoë Ünal Extension=1001,State=READY,Team=Sales|LoginId=1002,Name=王小明,Extension=1002,State=TALKING,Team=Support",
    ) else {
        panic!()
    };
    assert_eq!(agents.len(), 2);
    assert_eq!(agents[0].login_id, "1001");
    assert_eq!(agents[0].name, "Zoë Ünal");
    assert_eq!(agents[0].extension, "1001");
    assert_eq!(agents[0].state, Some(AgentState::Ready));
    assert_eq!(agents[0].team, "Sales");
    assert_eq!(agents[1].name, "王小明");
    assert_eq!(agents[1].team, "Support");
}

#[test]
fn team_users_list() {
    let EventData::TeamUsersList { users } = data(
        "2001#TeamUsersList#FirstName:Zoë,LastName:Ünal,Extension:1001,LoginId:1001,State:READY,PendingState:,MediaType:1,StateChangeTime:2025-01-31T14:30:00Z,StateChangeLabel:|FirstName:小明,LastName:王,Extension:1002,LoginId:1002,State:TALKING,PendingState:NOT_READY,MediaType:1,StateChangeTime:t,StateChangeLabel:Busy",
    ) else {
        panic!()
    };
    assert_eq!(users.len(), 2);
    assert_eq!(users[0].first_name, "Zoë");
    assert_eq!(users[0].pending_state, None);
    assert_eq!(users[1].state, Some(AgentState::Talking));
    assert_eq!(users[0].state_change_time, "2025-01-31T14:30:00Z");
    assert_eq!(users[1].last_name, "王");
    assert_eq!(users[1].pending_state, Some(AgentState::NotReady));
    assert_eq!(users[1].state_change_label, "Busy");
    // The guide's own sample stops after the extension with a trailing comma.
    let EventData::TeamUsersList { users } =
        data("2001#TeamUsersList#FirstName:Ada,LastName:Lovelace,Extension:5001,")
    else {
        panic!()
    };
    assert_eq!(users[0].extension, "5001");
    assert_eq!(users[0].login_id, "");
}

#[test]
fn team_member_state_changed_and_conference_participants() {
    assert_eq!(
        data("2001#TeamMemberStateChanged#3#TALKING"),
        EventData::TeamMemberStateChanged {
            team_id: "3".into(),
            state: "TALKING".into(),
            extra: vec![]
        }
    );
    assert_eq!(
        data("2001#ConferenceParticipants#1001,1002,5551234"),
        EventData::ConferenceParticipants {
            extensions: vec!["1001".into(), "1002".into(), "5551234".into()]
        }
    );
}

#[test]
fn print_status_bar_keeps_hashes_in_the_message() {
    assert_eq!(
        data("1001#Control#PrintStatusBar#Supervisor Łódź joined"),
        EventData::PrintStatusBar {
            message: "Supervisor Łódź joined".into()
        }
    );
    assert_eq!(
        data("1001#Control#PrintStatusBar#Queue #3 is full"),
        EventData::PrintStatusBar {
            message: "Queue #3 is full".into()
        }
    );
    assert_eq!(data("1001#Control#Blink#1").kind_name(), "unknown");
}

#[test]
fn phonebooks_contacts_and_team_phonebooks_with_not_found_forms() {
    let EventData::Phonebooks { found, phonebooks } =
        data("1001#Phonebooks#name:Global,type:GLOBAL,id:1|name:Sales, EMEA,type:TEAM,id:5")
    else {
        panic!()
    };
    assert!(found);
    assert_eq!(phonebooks.len(), 2);
    assert_eq!(phonebooks[1].name, "Sales, EMEA");
    assert_eq!(phonebooks[1].kind, "TEAM");
    assert_eq!(phonebooks[1].id, "5");
    assert_eq!(
        data("1001#Phonebooks#NoPhoneBookFound"),
        EventData::Phonebooks {
            found: false,
            phonebooks: vec![]
        }
    );
    let EventData::PhonebookContacts { found, contacts } = data(
        "1001#PhonebookContacts#description:Head office,firstName:Zoë,lastName:Ünal,phoneNumber:5551234,id:77",
    ) else {
        panic!()
    };
    assert!(found);
    assert_eq!(contacts[0].description, "Head office");
    assert_eq!(contacts[0].first_name, "Zoë");
    assert_eq!(contacts[0].phone_number, "5551234");
    assert_eq!(contacts[0].id, "77");
    assert_eq!(
        data("1001#PhonebookContacts#NoContactFound"),
        EventData::PhonebookContacts {
            found: false,
            contacts: vec![]
        }
    );
    let EventData::TeamPhonebooks { found, phonebooks } =
        data("2001#TeamPhoneBooks#name:Sales team,type:TEAM,id:5")
    else {
        panic!()
    };
    assert!(found);
    assert_eq!(phonebooks[0].name, "Sales team");
    assert_eq!(
        data("2001#TeamPhoneBooks#NoTeamPhoneBookFound"),
        EventData::TeamPhonebooks {
            found: false,
            phonebooks: vec![]
        }
    );
}

#[test]
fn callback_message_only_for_the_titles_configured() {
    let body = "1001#Callback due#Call 5551234 back at 14:30";
    // The guide names no title: an unknown type is Unknown, raw text kept.
    let e = parse(body);
    assert_eq!(e.data, EventData::Unknown);
    assert_eq!(e.raw, body);
    let opts = ParseOptions {
        callback_message_titles: vec!["Callback due".into()],
        ..Default::default()
    };
    let e = Event::parse_with(body, &opts);
    assert_eq!(e.agent.as_deref(), Some("1001"));
    assert_eq!(
        e.data,
        EventData::CallbackMessage {
            title: "Callback due".into(),
            data: "Call 5551234 back at 14:30".into()
        }
    );
}

#[test]
fn all_twenty_error_codes_with_their_suggested_action() {
    assert_eq!(ErrorCode::ALL.len(), 20);
    for code in ErrorCode::ALL {
        for body in [format!("1001#Error#{code}"), format!("Error#{code}")] {
            let e = parse(&body);
            assert_eq!(e.error_code(), Some(code), "{body}");
        }
    }
    let e = parse("1001#Error#SESSION_INVALIDATED");
    assert_eq!(e.agent.as_deref(), Some("1001"));
    assert_eq!(
        e.error_code().unwrap().suggested_action(),
        ClientAction::LoginAgain
    );
    assert_eq!(
        ErrorCode::MissingPassword.suggested_action(),
        ClientAction::AskForPassword
    );
    assert_eq!(
        ErrorCode::CfResourceBusy.suggested_action(),
        ClientAction::Retry
    );
    let EventData::Error { code, details } = data("1001#Error#SOMETHING_NEW#more detail") else {
        panic!()
    };
    assert_eq!(code, ErrorCode::Other("SOMETHING_NEW".into()));
    assert_eq!(details, vec!["more detail"]);
    assert_eq!(code.suggested_action(), ClientAction::ShowMessage);
    assert_eq!(data("1001#Error#").kind_name(), "malformed");
}

#[test]
fn unknown_types_and_unreadable_bodies_keep_the_raw_body() {
    for body in [
        "",
        "#",
        "##",
        "hello",
        "1001#SkillGroupList#5#Sales",
        "\u{0}#\u{0}",
    ] {
        let e = parse(body);
        assert!(
            matches!(e.data, EventData::Unknown | EventData::Malformed { .. }),
            "{body:?}: {:?}",
            e.data
        );
    }
    let EventData::Malformed { reason } = data("1001#State#SLEEPING") else {
        panic!()
    };
    assert!(reason.contains("SLEEPING"), "{reason}");
}

#[test]
fn every_type_parses_with_and_without_the_for_prefix() {
    for f in EVENT_FORMS {
        if f.wire_type.starts_with('(') {
            continue;
        }
        let stripped = match f.sample.split_once('#') {
            Some((first, rest)) if first != f.wire_type => rest.to_owned(),
            _ => f.sample.to_owned(),
        };
        let with = format!("1001#{stripped}");
        let a = parse(&stripped);
        let b = parse(&with);
        assert_eq!(a.agent, None, "{stripped}");
        assert_eq!(b.agent.as_deref(), Some("1001"), "{with}");
        assert_eq!(a.data, b.data, "{stripped}");
        assert_eq!(a.kind_name(), f.parsed_as, "{stripped}");
    }
}

#[test]
fn hash_token_unescaping_is_opt_in() {
    let body = "1001#Control#PrintStatusBar#Queue <HASH>3 is full";
    assert_eq!(
        data(body),
        EventData::PrintStatusBar {
            message: "Queue <HASH>3 is full".into()
        }
    );
    let opts = ParseOptions {
        hash_token: Some("<HASH>".into()),
        ..Default::default()
    };
    let e = Event::parse_with(body, &opts);
    assert_eq!(
        e.data,
        EventData::PrintStatusBar {
            message: "Queue #3 is full".into()
        }
    );
    assert_eq!(e.raw, body);
    let e = Event::parse_with("1001#DialogState#ACTIVE#7#O<HASH>Brien", &opts);
    let EventData::DialogState { full_name, .. } = e.data else {
        panic!()
    };
    assert_eq!(full_name, "O#Brien");
}

#[test]
fn wire_type_names_the_type_an_event_came_as() {
    for f in EVENT_FORMS {
        let e = parse(f.sample);
        if !f.wire_type.starts_with('(') {
            assert_eq!(e.data.wire_type(), f.wire_type, "{}", f.sample);
        }
    }
}

#[test]
fn events_serialize_to_json_with_type_agent_and_raw() {
    let e = parse("1001#State#READY##t##1#Ada#1001#5001###ada");
    let v: serde_json::Value = serde_json::to_value(&e).unwrap();
    assert_eq!(v["type"], "agent_state");
    assert_eq!(v["agent"], "1001");
    assert_eq!(v["state"], "READY");
    assert_eq!(v["raw"], "1001#State#READY##t##1#Ada#1001#5001###ada");
    let v = serde_json::to_value(parse("1001#Error#CF_RESOURCE_BUSY")).unwrap();
    assert_eq!(v["code"], "CF_RESOURCE_BUSY");
}

#[test]
fn records_one_after_the_other_with_commas_split_where_a_key_repeats() {
    let EventData::Phonebooks { phonebooks, .. } =
        data("2001#Phonebooks#name:Global,type:GLOBAL,id:1,name:Sales team,type:TEAM,id:2")
    else {
        panic!()
    };
    assert_eq!(phonebooks.len(), 2);
    assert_eq!(
        (phonebooks[1].name.as_str(), phonebooks[1].id.as_str()),
        ("Sales team", "2")
    );
    let EventData::PhonebookContacts { contacts, .. } = data(
        "2001#PhonebookContacts#description:VIP,firstName:Ann,lastName:Lee,phoneNumber:5551,id:7,description:,firstName:Bo,lastName:Ng,phoneNumber:5552,id:8",
    ) else {
        panic!()
    };
    assert_eq!(contacts.len(), 2);
    assert_eq!(contacts[1].first_name, "Bo");
    let EventData::TeamPhonebooks { phonebooks, .. } = data(
        "2001#TeamPhoneBooks#name:A,type:TEAM,id:1,name:B,type:TEAM,id:2,name:C,type:TEAM,id:3",
    ) else {
        panic!()
    };
    assert_eq!(phonebooks.len(), 3);
    let EventData::TeamUsersList { users } = data(
        "2001#TeamUsersList#FirstName:Ann,LastName:Lee,Extension:5001,LoginId:1001,State:READY,FirstName:Bo,LastName:Ng,Extension:5002,LoginId:1002,State:WORK_READY",
    ) else {
        panic!()
    };
    assert_eq!(users.len(), 2);
    assert_eq!(users[1].state, Some(AgentState::WorkReady));
    let EventData::AgentsList { agents } = data(
        "9001#AgentsList#LoginId=1001,Name=Ann,Extension=5001,State=READY,Team=S,LoginId=1002,Name=Bo,Extension=5002,State=HOLD,Team=S",
    ) else {
        panic!()
    };
    assert_eq!(agents.len(), 2);
    assert_eq!(agents[1].state, Some(AgentState::Hold));
}

#[test]
fn system_error_is_a_typed_error_for_no_agent() {
    let e = parse("System#Error#GENERAL_ERROR");
    assert_eq!(e.agent, None);
    assert_eq!(e.error_code(), Some(&ErrorCode::GeneralError));
}
