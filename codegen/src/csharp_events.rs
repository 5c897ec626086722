//! C#: one typed class per GC event kind (`GcEvent` subclasses reading the
//! event's JSON form), and `GcEvent.Create`, which picks the class of a kind.
//!
//! A class's properties are the fields of its kind's JSON form, found by
//! serialising the kind's samples from the guide (`EVENT_FORMS`): text,
//! flags, numbers and lists of text become typed properties; nested records
//! stay reachable with `GcEvent.Get("dialog.dialog_id")`. What needs more
//! than reading a field (enums, times, fallbacks) is written by hand in the
//! other part of the partial class (`bindings/dotnet/src/Events/`), and the
//! generator leaves those fields to it ([`HAND_WRITTEN`]).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use gcclient::protocol::event_kinds::{EventKindSpec, EVENT_KINDS};
use gcclient::protocol::tables::EVENT_FORMS;
use gcclient::protocol::Event;
use serde_json::Value;

use crate::names::pascal;
use crate::NOTICE;

/// Kinds whose C# class is not `<Kind>Event`: the names C# users already
/// have (and one class for both kinds of new call).
const CLASS_NAMES: &[(&str, &str)] = &[
    ("inbound_call", "CallEvent"),
    ("inbound_call_failed", "CallFailedEvent"),
    ("new_inbound_call", "NewCallEvent"),
    ("new_outbound_preview_call", "NewCallEvent"),
    ("print_status_bar", "StatusBarEvent"),
    // `ReLoginEvent` would differ from the notification `ReloginEvent`
    // only in case (CLS).
    ("re_login", "ReLoginRequestedEvent"),
    // The client's own notifications: classes written by hand.
    ("status", "StatusEvent"),
    ("relogin", "ReloginEvent"),
    ("lagged", "LaggedEvent"),
    ("clock_skew", "ClockSkewEvent"),
];

/// Kinds whose class derives from the hand-written `CallUpdateEvent`
/// (`State`, `StateName`, `DialogId`), which `GcAgent.CallChanged` raises.
pub(crate) const CALL_UPDATES: &[&str] = &["inbound_call", "dialog_state", "consult_call"];

/// Fields the hand-written part of a class reads itself: (kind, field).
const HAND_WRITTEN: &[(&str, &str)] = &[
    ("system", "status"),
    ("agent_state", "state"),
    ("agent_state", "pending_state"),
    ("agent_state", "state_change_time"),
    ("inbound_call", "state"),
    ("inbound_call", "dialog_id"),
    ("inbound_call", "start_time"),
    ("dialog_state", "state"),
    ("dialog_state", "dialog_id"),
    ("consult_call", "state"),
    ("new_inbound_call", "start_time"),
    ("new_outbound_preview_call", "start_time"),
];

/// The C# class of a kind; `GcEvent` for the client's notifications that
/// have none.
pub fn class_of(k: &EventKindSpec) -> String {
    if let Some((_, class)) = CLASS_NAMES.iter().find(|(kind, _)| *kind == k.name) {
        return (*class).to_owned();
    }
    if k.from_gc {
        format!("{}Event", pascal(k.name))
    } else {
        "GcEvent".to_owned()
    }
}

#[derive(Clone, Copy, PartialEq)]
enum FieldType {
    Text,
    Flag,
    Number,
    TextList,
}

/// The fields of a kind's JSON form with their types, from every sample of
/// the kind: a field that is null in all of them reads as text, and one
/// that is an empty list in all of them as a list of text. Nested records
/// (and lists of them) are left out.
fn fields(kind: &str) -> BTreeMap<String, FieldType> {
    let mut seen: BTreeMap<String, Option<FieldType>> = BTreeMap::new();
    let mut lists = BTreeSet::new();
    let mut nested = BTreeSet::new();
    for form in EVENT_FORMS.iter().filter(|f| f.parsed_as == kind) {
        let json = serde_json::to_value(Event::parse(form.sample)).unwrap_or(Value::Null);
        let Value::Object(map) = json else { continue };
        for (name, value) in map {
            if matches!(name.as_str(), "agent" | "type" | "raw") {
                continue;
            }
            let ty = match &value {
                Value::String(_) => Some(FieldType::Text),
                Value::Bool(_) => Some(FieldType::Flag),
                Value::Number(_) => Some(FieldType::Number),
                Value::Array(items) if items.iter().all(Value::is_string) => {
                    lists.insert(name.clone());
                    (!items.is_empty()).then_some(FieldType::TextList)
                }
                Value::Null => None,
                _ => {
                    nested.insert(name.clone());
                    None
                }
            };
            let slot = seen.entry(name).or_insert(None);
            if slot.is_none() {
                *slot = ty;
            }
        }
    }
    seen.into_iter()
        .filter(|(name, _)| !nested.contains(name))
        .map(|(name, ty)| {
            let fallback = if lists.contains(&name) {
                FieldType::TextList
            } else {
                FieldType::Text
            };
            (name.clone(), ty.unwrap_or(fallback))
        })
        .collect()
}

