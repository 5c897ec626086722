use std::collections::HashMap;

use super::command::CommandKind;

/// The JMS-type spelling of each command. Defaults are the guide's (typos
/// included) with the two corrections of `docs/protocol.md`; any of them can be
/// overridden per deployment, since six were left blank by the guide.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WireNames {
    overrides: HashMap<CommandKind, String>,
}

impl WireNames {
    /// Overrides from `api_name -> wire name` pairs, e.g. from a config file.
    /// An unknown API name is an error so a typo in a config is not ignored.
    pub fn from_overrides<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, String> {
        let mut names = WireNames::default();
        for (api, wire) in pairs {
            let kind = CommandKind::from_api_name(api)
                .ok_or_else(|| format!("unknown command `{api}` in wire-name overrides"))?;
            names.set(kind, wire)?;
        }
        Ok(names)
    }

    pub fn set(&mut self, kind: CommandKind, wire: &str) -> Result<(), String> {
        if wire.is_empty() || wire.contains(['#', ',', '\0']) {
            return Err(format!(
                "wire name `{wire}` for `{}` must be non-empty and contain no `#`, `,` or NUL",
                kind.api_name()
            ));
        }
        self.overrides.insert(kind, wire.to_owned());
        Ok(())
    }

    pub fn get(&self, kind: CommandKind) -> &str {
        self.overrides
            .get(&kind)
            .map(String::as_str)
            .unwrap_or(kind.spec().default_wire)
    }

    /// The command whose wire name this is. Matching is case-sensitive
    /// first, then case-insensitive, because GC deployments differ.
    pub fn kind_of(&self, wire: &str) -> Option<CommandKind> {
        let exact = CommandKind::ALL.iter().find(|k| self.get(**k) == wire);
        exact
            .or_else(|| {
                CommandKind::ALL
                    .iter()
                    .find(|k| self.get(**k).eq_ignore_ascii_case(wire))
            })
            .copied()
    }
}
