//! Python: the command methods of `gcclient.Agent` (asyncio) and
//! `gcclient.sync.Agent`, as two mixins in `gcclient/_commands.py`.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::model::{Method, Ty};
use crate::names::pascal;
use crate::NOTICE;

fn rst(s: &str) -> String {
    s.replace('`', "``")
}

fn returns(m: &Method) -> String {
    m.reply
        .map(|k| format!("{}Event", pascal(k.name)))
        .unwrap_or_else(|| "Event".to_owned())
}

fn params(m: &Method) -> Vec<String> {
    let mut out: Vec<String> = m
        .args
        .iter()
        .map(|a| match (a.ty, a.default) {
            (Ty::Text | Ty::Secret, _) => format!("{}: str", a.name),
            (Ty::Flag, Some(d)) => {
                format!("{}: bool = {}", a.name, if d { "True" } else { "False" })
            }
            (Ty::Flag, None) => format!("{}: bool", a.name),
            (Ty::Vars, _) => format!("{}: CallVariables", a.name),
        })
        .collect();
    if let Some((name, _)) = m.folds {
        out.push(format!("{name}: Optional[str] = None"));
    }
    out
}

fn names(m: &Method) -> Vec<String> {
    m.args
        .iter()
        .map(|a| a.name.to_owned())
        .chain(m.folds.map(|(n, _)| n.to_owned()))
        .collect()
}

fn def(out: &mut String, is_async: bool, name: &str, m: &Method) {
    let mut sig = vec!["self".to_owned()];
    sig.extend(params(m));
    let _ = writeln!(
        out,
        "    {}def {name}({}) -> {}:",
        if is_async { "async " } else { "" },
        sig.join(", "),
        returns(m)
    );
}

fn docstring(out: &mut String, m: &Method) {
    let _ = writeln!(
        out,
        "        \"\"\"{}\n\n        {}\n        \"\"\"",
        rst(&m.doc()),
        rst(&m.wire_note())
    );
}

pub fn commands(methods: &[Method]) -> String {
    let replies: BTreeSet<String> = methods
        .iter()
        .filter(|m| m.reply.is_some())
        .map(returns)
        .collect();
    let mut out = format!(
        "# {NOTICE}\n\
         \"\"\"The command methods of :class:`gcclient.Agent` (asyncio) and\n\
         :class:`gcclient.sync.Agent`, one per command of the table, each named\n\
         as in every other language.\"\"\"\n\n\
         from __future__ import annotations\n\n\
         import warnings\n\
         from typing import Any, Awaitable, List, Mapping, Optional, Sequence, Tuple, TypeVar, Union\n\n\
         from . import _native\n\
         from ._errors import call\n\
         from ._native import Event\n\
         from ._replies import ({})\n\n\
         T = TypeVar(\"T\")\n\n\
         CallVariables = Union[Mapping[str, str], Sequence[Tuple[str, str]]]\n\n\n\
         def _pairs(variables: CallVariables) -> List[_native.KeyValue]:\n\
         \x20   items = variables.items() if isinstance(variables, Mapping) else variables\n\
         \x20   return [_native.KeyValue(key=k, value=v) for k, v in items]\n\n\n\
         def _renamed(old: str, new: str) -> None:\n\
         \x20   warnings.warn(f\"{{old}}() is deprecated: use {{new}}()\", DeprecationWarning, stacklevel=3)\n\n\n\
         class AgentCommands:\n\
         \x20   \"\"\"Each method sends one command and returns GC's reply event; GC's\n\
         \x20   refusals raise :class:`GcRefusedError`.\"\"\"\n\n\
         \x20   _a: _native.Agent\n",
        replies.into_iter().collect::<Vec<_>>().join(", ")
    );
    for m in methods {
        out.push('\n');
        def(&mut out, true, m.name, m);
        docstring(&mut out, m);
        let args: Vec<String> = m
            .args
            .iter()
            .map(|a| match a.ty {
                Ty::Vars => format!("_pairs({})", a.name),
                _ => a.name.to_owned(),
            })
            .chain(m.folds.map(|(n, _)| n.to_owned()))
            .collect();
        let _ = writeln!(
            out,
            "        return await call(self._a.{}({}))",
            m.name,
            args.join(", ")
        );
        for alias in m.spec.aliases {
            out.push('\n');
            def(&mut out, true, alias, m);
            let _ = writeln!(
                out,
                "        \"\"\"Deprecated: the old name of :meth:`{}`.\"\"\"",
                m.name
            );
            let _ = writeln!(out, "        _renamed(\"{alias}\", \"{}\")", m.name);
            let _ = writeln!(
                out,
                "        return await self.{}({})",
                m.name,
                names(m).join(", ")
            );
        }
    }
    out.push_str(
        "\n\nclass SyncAgentCommands:\n\
         \x20   \"\"\"The blocking twins of :class:`AgentCommands`: same names, same errors.\"\"\"\n\n\
         \x20   _a: Any\n\n\
         \x20   def _run(self, coro: Awaitable[T]) -> T:\n\
         \x20       raise NotImplementedError\n",
    );
    for m in methods {
        out.push('\n');
        def(&mut out, false, m.name, m);
        docstring(&mut out, m);
        let _ = writeln!(
            out,
            "        return self._run(self._a.{}({}))",
            m.name,
            names(m).join(", ")
        );
        for alias in m.spec.aliases {
            out.push('\n');
            def(&mut out, false, alias, m);
            let _ = writeln!(
                out,
                "        \"\"\"Deprecated: the old name of :meth:`{}`.\"\"\"",
                m.name
            );
            let _ = writeln!(out, "        _renamed(\"{alias}\", \"{}\")", m.name);
            let _ = writeln!(
                out,
                "        return self.{}({})",
                m.name,
                names(m).join(", ")
            );
        }
    }
    out
}
