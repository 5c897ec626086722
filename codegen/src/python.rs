//! Python: the command methods of `gcclient.Agent` (asyncio) and
//! `gcclient.sync.Agent`, as two mixins in `gcclient/_commands.py`.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use gcclient::protocol::event_kinds::{kind_of_wire_type, EventKindSpec};

use crate::model::{Method, Ty};
use crate::names::pascal;
use crate::NOTICE;

fn rst(s: &str) -> String {
    s.replace('`', "``")
}

/// The event kinds a command's reply can be (the session completes a
/// request with any of the reply types the guide names; errors raise).
fn reply_kinds(m: &Method) -> Vec<&'static EventKindSpec> {
    if let Some(one) = m.reply {
        return vec![one];
    }
    let mut kinds: Vec<&'static EventKindSpec> = Vec::new();
    for k in m.spec.replies.iter().filter_map(|r| kind_of_wire_type(r)) {
        if !kinds.iter().any(|seen| seen.name == k.name) {
            kinds.push(k);
        }
    }
    kinds
}

fn classes(m: &Method) -> Vec<String> {
    reply_kinds(m)
        .iter()
        .map(|k| format!("{}Event", pascal(k.name)))
        .collect()
}

/// The reply classes for the docstring.
fn shown_replies(m: &Method) -> String {
    let shown: Vec<String> = classes(m).iter().map(|c| format!(":class:`{c}`")).collect();
    if shown.is_empty() {
        "an :class:`Event`".to_owned()
    } else {
        shown.join(" or ")
    }
}

fn returns(m: &Method) -> String {
    match classes(m).as_slice() {
        [] => "Event".to_owned(),
        [one] => one.clone(),
        many => format!("Union[{}]", many.join(", ")),
    }
}

/// The class (or classes) `_request` checks the reply against (`None`: any event).
fn expected(m: &Method) -> String {
    match classes(m).as_slice() {
        [] => "None".to_owned(),
        [one] => one.clone(),
        many => format!("({})", many.join(", ")),
    }
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
            (Ty::Vars, _) => format!("{}: CallVariablesArg", a.name),
        })
        .collect();
    if let Some((name, _)) = m.folds {
        out.push(format!("{name}: Optional[str] = None"));
    }
    out.push("*".to_owned());
    out.push("timeout: Optional[float] = None".to_owned());
    out
}

fn names(m: &Method) -> Vec<String> {
    m.args
        .iter()
        .map(|a| a.name.to_owned())
        .chain(m.folds.map(|(n, _)| n.to_owned()))
        .chain(std::iter::once("timeout=timeout".to_owned()))
        .collect()
}

/// The native method's arguments, the reply deadline last.
fn native_args(m: &Method) -> Vec<String> {
    m.args
        .iter()
        .map(|a| match a.ty {
            Ty::Vars => format!("_pairs({})", a.name),
            _ => a.name.to_owned(),
        })
        .chain(m.folds.map(|(n, _)| n.to_owned()))
        .chain(std::iter::once("_timeout_ms(timeout)".to_owned()))
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
        "        \"\"\"{}\n\n        {}\n\n        \
         Returns the reply: {}. Raises :class:`GcRefusedError` when GC\n        \
         answers with an error, :class:`RequestTimeoutError` when no reply came\n        \
         within ``timeout`` seconds (default: the config's ``request_timeout_ms``),\n        \
         :class:`NotInServiceError` when GC is not in service (nothing sent).\n        \"\"\"",
        rst(&m.doc()),
        rst(&m.wire_note()),
        shown_replies(m)
    );
}

/// One command method (async or blocking) returning `call`, and its
/// deprecated aliases.
fn method(out: &mut String, is_async: bool, m: &Method, call: &str) {
    out.push('\n');
    def(out, is_async, m.name, m);
    docstring(out, m);
    if classes(m).len() > 1 {
        let _ = writeln!(out, "        return cast(\"{}\", {call})", returns(m));
    } else {
        let _ = writeln!(out, "        return {call}");
    }
    let awaited = if is_async { "await " } else { "" };
    for alias in m.spec.aliases {
        out.push('\n');
        def(out, is_async, alias, m);
        let _ = writeln!(
            out,
            "        \"\"\"Deprecated: the old name of :meth:`{}`.\"\"\"",
            m.name
        );
        let _ = writeln!(out, "        _renamed(\"{alias}\", \"{}\")", m.name);
        let _ = writeln!(
            out,
            "        return {awaited}self.{}({})",
            m.name,
            names(m).join(", ")
        );
    }
}

