//! Python: the typed event classes (`gcclient/_replies.py`), one per kind
//! of core's event table, so that `await agent.make_ready()` is an
//! `AgentStateEvent` whose `data` type-checks as `EventData.AGENT_STATE`.

use std::fmt::Write as _;

use gcclient::protocol::event_kinds::{kind_of_wire_type, EventKindSpec, EVENT_KINDS};
use gcclient::protocol::CommandKind;

use crate::names::{pascal, upper};
use crate::NOTICE;

/// GC's kinds (the client's own notifications are not events).
fn gc_kinds() -> impl Iterator<Item = &'static EventKindSpec> {
    EVENT_KINDS.iter().filter(|k| k.from_gc)
}

/// The class of a kind (`agent_state` -> `AgentStateEvent`); its data class
/// in `_events.py` is `<Variant>Data`, the variant being this same
/// CamelCase (a test in `names.rs` keeps the two spellings in step).
fn class(kind: &EventKindSpec) -> String {
    format!("{}Event", pascal(kind.name))
}

/// The event class of each wire type: each kind's wire type (the first row
/// of a shared type is the usual one), then the command table's reply types
/// without a row of their own, which core reads as titled `CallbackMessage`
/// events (`SkillGroups`, `Supervisors`).
pub(crate) fn by_wire_type() -> Vec<(&'static str, &'static EventKindSpec)> {
    let mut out: Vec<(&'static str, &'static EventKindSpec)> = Vec::new();
    let titled = gc_kinds()
        .find(|k| k.name == "callback_message")
        .expect("the event table has a callback_message row");
    let typed = gc_kinds().filter_map(|k| Some((k.wire_type?, kind_of_wire_type(k.wire_type?)?)));
    let untyped = CommandKind::ALL
        .iter()
        .flat_map(|c| c.spec().replies.iter().copied())
        .filter(|r| kind_of_wire_type(r).is_none())
        .map(|r| (r, titled));
    for (wire, kind) in typed.chain(untyped) {
        if !out.iter().any(|(w, _)| *w == wire) {
            out.push((wire, kind));
        }
    }
    out
}

fn rst(s: &str) -> String {
    s.replace("``", "`").replace('`', "``")
}

pub fn replies() -> String {
    let mut out = format!(
        "# {NOTICE}\n\
         \"\"\"Typed events: one narrow :class:`~gcclient.Event` subclass per kind,\n\
         so that ``reply = await agent.make_ready()`` is an :class:`AgentStateEvent`\n\
         and ``reply.data.info.state`` type-checks. Every event the library hands\n\
         out (replies, iterators, listeners) is an instance of its kind's class.\n\
         \"\"\"\n\n\
         from __future__ import annotations\n\n\
         import dataclasses\n\
         from typing import Callable, Dict, Optional, Type\n\n\
         from . import _events as e\n\
         from ._events import Event, EventData\n\
         from ._values import fast_constructor\n"
    );
    for k in gc_kinds() {
        let _ = write!(
            out,
            "\n\n@dataclasses.dataclass(frozen=True)\n\
             class {cls}(Event):\n\
             \x20   \"\"\"An event whose ``data`` is :class:`EventData.{up}`{wire}: {doc}\"\"\"\n\n\
             \x20   data: e.{variant}Data\n",
            cls = class(k),
            up = upper(k.name),
            wire = k
                .wire_type
                .map(|w| format!(" (``{w}``)"))
                .unwrap_or_default(),
            doc = rst(k.doc),
            variant = pascal(k.name),
        );
    }
    out.push_str(
        "\n\n#: The event class of each data variant.\nBY_DATA: Dict[type, Type[Event]] = {\n",
    );
    for k in gc_kinds() {
        let _ = writeln!(out, "    e.{}Data: {},", pascal(k.name), class(k));
    }
    out.push_str(
        "}\n\n#: The event class of GC's reply of each wire type (``State`` -> AgentStateEvent).\n\
         BY_WIRE_TYPE: Dict[str, Type[Event]] = {\n",
    );
    for (wire, k) in by_wire_type() {
        let _ = writeln!(out, "    \"{wire}\": {},", class(k));
    }
    out.push_str(
        "}\n\n\
         for _cls in BY_DATA.values():\n\
         \x20   _cls.__module__ = \"gcclient\"\n\n\
         _BUILD = {data: fast_constructor(cls) for data, cls in BY_DATA.items()}\n\
         _BUILD_EVENT = fast_constructor(Event)\n\n\n\
         def make_event(*, agent: Optional[str], kind: str, wire_type: str, data: EventData,\n\
         \x20              raw: str) -> Event:\n\
         \x20   \"\"\"What the generated reader calls as ``Event(...)``: the event as its\n\
         \x20   kind's class.\"\"\"\n\
         \x20   build: Callable[..., Event] = _BUILD.get(type(data), _BUILD_EVENT)\n\
         \x20   return build(agent, kind, wire_type, data, raw)\n\n\n\
         __all__ = [\n",
    );
    for k in gc_kinds() {
        let _ = writeln!(out, "    \"{}\",", class(k));
    }
    out.push_str("]\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_titled_replies_and_shared_types_map_to_their_usual_kind() {
        let map = by_wire_type();
        let of = |w: &str| map.iter().find(|(t, _)| *t == w).map(|(_, k)| k.name);
        assert_eq!(of("State"), Some("agent_state"));
        assert_eq!(of("InboundCall"), Some("inbound_call"));
        assert_eq!(of("CallBack"), Some("callback_scheduled"));
        assert_eq!(of("SkillGroups"), Some("callback_message"));
        assert_eq!(of("Supervisors"), Some("callback_message"));
    }
}