fn property(out: &mut String, field: &str, ty: FieldType) {
    let name = pascal(field);
    let (cs, read) = match ty {
        FieldType::Text => ("string", format!("GetString(\"{field}\")")),
        FieldType::Flag => ("bool", format!("GetString(\"{field}\") == \"true\"")),
        FieldType::Number => (
            "long?",
            format!(
                "Get(\"{field}\") == null ? (long?)null : Convert.ToInt64(Get(\"{field}\"), CultureInfo.InvariantCulture)"
            ),
        ),
        FieldType::TextList => ("IReadOnlyList<string>", format!("GetStrings(\"{field}\")")),
    };
    let _ = writeln!(
        out,
        "        /// <summary>The event's <c>{field}</c>.</summary>\n        public {cs} {name} {{ get {{ return {read}; }} }}"
    );
}

pub fn events() -> String {
    let mut out = format!(
        "// <auto-generated>\n// {NOTICE}\n// </auto-generated>\n\
         using System;\nusing System.Collections.Generic;\nusing System.Globalization;\n\n\
         namespace GenericConnector\n{{\n\
         \x20   public partial class GcEvent\n    {{\n\
         \x20       /// <summary>The typed class for a kind.</summary>\n\
         \x20       internal static GcEvent Create(GcEventKind kind, string json)\n        {{\n\
         \x20           switch (kind)\n            {{\n"
    );
    for k in EVENT_KINDS {
        let class = class_of(k);
        if class != "GcEvent" {
            let _ = writeln!(
                out,
                "                case GcEventKind.{}: return new {class}(kind, json);",
                crate::csharp::kind_name(k)
            );
        }
    }
    out.push_str(
        "                default: return new GcEvent(kind, json);\n            }\n        }\n    }\n",
    );
    let mut written: Vec<String> = Vec::new();
    for k in EVENT_KINDS.iter().filter(|k| k.from_gc) {
        let class = class_of(k);
        if written.contains(&class) {
            continue;
        }
        written.push(class.clone());
        let kinds: Vec<&EventKindSpec> = EVENT_KINDS
            .iter()
            .filter(|other| other.from_gc && class_of(other) == class)
            .collect();
        let base = if CALL_UPDATES.contains(&k.name) {
            "CallUpdateEvent"
        } else {
            "GcEvent"
        };
        let docs: Vec<String> = kinds
            .iter()
            .map(|k| format!("<c>{}</c>: {}", k.name, crate::csharp::xml(k.doc)))
            .collect();
        let _ = write!(
            out,
            "\n    /// <summary>{}</summary>\n    public sealed partial class {class} : {base}\n    {{\n\
             \x20       internal {class}(GcEventKind kind, string json) : base(kind, json) {{ }}\n",
            docs.join(" "),
        );
        let mut all: BTreeMap<String, FieldType> = BTreeMap::new();
        for k in &kinds {
            for (name, ty) in fields(k.name) {
                if !HAND_WRITTEN.contains(&(k.name, name.as_str())) {
                    all.entry(name).or_insert(ty);
                }
            }
        }
        for (name, ty) in all {
            property(&mut out, &name, ty);
        }
        out.push_str("    }\n");
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_hand_written_field_exists_in_its_kind() {
        for (kind, field) in HAND_WRITTEN {
            assert!(
                fields(kind).contains_key(*field),
                "HAND_WRITTEN names `{kind}.{field}`, which its samples do not have"
            );
        }
    }

    #[test]
    fn every_renamed_kind_exists() {
        for (kind, _) in CLASS_NAMES {
            assert!(EVENT_KINDS.iter().any(|k| k.name == *kind), "{kind}");
        }
        for kind in CALL_UPDATES {
            assert!(EVENT_KINDS.iter().any(|k| k.name == *kind), "{kind}");
        }
    }
}
