//! C#: `GcAgent`'s command methods (a `partial class`), the P/Invoke
//! declarations they need, and `GcEventKind`.

use std::fmt::Write as _;

use gcclient::protocol::event_kinds::{kind_of_wire_type, EventKindSpec, EVENT_KINDS};
use gcclient::protocol::MethodShape;

use crate::model::{Method, Ty};
use crate::names::{camel, pascal, upper};
use crate::NOTICE;

/// The event class a typed reply is read as; `GcEvent` when C# has none.
fn event_class(kind: Option<&EventKindSpec>) -> String {
    kind.map(crate::csharp_events::class_of)
        .unwrap_or_else(|| "GcEvent".to_owned())
}

/// The class a command's reply is read as: its one reply type's class, or
/// `CallUpdateEvent` when every reply the guide lists is a call update
/// (MakeCall answers with InboundCall or DialogState), else `GcEvent`.
fn reply_class(m: &Method) -> String {
    if m.reply.is_some() {
        return event_class(m.reply);
    }
    let kinds: Vec<Option<&EventKindSpec>> = m
        .spec
        .replies
        .iter()
        .map(|r| kind_of_wire_type(r))
        .collect();
    let call_update = |k: &Option<&EventKindSpec>| {
        k.is_some_and(|k| crate::csharp_events::CALL_UPDATES.contains(&k.name))
    };
    if !kinds.is_empty() && kinds.iter().all(call_update) {
        "CallUpdateEvent".to_owned()
    } else {
        "GcEvent".to_owned()
    }
}

pub(crate) fn xml(s: &str) -> String {
    let escaped = s
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    // `code` spans of the table's docs become <c>code</c>.
    let mut out = String::new();
    for (i, part) in escaped.split('`').enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<c>{part}</c>");
        } else {
            out.push_str(part);
        }
    }
    out
}

fn params(m: &Method) -> Vec<String> {
    let mut out: Vec<String> = m
        .args
        .iter()
        .map(|a| {
            let name = camel(a.name);
            match (a.ty, a.default) {
                (Ty::Text | Ty::Secret, _) => format!("string {name}"),
                (Ty::Flag, Some(d)) => format!("bool {name} = {d}"),
                (Ty::Flag, None) => format!("bool {name}"),
                (Ty::Vars, _) => format!("IEnumerable<KeyValuePair<string, string>> {name}"),
            }
        })
        .collect();
    if let Some((name, _)) = m.folds {
        out.push(format!("string {} = null", camel(name)));
    }
    out.push("CancellationToken cancellationToken = default(CancellationToken)".to_owned());
    out
}

fn null_checks(out: &mut String, m: &Method) {
    for a in &m.args {
        if a.ty != Ty::Flag {
            let name = camel(a.name);
            let _ = writeln!(
                out,
                "            if ({name} == null) throw new ArgumentNullException(\"{name}\");"
            );
        }
    }
}

/// `CommandAsync(...)` for a command and the method's arguments.
fn command_call(name: &str, m: &Method, args: &str) -> String {
    let inner = format!("CommandAsync(\"{name}\", {args}, null, cancellationToken)");
    let class = reply_class(m);
    if class == "GcEvent" {
        inner
    } else {
        format!("Typed<{class}>({inner}, \"{name}\")")
    }
}

fn request_body(out: &mut String, m: &Method) {
    null_checks(out, m);
    if m.args.iter().any(|a| a.ty == Ty::Vars) {
        let _ = writeln!(out, "            var args = new List<string>();");
        for a in &m.args {
            let name = camel(a.name);
            match a.ty {
                Ty::Vars => {
                    let _ = writeln!(
                        out,
                        "            foreach (var kv in {name}) args.Add(kv.Key + \"=\" + kv.Value);"
                    );
                }
                Ty::Flag => {
                    let _ = writeln!(out, "            args.Add({name} ? \"true\" : \"false\");");
                }
                _ => {
                    let _ = writeln!(out, "            args.Add({name});");
                }
            }
        }
        let _ = writeln!(
            out,
            "            return {};",
            command_call(m.name, m, "args.ToArray()")
        );
        return;
    }
    let list: Vec<String> = m
        .args
        .iter()
        .map(|a| match a.ty {
            Ty::Flag => format!("{} ? \"true\" : \"false\"", camel(a.name)),
            _ => camel(a.name),
        })
        .collect();
    let array = if list.is_empty() {
        "new string[0]".to_owned()
    } else {
        format!("new[] {{ {} }}", list.join(", "))
    };
    match m.folds {
        Some((name, other)) => {
            let name = camel(name);
            let _ = writeln!(
                out,
                "            return {name} == null\n                ? {}\n                : {};",
                command_call(m.name, m, &array),
                command_call(other.api_name, m, &format!("new[] {{ {name} }}"))
            );
        }
        None => {
            let _ = writeln!(
                out,
                "            return {};",
                command_call(m.name, m, &array)
            );
        }
    }
}