pub fn commands(methods: &[Method]) -> String {
    let replies: BTreeSet<String> = methods.iter().flat_map(classes).collect();
    let mut out = format!(
        "# {NOTICE}\n\
         \"\"\"The command methods of :class:`gcclient.Agent` (asyncio) and\n\
         :class:`gcclient.sync.Agent`, one per command of the table, each named\n\
         as in every other language.\"\"\"\n\n\
         from __future__ import annotations\n\n\
         import warnings\n\
         from typing import (Any, Awaitable, Callable, List, Mapping, Optional, Sequence, Tuple, Type,\n\
         \x20                   TypeVar, Union, cast, overload)\n\n\
         from . import _native\n\
         from ._events import Event\n\
         from ._replies import ({})\n\n\
         T = TypeVar(\"T\")\n\
         E = TypeVar(\"E\", bound=Event)\n\n\
         #: Call variables to set: a mapping or ``(name, value)`` pairs.\n\
         CallVariablesArg = Union[Mapping[str, str], Sequence[Tuple[str, str]]]\n\n\n\
         def _pairs(variables: CallVariablesArg) -> List[_native.KeyValue]:\n\
         \x20   items = variables.items() if isinstance(variables, Mapping) else variables\n\
         \x20   return [_native.KeyValue(key=k, value=v) for k, v in items]\n\n\n\
         def _renamed(old: str, new: str) -> None:\n\
         \x20   warnings.warn(f\"{{old}}() is deprecated: use {{new}}()\", DeprecationWarning, stacklevel=3)\n\n\n\
         def _timeout_ms(timeout: Optional[float]) -> int:\n\
         \x20   \"\"\"A call's ``timeout=`` (seconds) as the native reply deadline in ms; 0\n\
         \x20   (for None) is the config's ``request_timeout_ms``, so a zero deadline is 1 ms.\"\"\"\n\
         \x20   if timeout is None:\n\
         \x20       return 0\n\
         \x20   if not timeout >= 0:\n\
         \x20       raise ValueError(f\"timeout: must be >= 0 seconds (got {{timeout}})\")\n\
         \x20   return max(1, int(timeout * 1000))\n\n\n\
         class AgentCommands:\n\
         \x20   \"\"\"Each method sends one command and returns GC's reply event; GC's\n\
         \x20   refusals raise :class:`GcRefusedError`.\"\"\"\n\n\
         \x20   _a: _native.Agent\n\n\
         \x20   @overload\n\
         \x20   async def _request(self, command: str, native: Awaitable[Any],\n\
         \x20                      expected: Type[E]) -> E: ...\n\n\
         \x20   @overload\n\
         \x20   async def _request(self, command: str, native: Awaitable[Any],\n\
         \x20                      expected: None) -> Event: ...\n\n\
         \x20   @overload\n\
         \x20   async def _request(self, command: str, native: Awaitable[Any],\n\
         \x20                      expected: Tuple[type, ...]) -> Event: ...\n\n\
         \x20   async def _request(self, command: str, native: Awaitable[Any],\n\
         \x20                      expected: Union[None, Type[E], Tuple[type, ...]]) -> Any:\n\
         \x20       raise NotImplementedError\n",
        replies.into_iter().collect::<Vec<_>>().join(", ")
    );
    for m in methods {
        let call = format!(
            "await self._request(\"{}\", self._a.{}({}), {})",
            m.spec.api_name,
            m.name,
            native_args(m).join(", "),
            expected(m)
        );
        method(&mut out, true, m, &call);
    }
    out.push_str(
        "\n\nclass SyncAgentCommands:\n\
         \x20   \"\"\"The blocking twins of :class:`AgentCommands`: same names, same errors.\"\"\"\n\n\
         \x20   _n: _native.Agent\n\n\
         \x20   @overload\n\
         \x20   def _blocking(self, command: str, native: Callable[..., Any], expected: Type[E],\n\
         \x20                 *args: Any) -> E: ...\n\n\
         \x20   @overload\n\
         \x20   def _blocking(self, command: str, native: Callable[..., Any], expected: None,\n\
         \x20                 *args: Any) -> Event: ...\n\n\
         \x20   @overload\n\
         \x20   def _blocking(self, command: str, native: Callable[..., Any],\n\
         \x20                 expected: Tuple[type, ...], *args: Any) -> Event: ...\n\n\
         \x20   def _blocking(self, command: str, native: Callable[..., Any],\n\
         \x20                 expected: Union[None, Type[E], Tuple[type, ...]], *args: Any) -> Any:\n\
         \x20       raise NotImplementedError\n",
    );
    for m in methods {
        let mut args = vec![
            format!("\"{}\"", m.spec.api_name),
            format!("self._n.{}_blocking", m.name),
            expected(m),
        ];
        args.extend(native_args(m));
        method(
            &mut out,
            false,
            m,
            &format!("self._blocking({})", args.join(", ")),
        );
    }
    out
}
