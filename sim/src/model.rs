//! The Finesse model the simulator plays: who can log in, teams, reason
//! codes, phonebooks, queues, skill groups. Loaded from TOML; a rich default
//! ships inside the crate (`sim/model/default.toml`).

use std::collections::HashSet;
use std::path::Path;

use serde::Deserialize;

/// The embedded default model.
pub const DEFAULT_MODEL_TOML: &str = include_str!("../model/default.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    #[serde(default)]
    pub system: SystemModel,
    #[serde(default)]
    pub simulator: SimulatorModel,
    #[serde(default)]
    pub teams: Vec<TeamModel>,
    #[serde(default)]
    pub reason_codes: ReasonCodesModel,
    #[serde(default)]
    pub agents: Vec<AgentModel>,
    #[serde(default)]
    pub skill_groups: Vec<SkillGroupModel>,
    #[serde(default)]
    pub queues: Vec<QueueModel>,
    #[serde(default)]
    pub phonebooks: Vec<PhonebookModel>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Flavor {
    Ucce,
    Uccx,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SystemModel {
    pub licence_limit: usize,
    pub flavor: Flavor,
    pub wrap_up_timer_s: f64,
    pub call_variables: Vec<String>,
}

impl Default for SystemModel {
    fn default() -> Self {
        SystemModel {
            licence_limit: 100,
            flavor: Flavor::Ucce,
            wrap_up_timer_s: 60.0,
            call_variables: (1..=10).map(|i| format!("callVariable{i}")).collect(),
        }
    }
}

/// How the simulator plays GC, as opposed to what the centre holds.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SimulatorModel {
    /// Off (the default): events exactly as the guide writes them. On: the
    /// older, kinder forms that help demos (every event for the issuing
    /// agent carries the command's correlation id, every event carries the
    /// agent prefix, every `InboundCall` its `DialogID`).
    pub friendly: bool,
    /// Send the events the guide marks "(Not Using)"
    /// (`TeamMemberStateChanged`); off by default, as GC does not send them.
    pub not_using_events: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamModel {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeModel {
    pub code: String,
    pub label: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReasonCodesModel {
    pub not_ready: Vec<CodeModel>,
    pub logout: Vec<CodeModel>,
    pub wrap_up: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentModel {
    pub id: String,
    pub password: String,
    /// The agent's usual extension (the demo logs in with it; any numeric
    /// extension is accepted at login).
    #[serde(default)]
    pub extension: String,
    pub first_name: String,
    pub last_name: String,
    #[serde(default)]
    pub team: String,
    #[serde(default)]
    pub supervisor: bool,
    #[serde(default)]
    pub supervised_teams: Vec<String>,
    /// REQUIRED, OPTIONAL, NOT_ALLOWED or REQUIRED_WITH_WRAP_UP_DATA.
    #[serde(default = "default_wrap_up_mode")]
    pub wrap_up_mode: String,
    #[serde(default)]
    pub wrap_up_timer_s: Option<f64>,
    /// SSO agents log in with `Connect ...,SSO`; any non-empty token is accepted.
    #[serde(default)]
    pub sso: bool,
}

fn default_wrap_up_mode() -> String {
    "OPTIONAL".into()
}

impl AgentModel {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }

    /// Whether calls end in WORK / WORK_READY for this agent.
    pub fn wrap_up_enabled(&self) -> bool {
        !self.wrap_up_mode.eq_ignore_ascii_case("NOT_ALLOWED")
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkillGroupModel {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueModel {
    pub name: String,
    #[serde(default)]
    pub skill_group: String,
    /// Teams whose agents take this queue's calls.
    #[serde(default)]
    pub teams: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactModel {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub phone_number: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhonebookModel {
    pub id: String,
    pub name: String,
    /// GLOBAL or TEAM.
    #[serde(rename = "type")]
    pub kind: String,
    /// For TEAM phonebooks.
    #[serde(default)]
    pub team: Option<String>,
    #[serde(default)]
    pub contacts: Vec<ContactModel>,
}

/// Why a model was refused.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("cannot read model {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("model is not valid TOML: {0}")]
    Toml(#[from] toml::de::Error),
    #[error("model: {0}")]
    Invalid(String),
}

/// Characters GC uses as delimiters; they cannot appear in model values.
const DELIMITERS: [char; 4] = ['#', ',', '|', '\0'];

impl Model {
    pub fn from_toml_str(s: &str) -> Result<Model, ModelError> {
        let model: Model = toml::from_str(s)?;
        model.validate()?;
        Ok(model)
    }

    pub fn from_file(path: impl AsRef<Path>) -> Result<Model, ModelError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| ModelError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Model::from_toml_str(&text)
    }

    /// Checks references and delimiters so the simulator never has to.
    pub fn validate(&self) -> Result<(), ModelError> {
        let bad = |what: String| Err(ModelError::Invalid(what));
        let team_ids: HashSet<&str> = self.teams.iter().map(|t| t.id.as_str()).collect();
        let mut seen = HashSet::new();
        let mut exts = HashSet::new();
        for a in &self.agents {
            if a.id.is_empty() || !seen.insert(a.id.as_str()) {
                return bad(format!("agent id `{}` is empty or repeated", a.id));
            }
            for (field, v) in [
                ("id", &a.id),
                ("first_name", &a.first_name),
                ("last_name", &a.last_name),
                ("team", &a.team),
            ] {
                if v.contains(DELIMITERS) {
                    return bad(format!(
                        "agent `{}`: {field} contains a GC delimiter (# , |)",
                        a.id
                    ));
                }
            }
            if !a.extension.is_empty() {
                if !a.extension.chars().all(|c| c.is_ascii_digit()) {
                    return bad(format!("agent `{}`: extension must be digits", a.id));
                }
                if !exts.insert(a.extension.as_str()) {
                    return bad(format!(
                        "agent `{}`: extension {} is used twice",
                        a.id, a.extension
                    ));
                }
            }
            if !a.team.is_empty() && !team_ids.contains(a.team.as_str()) {
                return bad(format!("agent `{}`: unknown team `{}`", a.id, a.team));
            }
            for t in &a.supervised_teams {
                if !team_ids.contains(t.as_str()) {
                    return bad(format!("agent `{}`: unknown supervised team `{t}`", a.id));
                }
            }
            if let Some(t) = a.wrap_up_timer_s {
                if !(0.0..=86_400.0).contains(&t) {
                    return bad(format!("agent `{}`: wrap_up_timer_s out of range", a.id));
                }
            }
        }
        if !(0.0..=86_400.0).contains(&self.system.wrap_up_timer_s) {
            return bad("system.wrap_up_timer_s out of range".into());
        }
        for t in &self.teams {
            if t.id.contains(DELIMITERS) || t.name.contains(DELIMITERS) {
                return bad(format!("team `{}` contains a GC delimiter", t.id));
            }
        }
        for c in self
            .reason_codes
            .not_ready
            .iter()
            .chain(&self.reason_codes.logout)
        {
            if c.code.is_empty() || c.code.contains(DELIMITERS) || c.label.contains(DELIMITERS) {
                return bad(format!(
                    "reason code `{}` is empty or has a delimiter",
                    c.code
                ));
            }
        }
        for w in &self.reason_codes.wrap_up {
            if w.is_empty() || w.contains(DELIMITERS) {
                return bad(format!("wrap-up reason `{w}` is empty or has a delimiter"));
            }
        }
        for q in &self.queues {
            if q.name.contains(DELIMITERS) || q.name.contains(':') {
                return bad(format!("queue `{}` contains a delimiter", q.name));
            }
            for t in &q.teams {
                if !team_ids.contains(t.as_str()) {
                    return bad(format!("queue `{}`: unknown team `{t}`", q.name));
                }
            }
        }
        for p in &self.phonebooks {
            if let Some(t) = &p.team {
                if !team_ids.contains(t.as_str()) {
                    return bad(format!("phonebook `{}`: unknown team `{t}`", p.id));
                }
            }
        }
        for v in &self.system.call_variables {
            if v.is_empty() || v.contains(['#', ',', '|', '=']) {
                return bad(format!(
                    "call variable name `{v}` is empty or has a delimiter"
                ));
            }
        }
        Ok(())
    }

    pub fn agent(&self, id: &str) -> Option<&AgentModel> {
        self.agents.iter().find(|a| a.id == id)
    }

    pub fn team(&self, id: &str) -> Option<&TeamModel> {
        self.teams.iter().find(|t| t.id == id)
    }
}

impl Default for Model {
    /// The embedded default model.
    fn default() -> Self {
        // Checked by a unit test, so this cannot fail at run time.
        Model::from_toml_str(DEFAULT_MODEL_TOML).expect("embedded default model is valid")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_model_loads_and_is_rich() {
        let m = Model::from_toml_str(DEFAULT_MODEL_TOML).unwrap();
        assert!(m.agents.len() >= 5);
        assert!(m.agents.iter().any(|a| a.supervisor));
        assert!(m.agents.iter().any(|a| a.sso));
        assert!(!m.reason_codes.not_ready.is_empty());
        assert!(!m.reason_codes.logout.is_empty());
        assert!(!m.reason_codes.wrap_up.is_empty());
        assert!(!m.queues.is_empty() && !m.phonebooks.is_empty() && !m.skill_groups.is_empty());
    }

    #[test]
    fn bad_models_are_refused_with_a_reason() {
        let err = Model::from_toml_str(
            "[[agents]]\nid='1'\npassword='x'\nfirst_name='A#B'\nlast_name='C'\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("delimiter"), "{err}");
        let err = Model::from_toml_str(
            "[[agents]]\nid='1'\npassword='x'\nfirst_name='A'\nlast_name='C'\nteam='9'\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("unknown team"), "{err}");
        let err = Model::from_toml_str("[system]\nnope = 1\n").unwrap_err();
        assert!(matches!(err, ModelError::Toml(_)));
    }
}