pub fn commands(methods: &[Method]) -> String {
    let mut out = format!(
        "// <auto-generated>\n// {NOTICE}\n// </auto-generated>\n\
         using System;\n\
         using System.Collections.Generic;\n\
         using System.Threading;\n\
         using System.Threading.Tasks;\n\
         using GenericConnector.Native;\n\n\
         namespace GenericConnector\n{{\n\
         \x20   public sealed partial class GcAgent\n    {{\n"
    );
    let mut first = true;
    for m in methods {
        if !first {
            out.push('\n');
        }
        first = false;
        let class = reply_class(m);
        let name = format!("{}Async", pascal(m.name));
        let _ = writeln!(out, "        /// <summary>{}</summary>", xml(&m.doc()));
        let _ = writeln!(
            out,
            "        /// <remarks>{}</remarks>",
            xml(&m.wire_note())
        );
        let _ = writeln!(
            out,
            "        public Task<{class}> {name}({})\n        {{",
            params(m).join(", ")
        );
        // Session rows too: the C ABI's asynchronous entry point runs the
        // session's own method for them, and no thread waits for GC.
        request_body(&mut out, m);
        let _ = writeln!(out, "        }}");
        for alias in m.spec.aliases {
            let names: Vec<String> = m
                .args
                .iter()
                .map(|a| camel(a.name))
                .chain(m.folds.map(|(n, _)| camel(n)))
                .chain(std::iter::once("cancellationToken".to_owned()))
                .collect();
            let _ = writeln!(
                out,
                "\n        /// <summary>The old name of <see cref=\"{name}\"/>.</summary>\n        \
                 [Obsolete(\"Use {name}\")]\n        \
                 public Task<{class}> {}Async({})\n        {{\n            return {name}({});\n        }}",
                pascal(alias),
                params(m).join(", "),
                names.join(", ")
            );
        }
    }
    out.push_str("    }\n}\n");
    out
}

pub fn native(methods: &[Method]) -> String {
    let mut out = format!(
        "// <auto-generated>\n// {NOTICE}\n// </auto-generated>\n\
         using System.Runtime.InteropServices;\n\n\
         namespace GenericConnector.Native\n{{\n\
         \x20   internal static partial class NativeMethods\n    {{\n"
    );
    let mut first = true;
    for m in methods.iter().filter(|m| m.shape() == MethodShape::Session) {
        if !first {
            out.push('\n');
        }
        first = false;
        let mut params = vec!["AgentHandle agent".to_owned()];
        for a in &m.args {
            match a.ty {
                Ty::Text | Ty::Secret => params.push(format!("byte[] {}", camel(a.name))),
                Ty::Flag => params.push(format!(
                    "[MarshalAs(UnmanagedType.I1)] bool {}",
                    camel(a.name)
                )),
                Ty::Vars => unreachable!("checked in session_body"),
            }
        }
        params.push("out EventHandle reply".to_owned());
        let _ = writeln!(
            out,
            "        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]\n        \
             internal static extern GcErrorCode gc_agent_{}({});",
            m.name,
            params.join(", ")
        );
    }
    out.push_str("    }\n}\n");
    out
}

/// The C# name of an event kind (CLS-safe where the table says so).
pub fn kind_name(k: &EventKindSpec) -> String {
    k.cls_name
        .map(str::to_owned)
        .unwrap_or_else(|| pascal(k.name))
}

pub fn event_kinds() -> String {
    let mut out = format!(
        "// <auto-generated>\n// {NOTICE}\n// </auto-generated>\n\
         namespace GenericConnector\n{{\n\
         \x20   /// <summary>What a <see cref=\"GcEvent\"/> is: the native <c>gc_event_kind</c>, value for value.</summary>\n\
         \x20   public enum GcEventKind\n    {{\n"
    );
    for k in EVENT_KINDS {
        let _ = writeln!(
            out,
            "        /// <summary>{} (<c>GC_EVENT_{}</c>)</summary>\n        {} = {},",
            xml(k.doc),
            upper(k.name),
            kind_name(k),
            k.number
        );
    }
    out.push_str("    }\n}\n");
    out
}
