//! The command table as the generators see it: the methods to write.

use gcclient::protocol::event_kinds::{kind_of_wire_type, EventKindSpec};
use gcclient::protocol::{CommandKind, CommandSpec, MethodShape, ParamRule};

/// A parameter's type, as every language maps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    Text,
    Secret,
    Flag,
    Vars,
}

#[derive(Debug, Clone)]
pub struct Arg {
    pub name: &'static str,
    pub ty: Ty,
    /// Languages with default arguments use it.
    pub default: Option<bool>,
}

/// One agent method to generate.
#[derive(Debug, Clone)]
pub struct Method {
    pub spec: &'static CommandSpec,
    pub name: &'static str,
    pub args: Vec<Arg>,
    /// The optional last argument (`reason_code`) and the command it sends.
    pub folds: Option<(&'static str, &'static CommandSpec)>,
    /// The one event kind the reply is, when the guide names exactly one.
    pub reply: Option<&'static EventKindSpec>,
}

impl Method {
    pub fn shape(&self) -> MethodShape {
        self.spec.method
    }

    /// The doc line plus what goes on the wire, for every language's docs.
    pub fn doc(&self) -> String {
        self.spec.doc.to_owned()
    }

    pub fn wire_note(&self) -> String {
        let replies = self
            .spec
            .replies
            .iter()
            .map(|r| format!("`{r}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut note = format!("Sends `{}`", self.spec.type_layout());
        if !self.spec.body_layout().is_empty() {
            note.push_str(&format!(" with body `{}`", self.spec.body_layout()));
        }
        if let Some((_, other)) = self.folds {
            note.push_str(&format!(
                " (`{}` when a reason code is given)",
                other.default_wire
            ));
        }
        if self.spec.replies.is_empty() {
            note.push_str("; GC answers only a refusal (an `Error` event).");
        } else if self.spec.replies.len() == 1 {
            note.push_str(&format!(
                "; the reply is GC's {replies} carrying the command's correlation id; `Error` and `State#RE_LOGIN` (the command was not carried out) are raised as errors."
            ));
        } else {
            note.push_str(&format!(
                "; the reply is the one of {replies} that GC correlates to the command; `Error` and `State#RE_LOGIN` (the command was not carried out) are raised as errors."
            ));
        }
        note
    }
}

fn ty(rule: ParamRule, secret: bool) -> Ty {
    match rule {
        ParamRule::Required | ParamRule::Optional if secret => Ty::Secret,
        ParamRule::Required | ParamRule::Optional => Ty::Text,
        ParamRule::Bool | ParamRule::Marker(_) => Ty::Flag,
        ParamRule::CallVariables => Ty::Vars,
    }
}

/// The methods of every `Request` and `Session` row, in table order.
pub fn methods() -> Vec<Method> {
    CommandKind::ALL
        .iter()
        .map(|k| k.spec())
        .filter(|s| matches!(s.method, MethodShape::Request | MethodShape::Session))
        .map(|spec| {
            let args = spec
                .params
                .iter()
                .map(|p| Arg {
                    name: p.name,
                    ty: ty(p.rule(), p.is_secret()),
                    default: p.default(),
                })
                .collect();
            let folds = spec.folds.map(|other| {
                let other = other.spec();
                assert!(
                    spec.params.is_empty() && other.params.len() == 1,
                    "`folds` joins a command without parameters to one with one ({})",
                    spec.api_name
                );
                (other.params[0].name, other)
            });
            let reply = match spec.replies {
                [one] => kind_of_wire_type(one),
                _ => None,
            };
            Method {
                spec,
                name: spec.api_name,
                args,
                folds,
                reply,
            }
        })
        .collect()
}
