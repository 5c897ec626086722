//! The command table: one row per command of the guide, and the only place a
//! command is declared. `command_table!(callback)` hands every row to a
//! callback macro; `protocol::command` builds `Command`, `CommandKind`, the
//! codec and the argument checks from it, `session::agent` the Rust
//! `Agent` methods, and `codegen/` (from the data in `CommandSpec`) the
//! methods of the C ABI, uniffi (Kotlin, Python) and C#.
//!
//! A row: `Variant { param: Type, ... } => { fields }`, parameters in wire
//! order. Types, with the delimiter rules `Command::encode` enforces:
//! - `Text`: non-empty, no `,` (the protocol has no escaping), no NUL;
//! - `Secret`: like `Text`, kept in a `Secret` (never logged or printed);
//! - `Flag`: a boolean, `true`/`false` on the wire; `Flag(false)` gives
//!   languages with default arguments a default;
//! - `Marker("SSO")`: a boolean sent as the word when on, nothing when off;
//! - `Vars`: call variables `name=value|name=value`, at least one, no `,`,
//!   no `|` or `=` inside a name or value.
//!
//! Fields, in this order (those in brackets are optional):
//! - `api`: the method name in every language (`make_call`, `makeCall`,
//!   `MakeCallAsync`, `gc_agent_make_call`); also the CLI name;
//! - `wire`: the default JMS type (deployments may override it);
//! - `target`: `Agent` (`<Command>#<agent>`) or `Destination`;
//! - [`suffix`]: a word always appended to the body (`ACCEPT`);
//! - `replies`: the event types GC answers with; the first is the one
//!   correlated with the command (empty: no reply on success);
//! - `method`: `Request` (generated in every layer), `Session` (core's
//!   `Agent` method is hand-written because the session keeps state around
//!   it; every other layer is generated and calls it), `Custom` (hand-written
//!   in every layer) or `Internal` (sent by the session, no method);
//! - [`folds`]: the method takes the other command's one parameter as an
//!   optional last argument and sends that command when it is given
//!   (`make_not_ready(reason_code=None)`);
//! - [`aliases`]: deprecated old method names, kept for existing users;
//! - `summary`: the cell of `docs/protocol.md`'s command table;
//! - `doc`: the doc line every generated method carries (from the guide).

