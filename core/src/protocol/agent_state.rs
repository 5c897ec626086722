use std::fmt;
use std::str::FromStr;

/// A Finesse agent state (UCCE).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AgentState {
    Logout,
    Login,
    NotReady,
    Ready,
    Reserved,
    ReservedOutbound,
    ReservedOutboundPreview,
    Talking,
    Hold,
    Work,
    WorkReady,
    Unknown,
}

use AgentState::*;

/// The UCCE transition table of the guide, as data. `* -> UNKNOWN` is
/// handled in [`AgentState::can_transition`].
const TRANSITIONS: &[(AgentState, AgentState)] = &[
    (Logout, Login),
    (Login, NotReady),
    (NotReady, Logout),
    (NotReady, NotReady),
    (NotReady, Ready),
    (NotReady, Talking),
    (Ready, Reserved),
    (Ready, ReservedOutbound),
    (Ready, ReservedOutboundPreview),
    (Ready, NotReady),
    (Reserved, Ready),
    (Reserved, Talking),
    (ReservedOutbound, Ready),
    (ReservedOutbound, NotReady),
    (ReservedOutbound, Talking),
    (ReservedOutboundPreview, Ready),
    (ReservedOutboundPreview, NotReady),
    (ReservedOutboundPreview, Talking),
    (Talking, Ready),
    (Talking, NotReady),
    (Talking, Work),
    (Talking, WorkReady),
    (Talking, Hold),
    (Hold, Ready),
    (Hold, NotReady),
    (Hold, Work),
    (Hold, WorkReady),
    (Hold, Talking),
    (Work, Ready),
    (Work, NotReady),
    (WorkReady, Ready),
    (WorkReady, NotReady),
];

impl AgentState {
    pub const ALL: [AgentState; 12] = [
        Logout,
        Login,
        NotReady,
        Ready,
        Reserved,
        ReservedOutbound,
        ReservedOutboundPreview,
        Talking,
        Hold,
        Work,
        WorkReady,
        Unknown,
    ];

    /// Whether Finesse (UCCE) allows the change `from -> to`.
    pub fn can_transition(from: AgentState, to: AgentState) -> bool {
        to == Unknown || TRANSITIONS.contains(&(from, to))
    }

    /// The transition table itself, for UIs and the simulator.
    pub fn transitions() -> &'static [(AgentState, AgentState)] {
        TRANSITIONS
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Logout => "LOGOUT",
            Login => "LOGIN",
            NotReady => "NOT_READY",
            Ready => "READY",
            Reserved => "RESERVED",
            ReservedOutbound => "RESERVED_OUTBOUND",
            ReservedOutboundPreview => "RESERVED_OUTBOUND_PREVIEW",
            Talking => "TALKING",
            Hold => "HOLD",
            Work => "WORK",
            WorkReady => "WORK_READY",
            Unknown => "UNKNOWN",
        }
    }
}

impl fmt::Display for AgentState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AgentState {
    type Err = String;

    /// Accepts the wire spelling; spaces and case are forgiven because the
    /// guide itself writes `RESERVED _OUTBOUND`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // The exact spelling is what GC sends; only a miss pays for the
        // normalising copy.
        if let Some(st) = AgentState::ALL.into_iter().find(|st| st.as_str() == s) {
            return Ok(st);
        }
        let norm: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        AgentState::ALL
            .into_iter()
            .find(|st| st.as_str() == norm)
            .ok_or_else(|| format!("unknown agent state `{s}`"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_matches_guide_samples() {
        assert!(AgentState::can_transition(NotReady, Ready));
        assert!(AgentState::can_transition(Talking, Hold));
        assert!(!AgentState::can_transition(Ready, Logout));
        assert!(!AgentState::can_transition(Logout, Ready));
        assert!(AgentState::can_transition(Ready, Unknown));
        assert_eq!(TRANSITIONS.len(), 32);
    }

    #[test]
    fn parses_every_state_and_guide_spacing() {
        for st in AgentState::ALL {
            assert_eq!(st.as_str().parse::<AgentState>().unwrap(), st);
        }
        assert_eq!(
            "RESERVED _OUTBOUND".parse::<AgentState>().unwrap(),
            ReservedOutbound
        );
        assert!("SLEEPING".parse::<AgentState>().is_err());
    }
}
