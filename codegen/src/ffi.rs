//! The C ABI: `gc_agent_<command>` entry points (the header follows via
//! cbindgen) and `gc_event_kind`.

use std::fmt::Write as _;

use gcclient::protocol::event_kinds::EVENT_KINDS;
use gcclient::protocol::MethodShape;

use crate::model::{Method, Ty};
use crate::names::upper;
use crate::NOTICE;

fn doc(out: &mut String, indent: &str, lines: &[String]) {
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            let _ = writeln!(out, "{indent}///");
        }
        let _ = writeln!(out, "{indent}/// {line}");
    }
}

/// The C parameters of a method, after `agent`.
fn c_params(m: &Method) -> Vec<String> {
    let mut out = Vec::new();
    for a in &m.args {
        match a.ty {
            Ty::Text | Ty::Secret => out.push(format!("{}: *const c_char", a.name)),
            Ty::Flag => out.push(format!("{}: bool", a.name)),
            Ty::Vars => {
                out.push(format!("{}: *const *const c_char", a.name));
                out.push(format!("n{}: usize", a.name));
            }
        }
    }
    if let Some((name, _)) = m.folds {
        out.push(format!("{name}: *const c_char"));
    }
    out
}

fn c_arg_names(m: &Method) -> Vec<String> {
    let mut out = Vec::new();
    for a in &m.args {
        out.push(a.name.to_owned());
        if a.ty == Ty::Vars {
            out.push(format!("n{}", a.name));
        }
    }
    if let Some((name, _)) = m.folds {
        out.push(name.to_owned());
    }
    out
}

fn signature(out: &mut String, name: &str, m: &Method) {
    let _ = writeln!(out, "#[no_mangle]");
    let _ = writeln!(out, "pub extern \"C\" fn gc_agent_{name}(");
    let _ = writeln!(out, "    agent: *mut gc_agent,");
    for p in c_params(m) {
        let _ = writeln!(out, "    {p},");
    }
    let _ = writeln!(out, "    reply: *mut *mut gc_event,");
    let _ = writeln!(out, ") -> gc_status {{");
}

pub fn commands(methods: &[Method]) -> String {
    let mut out = format!(
        "// {NOTICE}\n\
         //! `gc_agent_<command>`: one entry point per command of the table. Each\n\
         //! sets `*reply` (when `reply` is not NULL) to NULL first, then to the\n\
         //! reply event on success or to GC's `Error` event with `GC_ERR_GC`; free\n\
         //! it with `gc_event_free`.\n\n\
         use std::ffi::c_char;\n\n\
         use super::{{call_variables, gc_agent, request}};\n\
         use crate::entry::entry;\n\
         use crate::event::gc_event;\n\
         use crate::status::gc_status;\n\
         #[allow(unused_imports)]\n\
         use crate::text::{{arg, opt_arg}};\n"
    );
    for m in methods {
        let mut lines = vec![m.doc(), m.wire_note()];
        if m.shape() == MethodShape::Session {
            lines.push("Runs the session's own method: credentials are remembered or forgotten as by the typed Rust API.".to_owned());
        }
        out.push('\n');
        doc(&mut out, "", &lines);
        signature(&mut out, m.name, m);
        let _ = writeln!(out, "    entry(|| {{");
        let mut call_args = Vec::new();
        for a in &m.args {
            match a.ty {
                Ty::Text | Ty::Secret => {
                    let _ = writeln!(out, "        let {0} = arg({0}, \"{0}\")?;", a.name);
                    call_args.push(a.name.to_owned());
                }
                Ty::Flag => call_args.push(a.name.to_owned()),
                Ty::Vars => {
                    let _ = writeln!(
                        out,
                        "        let {0} = call_variables({0}, n{0}, \"{0}\")?;",
                        a.name
                    );
                    call_args.push(format!("&{}", a.name));
                }
            }
        }
        if let Some((name, _)) = m.folds {
            let _ = writeln!(out, "        let {name} = opt_arg({name}, \"{name}\")?;");
            call_args.push(name.to_owned());
        }
        let _ = writeln!(
            out,
            "        request(agent, reply, |a| a.call(|g| g.{}({})).map(Some))",
            m.name,
            call_args.join(", ")
        );
        let _ = writeln!(out, "    }})");
        let _ = writeln!(out, "}}");
        for alias in m.spec.aliases {
            out.push('\n');
            doc(
                &mut out,
                "",
                &[format!(
                    "Deprecated: the old name of `gc_agent_{}`.",
                    m.name
                )],
            );
            signature(&mut out, alias, m);
            let _ = writeln!(
                out,
                "    gc_agent_{}(agent, {}reply)",
                m.name,
                c_arg_names(m)
                    .iter()
                    .map(|a| format!("{a}, "))
                    .collect::<String>()
            );
            let _ = writeln!(out, "}}");
        }
    }
    out
}

pub fn event_kinds() -> String {
    let mut out = format!(
        "// {NOTICE}\n\
         //! `gc_event_kind`, from core's event-kind table.\n\n\
         /// What a `gc_event` is: one value per event of the guide, plus the\n\
         /// client's own notifications (`GC_EVENT_STATUS`, ...).\n\
         #[repr(C)]\n\
         #[derive(Debug, Clone, Copy, PartialEq, Eq)]\n\
         pub enum gc_event_kind {{\n"
    );
    for k in EVENT_KINDS {
        let _ = writeln!(out, "    /// {}", k.doc);
        let _ = writeln!(out, "    GC_EVENT_{} = {},", upper(k.name), k.number);
    }
    out.push_str("}\n\nimpl gc_event_kind {\n");
    out.push_str("    /// The kind of a kind name (`EventData::kind_name` or a notification's).\n");
    out.push_str("    pub(crate) fn from_name(name: &str) -> Option<gc_event_kind> {\n");
    out.push_str("        Some(match name {\n");
    for k in EVENT_KINDS {
        let _ = writeln!(
            out,
            "            \"{}\" => gc_event_kind::GC_EVENT_{},",
            k.name,
            upper(k.name)
        );
    }
    out.push_str("            _ => return None,\n        })\n    }\n}\n");
    out
}
