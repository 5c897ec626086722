//! Kotlin and Java: the command methods of `GcAgent` (suspending),
//! `AgentSync` (blocking) and `AgentAsync` (`CompletableFuture`), as three
//! abstract base classes in `bindings/kotlin/src/generated/kotlin`. The
//! suspending and future methods call the uniffi `Agent`'s async method of
//! the same name, the blocking ones its `<name>Blocking` twin (a plain JNA
//! call that waits in the library, no coroutine in between); the
//! hand-written classes add the `Custom` rows (connect, login).

use std::fmt::Write as _;

use crate::model::{Method, Ty};
use crate::names::camel;
use crate::NOTICE;

fn params(m: &Method) -> Vec<String> {
    let mut out: Vec<String> = m
        .args
        .iter()
        .map(|a| {
            let name = camel(a.name);
            match (a.ty, a.default) {
                (Ty::Text | Ty::Secret, _) => format!("{name}: String"),
                (Ty::Flag, Some(d)) => format!("{name}: Boolean = {d}"),
                (Ty::Flag, None) => format!("{name}: Boolean"),
                (Ty::Vars, _) => format!("{name}: Map<String, String>"),
            }
        })
        .collect();
    if let Some((name, _)) = m.folds {
        out.push(format!("{}: String? = null", camel(name)));
    }
    out
}

fn names(m: &Method) -> Vec<String> {
    m.args
        .iter()
        .map(|a| camel(a.name))
        .chain(m.folds.map(|(n, _)| camel(n)))
        .collect()
}

/// The arguments for the uniffi method.
fn native_args(m: &Method) -> Vec<String> {
    m.args
        .iter()
        .map(|a| match a.ty {
            Ty::Vars => format!("{}.toKeyValues()", camel(a.name)),
            _ => camel(a.name),
        })
        .chain(m.folds.map(|(n, _)| camel(n)))
        .collect()
}

fn has_defaults(m: &Method) -> bool {
    m.folds.is_some() || m.args.iter().any(|a| a.default.is_some())
}

fn doc(out: &mut String, m: &Method) {
    let _ = writeln!(
        out,
        "    /**\n     * {}\n     *\n     * {}\n     */",
        m.doc(),
        m.wire_note()
    );
}

fn deprecated(out: &mut String, new: &str, args: &str) {
    let _ = writeln!(
        out,
        "    /** The old name of [{new}]. */\n    @Deprecated(\"renamed to {new}\", ReplaceWith(\"{new}({args})\"))"
    );
}

pub fn commands(methods: &[Method]) -> String {
    let mut suspend = String::new();
    let mut sync = String::new();
    let mut futures = String::new();
    for m in methods {
        let name = camel(m.name);
        let decl = params(m).join(", ");
        let args = names(m).join(", ");
        let overloads = if has_defaults(m) {
            "    @JvmOverloads\n"
        } else {
            ""
        };
        let throws = "    @Throws(GcException::class, InterruptedException::class)\n";
        for (i, alias) in std::iter::once(m.name)
            .chain(m.spec.aliases.iter().copied())
            .enumerate()
        {
            let fun = camel(alias);
            let native = format!("it.{name}({})", native_args(m).join(", "));
            if i == 0 {
                doc(&mut suspend, m);
                doc(&mut sync, m);
                doc(&mut futures, m);
            } else {
                deprecated(&mut suspend, &name, &args);
                deprecated(&mut sync, &name, &args);
                deprecated(&mut futures, &name, &args);
            }
            let _ = writeln!(
                suspend,
                "    @JvmSynthetic\n    public suspend fun {fun}({decl}): Event = command(\"{}\") {{ {native} }}.toPublic()\n",
                m.name
            );
            let _ = writeln!(
                sync,
                "{overloads}{throws}    public fun {fun}({decl}): Event = blocking(\"{}\") {{ it.{name}Blocking({}) }}.toPublic()\n",
                m.name,
                native_args(m).join(", ")
            );
            let _ = writeln!(
                futures,
                "{overloads}    public fun {fun}({decl}): CompletableFuture<Event> = future {{ it.{name}({args}) }}\n"
            );
        }
    }
    format!(
        "// {NOTICE}\n\
         @file:Suppress(\"DEPRECATION\")\n\n\
         package io.gcclient\n\n\
         import io.gcclient.internal.toKeyValues\n\
         import io.gcclient.internal.toPublic\n\
         import java.util.concurrent.CompletableFuture\n\n\
         /**\n\
         \x20* The commands of the table as suspending functions of [GcAgent] (hidden\n\
         \x20* from Java, which uses [GcAgent.sync] and [GcAgent.async]). Each returns\n\
         \x20* GC's reply [Event]; failures are [GcException]s. Cancelling the caller\n\
         \x20* cancels the command.\n\
         \x20*/\n\
         public abstract class AgentCommands internal constructor() {{\n\
         \x20   internal abstract suspend fun <T> command(name: String, call: suspend (io.gcclient.internal.Agent) -> T): T\n\n\
         {suspend}}}\n\n\
         /**\n\
         \x20* The commands of one agent, blocking the calling thread until GC answers\n\
         \x20* or the request times out; see [AgentSync]. Every method throws the\n\
         \x20* checked [GcException], and [InterruptedException] when the thread is\n\
         \x20* interrupted while it waits (the command is then cancelled).\n\
         \x20*/\n\
         public abstract class AgentSyncCommands internal constructor() {{\n\
         \x20   internal abstract fun <T> blocking(name: String, call: (io.gcclient.internal.Agent) -> T): T\n\n\
         {sync}}}\n\n\
         /**\n\
         \x20* The commands of one agent as [CompletableFuture]s, failing with a\n\
         \x20* [GcException]; cancelling a future cancels its command. See [AgentAsync].\n\
         \x20*/\n\
         public abstract class AgentAsyncCommands internal constructor() {{\n\
         \x20   internal abstract fun <T> future(block: suspend (GcAgent) -> T): CompletableFuture<T>\n\n\
         {futures}}}\n"
    )
}
