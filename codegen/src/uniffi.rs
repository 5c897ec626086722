//! uniffi's `Agent` methods (Kotlin and Python see them), each calling the
//! core method of the same name on the library runtime.

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
    out
}

fn method(out: &mut String, name: &str, m: &Method, lines: &[String]) {
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push_str("    ///\n");
        }
        let _ = writeln!(out, "    /// {line}");
    }
    let defaults = defaults(m);
    if !defaults.is_empty() {
        let _ = writeln!(
            out,
            "    #[uniffi::method(default({}))]",
            defaults.join(", ")
        );
    }
    let mut sig = format!("    pub async fn {name}(&self");
    for p in params(m) {
        sig.push_str(", ");
        sig.push_str(&p);
    }
    sig.push_str(") -> Result<Event, GcError> {");
    let _ = writeln!(out, "{sig}");
    let _ = writeln!(out, "        let a = self.inner.clone();");
    let _ = writeln!(out, "        run(async move {{");
    let mut call = Vec::new();
    for a in &m.args {
        match a.ty {
            Ty::Text | Ty::Secret => call.push(format!("&{}", a.name)),
            Ty::Flag => call.push(a.name.to_owned()),
            Ty::Vars => {
                let _ = writeln!(
                    out,
                    "            let {0}: Vec<(&str, &str)> = {0}.iter().map(|kv| (kv.key.as_str(), kv.value.as_str())).collect();",
                    a.name
                );
                call.push(format!("&{}", a.name));
            }
        }
    }
    if let Some((name, _)) = m.folds {
        call.push(format!("{name}.as_deref()"));
    }
    let _ = writeln!(
        out,
        "            a.{}({}).await.map(Event::from)",
        m.name,
        call.join(", ")
    );
    let _ = writeln!(out, "        }})");
    let _ = writeln!(out, "        .await");
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
         use crate::runtime::run;\n\
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
    }
    out.push_str("}\n");
    out
}