macro_rules! command_table {
    ($callback:ident) => {
        $callback! {
            Hello => {
                api: hello, wire: "Hello", target: Destination,
                replies: ["System", "DESTINATION"],
                method: Internal,
                summary: "Handshake; repeated until System#IN_SERVICE",
                doc: "Handshake on this client's topic; the session repeats it until GC answers `System#IN_SERVICE`.",
            }
            Connect { destination: Text, password: Secret, sso: Marker("SSO") } => {
                api: connect, wire: "Connect", target: Agent,
                replies: [],
                method: Custom,
                summary: "Subscribe the agent to Finesse notifications (no reply on success)",
                doc: "Subscribes the agent to Finesse notifications; GC answers only on failure (a subscription error).",
            }
            Login { password: Secret, extension: Text } => {
                api: login, wire: "Login", target: Agent,
                replies: ["State", "AgentInfo", "DialogStatus"],
                method: Custom,
                summary: "Log the agent in to Finesse",
                doc: "Logs the agent in to Finesse on its extension; GC answers with the agent's state, info and dialog status.",
            }
            MobileAgentLogin { password: Secret, extension: Text, dial_number: Text, call_by_call: Flag(true) } => {
                api: mobile_agent_login, wire: "MOBILEAGENTLOGIN", target: Agent,
                replies: ["State", "AgentInfo", "DialogStatus"],
                method: Session,
                aliases: [mobile_login],
                summary: "Log in a mobile agent (call-by-call or nailed connection)",
                doc: "Logs a mobile agent in: Finesse calls `dial_number` to reach the agent, call by call (`call_by_call` true) or over a nailed connection (false).",
            }
            Beat => {
                api: beat, wire: "Beat", target: Destination,
                replies: ["System", "DESTINATION"],
                method: Internal,
                summary: "Keep-alive after IN_SERVICE",
                doc: "Heartbeat after IN_SERVICE; GC answers with its system status or `DESTINATION#RECONNECT`.",
            }
            Logout => {
                api: logout, wire: "Logout", target: Agent,
                replies: ["State"],
                method: Session,
                summary: "Log the agent out (supervisor command)",
                doc: "Logs the agent out (a supervisor command in the guide; the agent must be NOT_READY) and stops automatic re-login.",
            }
            LogoutWithReason { reason_code: Text } => {
                api: logout_with_reason, wire: "logoutwithreason", target: Agent,
                replies: ["State"],
                method: Session,
                summary: "Log out with a logout reason code",
                doc: "Logs the agent out with a logout reason code defined in Finesse and stops automatic re-login.",
            }
            GetState => {
                api: get_state, wire: "GetState", target: Agent,
                replies: ["State"],
                method: Request,
                summary: "Current agent state",
                doc: "Asks GC for the agent's current state.",
            }
            MakeNotReady => {
                api: make_not_ready, wire: "MakeNotReady", target: Agent,
                replies: ["State"],
                method: Request,
                folds: MakeNotReadyWithReason,
                summary: "Set NOT_READY (supervisor command)",
                doc: "Sets the agent NOT_READY; with a reason code (defined in Finesse) it sends `MakeNotReadyWithReason`.",
            }
            MakeNotReadyWithReason { reason_code: Text } => {
                api: make_not_ready_with_reason, wire: "MakeNotReadyWithReason", target: Agent,
                replies: ["State"],
                method: Request,
                summary: "Set NOT_READY with a reason code",
                doc: "Sets the agent NOT_READY with a not-ready reason code defined in Finesse.",
            }
            MakeReady => {
                api: make_ready, wire: "MakeReady", target: Agent,
                replies: ["State"],
                method: Request,
                summary: "Set READY",
                doc: "Sets the agent READY, available for incoming and outbound calls.",
            }
            MakeWorkReady => {
                api: make_work_ready, wire: "MakeWorkReady", target: Agent,
                replies: ["State"],
                method: Request,
                summary: "Set WORK_READY",
                doc: "Sets the agent WORK_READY (wrap-up; READY when the wrap-up timer expires).",
            }
            MakeWorkNotReady => {
                api: make_work_not_ready, wire: "MakeWorkNotReady", target: Agent,
                replies: ["State"],
                method: Request,
                summary: "Set WORK (the guide's `MakeReady#` type is a slip)",
                doc: "Sets the agent WORK (wrap-up; NOT_READY when the wrap-up timer expires).",
            }
            MakeCall { number: Text } => {
                api: make_call, wire: "MakeCall", target: Agent,
                replies: ["InboundCall", "DialogState"],
                method: Request,
                summary: "Dial a number or extension",
                doc: "Dials a number or extension; Finesse creates a new dialog for the agent.",
            }
            AnswerCall { dialog_id: Text } => {
                api: answer_call, wire: "AnswerCall", target: Agent,
                replies: ["InboundCall"],
                method: Request,
                aliases: [answer],
                summary: "Answer a ringing dialog",
                doc: "Answers the ringing dialog `dialog_id` (from the NewInboundCall event).",
            }
            ReleaseCall { dialog_id: Text } => {
                api: release_call, wire: "ReleaseCall", target: Agent,
                replies: ["InboundCall"],
                method: Request,
                aliases: [release],
                summary: "Drop a dialog",
                doc: "Drops the dialog `dialog_id`.",
            }
            HoldCall { dialog_id: Text } => {
                api: hold_call, wire: "HoldCall", target: Agent,
                replies: ["InboundCall"],
                method: Request,
                aliases: [hold],
                summary: "Put a dialog on hold (UCCE)",
                doc: "Puts the dialog `dialog_id` on hold (UCCE only: UCCX sends no hold event).",
            }
            RetrieveCall { dialog_id: Text } => {
                api: retrieve_call, wire: "RetrieveCall", target: Agent,
                replies: ["InboundCall"],
                method: Request,
                aliases: [retrieve],
                summary: "Retrieve a held dialog",
                doc: "Takes the held dialog `dialog_id` off hold.",
            }
            SingleStepTransfer { extension: Text, dialog_id: Text } => {
                api: single_step_transfer, wire: "Transfer_sst", target: Agent,
                replies: ["InboundCall"],
                method: Request,
                summary: "Blind transfer",
                doc: "Transfers the dialog `dialog_id` to `extension` blindly, without waiting for the other party to answer.",
            }
            ConsultCall { extension: Text, dialog_id: Text } => {
                api: consult_call, wire: "ConsultCall", target: Agent,
                replies: ["ConsultCall"],
                method: Request,
                aliases: [consult],
                summary: "Start a consult call",
                doc: "Starts a consult call with `extension` about the dialog `dialog_id`; then transfer or conference.",
            }
            TransferCall { extension: Text, dialog_id: Text } => {
                api: transfer_call, wire: "TransferCall", target: Agent,
                replies: ["InboundCall"],
                method: Request,
                aliases: [transfer],
                summary: "Complete a consult transfer",
                doc: "Completes a consult transfer: the customer's dialog `dialog_id` goes to `extension` and the consult call drops.",
            }
            ConferenceCall { extension: Text, dialog_id: Text } => {
                api: conference_call, wire: "Conferencecall", target: Agent,
                replies: ["InboundCall"],
                method: Request,
                aliases: [conference],
                summary: "Conference the consulted party",
                doc: "Joins the customer of the dialog `dialog_id` and the consulted party `extension` in a conference.",
            }
            GetDialogState { dialog_id: Text } => {
                api: get_dialog_state, wire: "GetDialogState", target: Agent,
                replies: ["DialogState"],
                method: Request,
                summary: "State of one dialog",
                doc: "Asks GC for the current state of the dialog `dialog_id`.",
            }
            GetLogoutReasonCodes => {
                api: get_logout_reason_codes, wire: "reasoncodelogout", target: Agent,
                replies: ["ReasonCodes"],
                method: Request,
                summary: "Logout reason codes",
                doc: "Lists the logout reason codes defined in Finesse.",
            }
            GetNotReadyReasonCodes => {
                api: get_not_ready_reason_codes, wire: "reasoncodenotready", target: Agent,
                replies: ["ReasonCodes"],
                method: Request,
                summary: "Not-ready reason codes",
                doc: "Lists the not-ready reason codes defined in Finesse.",
            }
            GetWrapUpReasons => {
                api: get_wrap_up_reasons, wire: "wrapupreasoncode", target: Agent,
                replies: ["ReasonCodes"],
                method: Request,
                summary: "Wrap-up reasons",
                doc: "Lists the wrap-up reasons an agent can apply to a call.",
            }
            Wrapup { reason: Text, dialog_id: Text } => {
                api: wrap_up, wire: "wrapup", target: Agent,
                replies: ["DialogState"],
                method: Request,
                summary: "Set the wrap-up reason of a dialog",
                doc: "Sets the wrap-up reason of the dialog `dialog_id`.",
            }
            UpdateCallVariables { dialog_id: Text, variables: Vars } => {
                api: update_call_variables, wire: "update_call_variable", target: Agent,
                replies: ["InboundCall"],
                method: Request,
                summary: "Set call variables (`name=value|name=value`)",
                doc: "Sets or changes call variables (named or ECC variables) on the dialog `dialog_id`, in order.",
            }
            GetAllAgents => {
                api: get_all_agents, wire: "getallagents", target: Agent,
                replies: ["AgentsList"],
                method: Request,
                summary: "All logged-in users (admin); the guide's `##` is a slip",
                doc: "Lists all logged-in users (an admin command).",
            }
            GetPhonebooks => {
                api: get_phonebooks, wire: "getphonebooks", target: Agent,
                replies: ["Phonebooks"],
                method: Request,
                summary: "Team and global phonebooks (wire name provisional)",
                doc: "Lists the agent's team and global phonebooks.",
            }
            GetPhonebookContacts { phonebook_id: Text } => {
                api: get_phonebook_contacts, wire: "getphonebookcontacts", target: Agent,
                replies: ["PhonebookContacts"],
                method: Request,
                summary: "Contacts of a phonebook (wire name provisional)",
                doc: "Lists the contacts of the phonebook `phonebook_id`.",
            }
            GetTeamPhonebook => {
                api: get_team_phonebook, wire: "getteamphonebook", target: Agent,
                replies: ["TeamPhoneBooks"],
                method: Request,
                summary: "Team phonebook (wire name provisional)",
                doc: "Gets the phonebook of the agent's team.",
            }
            GetQueueList => {
                api: get_queue_list, wire: "getqueuelist", target: Agent,
                replies: ["QueueList"],
                method: Request,
                summary: "Queue statistics",
                doc: "Lists the queues with their statistics.",
            }
            SilentMonitor { extension: Text } => {
                api: silent_monitor, wire: "silentmonitor", target: Agent,
                replies: ["InboundCall"],
                method: Request,
                summary: "Silently monitor a team member (supervisor)",
                doc: "Starts silently monitoring the team member at `extension` (a supervisor command).",
            }
            EndSilentMonitor { dialog_id: Text } => {
                api: end_silent_monitor, wire: "endsilentmonitor", target: Agent,
                replies: ["InboundCall"],
                method: Request,
                summary: "End silent monitoring (wire name provisional)",
                doc: "Ends silent monitoring of the dialog `dialog_id` (a supervisor command).",
            }
            DropParticipant { extension: Text, dialog_id: Text } => {
                api: drop_participant, wire: "dropparticipant", target: Agent,
                replies: ["InboundCall"],
                method: Request,
                summary: "Drop a participant from a call (supervisor)",
                doc: "Drops the participant `extension` from the dialog `dialog_id` (a supervisor command).",
            }
            GetTeamUsers { team_id: Text, subscribe: Flag(false) } => {
                api: get_team_users, wire: "getteamusers", target: Agent,
                replies: ["TeamUsersList"],
                method: Request,
                summary: "Team members, optionally subscribing to their events (supervisor)",
                doc: "Lists the members of the team `team_id`, subscribing to their events when `subscribe` is true (a supervisor command).",
            }
            BargeIn { extension: Text, dialog_id: Text } => {
                api: barge_in, wire: "bargein", target: Agent,
                replies: ["InboundCall"],
                method: Request,
                summary: "Barge in on a call (supervisor; wire name provisional)",
                doc: "Barges in on the dialog `dialog_id` of the team member at `extension` (a supervisor command).",
            }
            GetTeamUsersState { team_agent_id: Text } => {
                api: get_team_users_state, wire: "getteamusersstate", target: Agent,
                replies: ["TeamUsersList"],
                method: Request,
                summary: "State of a team member (supervisor; wire name provisional)",
                doc: "Gets the state of the team member `team_agent_id` (a supervisor command).",
            }
            AcceptOutboundPreview { dialog_id: Text } => {
                api: accept_outbound_preview, wire: "AcceptOutboundPreview", target: Agent, suffix: "ACCEPT",
                replies: ["InboundCall"],
                method: Request,
                summary: "Accept an outbound preview call or personal callback",
                doc: "Accepts the outbound preview call (or personal callback) `dialog_id`.",
            }
            RejectOutboundPreview { dialog_id: Text } => {
                api: reject_outbound_preview, wire: "RejectOutboundPreview", target: Agent, suffix: "REJECT",
                replies: ["InboundCall"],
                method: Request,
                summary: "Reject an outbound preview call or personal callback",
                doc: "Rejects the outbound preview call (or personal callback) `dialog_id`.",
            }
            CloseOutboundPreview { dialog_id: Text } => {
                api: close_outbound_preview, wire: "CloseOutboundPreview", target: Agent, suffix: "CLOSE",
                replies: ["InboundCall"],
                method: Request,
                summary: "Close an outbound preview call",
                doc: "Closes the outbound preview call `dialog_id`.",
            }
            GetSkillGroups => {
                api: get_skill_groups, wire: "GETSKILLGROPU", target: Agent,
                replies: ["SkillGroups"],
                method: Request,
                summary: "Skill groups (UCCE); the wire typo is GC's",
                doc: "Lists the skill groups (UCCE only).",
            }
            GetSupervisors => {
                api: get_supervisors, wire: "GETSUPERVISOR", target: Agent,
                replies: ["Supervisors"],
                method: Request,
                summary: "Supervisors (UCCE)",
                doc: "Lists the supervisors (UCCE only).",
            }
            ScheduleCallback { target_media_address: Text, dialog_id: Text, callback_time: Text, callback_number: Text } => {
                api: schedule_callback, wire: "SHCEDULECALLBACK", target: Agent,
                replies: ["CallBack"],
                method: Request,
                summary: "Schedule a campaign callback; the wire typo is GC's",
                doc: "Schedules a campaign callback of the dialog `dialog_id` to `callback_number` at `callback_time`.",
            }
            UpdateCallback { target_media_address: Text, dialog_id: Text, callback_time: Text, callback_number: Text } => {
                api: update_callback, wire: "UPDATECALLBACK", target: Agent,
                replies: ["CallBack"],
                method: Request,
                summary: "Update a scheduled callback",
                doc: "Changes the time or number of a scheduled campaign callback of the dialog `dialog_id`.",
            }
            CancelCallback { target_media_address: Text, dialog_id: Text } => {
                api: cancel_callback, wire: "CANCELSHCEDULECALLBACK", target: Agent,
                replies: ["CallBack"],
                method: Request,
                summary: "Cancel a scheduled callback",
                doc: "Cancels the scheduled campaign callback of the dialog `dialog_id`.",
            }
            ReclassifyCall { target_media_address: Text, dialog_id: Text, value: Text } => {
                api: reclassify_call, wire: "RECLASSIFYCALL", target: Agent,
                replies: ["InboundCall"],
                method: Request,
                summary: "Reclassify a direct preview call",
                doc: "Reclassifies the direct preview call `dialog_id` (`value`, e.g. `VOICE`).",
            }
        }
    };
}

pub(crate) use command_table;
