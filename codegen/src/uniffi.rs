//! uniffi's `Agent` methods (Kotlin and Python see them), each calling the
//! core method of the same name on the library runtime: one `async` method
//! per command (and per deprecated alias), and a `<name>_blocking` twin of
//! each command for the blocking APIs (Python's `gcclient.sync`, Java's
//! `AgentSync`), which waits on the calling thread with no executor hop.
//! Every one takes `timeout_ms`, the reply deadline of that call; 0 (the
//! default) is the config's `request_timeout_ms`. A plain integer, not an
//! `Option`: an optional argument crosses as a heap buffer, which costs
//! Python and the JVM an allocation and an FFI call per command.

use std::fmt::Write as _;

use crate::model::{Method, Ty};
use crate::NOTICE;

fn params(m: &Method) -> Vec<String> {
    let mut out: Vec<String> = m
        .args
        .iter()
        .map(|a| match a.ty {
            Ty::Text | Ty::Secret => format!("{}: String", a.name),
            Ty::Flag => format!("{}: bool", a.name),
            Ty::Vars => format!("{}: Vec<KeyValue>", a.name),
        })
        .collect();
    if let Some((name, _)) = m.folds {
        out.push(format!("{name}: Option<String>"));
    }
    out.push("timeout_ms: u64".to_owned());
    out
}

fn defaults(m: &Method) -> Vec<String> {
    let mut out: Vec<String> = m
        .args
        .iter()
        .filter_map(|a| a.default.map(|d| format!("{} = {d}", a.name)))
        .collect();
    if let Some((name, _)) = m.folds {
        out.push(format!("{name} = None"));
    }
    out.push("timeout_ms = 0".to_owned());
    out
}

/// The core call's arguments; `Vars` become pairs in `prelude`, indented by `indent`.
fn call_args(m: &Method, prelude: &mut String, indent: &str) -> String {
    let mut call = Vec::new();
    for a in &m.args {
        match a.ty {
            Ty::Text | Ty::Secret => call.push(format!("&{}", a.name)),
            Ty::Flag => call.push(a.name.to_owned()),
            Ty::Vars => {
                let _ = writeln!(
                    prelude,
                    "{indent}let {0}: Vec<(&str, &str)> = {0}.iter().map(|kv| (kv.key.as_str(), kv.value.as_str())).collect();",
                    a.name
                );
                call.push(format!("&{}", a.name));
            }
        }
    }
    if let Some((name, _)) = m.folds {
        call.push(format!("{name}.as_deref()"));
    }
    call.join(", ")
}

fn signature(out: &mut String, name: &str, m: &Method, lines: &[String], blocking: bool) {
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push_str("    ///\n");
        }
        let _ = writeln!(out, "    /// {line}");
    }
    let _ = writeln!(
        out,
        "    #[uniffi::method(default({}))]",
        defaults(m).join(", ")
    );
    let mut sig = format!(
        "    pub {}fn {name}(&self",
        if blocking { "" } else { "async " }
    );
    for p in params(m) {
        sig.push_str(", ");
        sig.push_str(&p);
    }
    sig.push_str(") -> Result<Event, GcError> {");
    let _ = writeln!(out, "{sig}");
}

fn method(out: &mut String, name: &str, m: &Method, lines: &[String]) {
    signature(out, name, m, lines, false);
    let _ = writeln!(out, "        let a = self.with(timeout_ms);");
    let _ = writeln!(out, "        run(async move {{");
    let args = call_args(m, out, "            ");
    let _ = writeln!(out, "            a.{}({args}).await", m.name);
    let _ = writeln!(out, "        }})");
    let _ = writeln!(out, "        .await");
    let _ = writeln!(out, "    }}");
}

fn blocking(out: &mut String, m: &Method) {
    signature(
        out,
        &format!("{}_blocking", m.name),
        m,
        &[format!(
            "`{}`, blocking the calling thread until the reply, the deadline or an interrupt.",
            m.name
        )],
        true,
    );
    let args = call_args(m, out, "        ");
    let _ = writeln!(
        out,
        "        block(async {{ self.with(timeout_ms).{}({args}).await }})",
        m.name
    );
    let _ = writeln!(out, "    }}");
}

pub fn commands(methods: &[Method]) -> String {
    let mut out = format!(
        "// {NOTICE}\n\
         //! One `Agent` method per command of the table; methods for commands GC\n\
         //! answers return the reply event or fail with `GcError::Gc`.\n\
         #![allow(deprecated)]\n\n\
         use super::Agent;\n\
         use crate::error::GcError;\n\
         use crate::events::Event;\n\
         use crate::runtime::{{block, run}};\n\
         #[allow(unused_imports)]\n\
         use crate::types::KeyValue;\n\n\
         #[uniffi::export]\n\
         impl Agent {{\n"
    );
    let mut first = true;
    for m in methods {
        if !first {
            out.push('\n');
        }
        first = false;
        method(&mut out, m.name, m, &[m.doc(), m.wire_note()]);
        for alias in m.spec.aliases {
            out.push('\n');
            method(
                &mut out,
                alias,
                m,
                &[format!("Deprecated: the old name of `{}`.", m.name)],
            );
        }
        out.push('\n');
        blocking(&mut out, m);
    }
    out.push_str("}\n");
    out
}
