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

/// The parameters, with the per-call `timeout` last (of type `timeout`).
fn params(m: &Method, timeout: &str) -> Vec<String> {
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
    out.push(format!("timeout: {timeout}? = null"));
    out
}

/// The parameter names, `timeout` (as `timeout`) last.
fn names(m: &Method, timeout: &str) -> Vec<String> {
    m.args
        .iter()
        .map(|a| camel(a.name))
        .chain(m.folds.map(|(n, _)| camel(n)))
        .chain(std::iter::once(timeout.to_owned()))
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
        .chain(std::iter::once("timeout.toTimeoutMs()".to_owned()))
        .collect()
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
        // Every method has a default argument (`timeout`) at least.
        let overloads = "    @JvmOverloads\n";
        let suspend_decl = params(m, "Duration").join(", ");
        let java_decl = params(m, "java.time.Duration").join(", ");
        let args = names(m, "timeout").join(", ");
        let kotlin_args = names(m, "timeout?.toKotlinDuration()").join(", ");
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
                "    @JvmSynthetic\n    public suspend fun {fun}({suspend_decl}): Event = command(\"{}\") {{ {native} }}.toPublic()\n",
                m.name
            );
            let _ = writeln!(
                sync,
                "{overloads}{throws}    public fun {fun}({java_decl}): Event = blocking(\"{}\") {{ it.{name}Blocking({}) }}.toPublic()\n",
                m.name,
                native_args(m).join(", ")
            );
            let _ = writeln!(
                futures,
                "{overloads}    public fun {fun}({java_decl}): CompletableFuture<Event> = future {{ it.{name}({kotlin_args}) }}\n"
            );
        }
    }
    format!(
        "// {NOTICE}\n\
         @file:Suppress(\"DEPRECATION\")\n\n\
         package io.gcclient\n\n\
         import io.gcclient.internal.toKeyValues\n\
         import io.gcclient.internal.toPublic\n\
         import io.gcclient.internal.toTimeoutMs\n\
         import java.util.concurrent.CompletableFuture\n\
         import kotlin.time.Duration\n\
         import kotlin.time.toKotlinDuration\n\n\
         /**\n\
         \x20* The commands of the table as suspending functions of [GcAgent] (hidden\n\
         \x20* from Java, which uses [GcAgent.sync] and [GcAgent.async]). Each returns\n\
         \x20* GC's reply [Event]; failures are [GcException]s. Cancelling the caller\n\
         \x20* cancels the command. `timeout` is the reply deadline of that call (null:\n\
         \x20* the config's `requestTimeout`, shorter or longer).\n\
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
