using System;
using System.Threading.Tasks;
using GenericConnector;

namespace UsdCtiAdapter
{
    /// <summary>Arguments of an agent-state change shown on the desktop.</summary>
    public sealed class AgentStateChangedEventArgs : EventArgs
    {
        public AgentStateChangedEventArgs(AgentState state, string reason)
        {
            State = state;
            Reason = reason;
        }

        public AgentState State { get; private set; }
        /// <summary>The not-ready reason (label when GC sends one, else the code).</summary>
        public string Reason { get; private set; }
    }

    /// <summary>
    /// Shaped like USD's CtiAgentStateManager: the agent's presence, with
    /// SetAvailable / SetUnavailable(reason) mapped to GC's MakeReady /
    /// MakeNotReadyWithReason.
    /// </summary>
    public sealed class AgentStateManager
    {
        private readonly GcAgent agent;

        public AgentStateManager(GcAgent agent)
        {
            this.agent = agent;
            agent.StateChanged += (s, e) =>
            {
                State = e.State;
                var h = AgentStateChanged;
                if (h != null) h(this, new AgentStateChangedEventArgs(e.State, string.IsNullOrEmpty(e.ReasonLabel) ? e.ReasonCodeId : e.ReasonLabel));
            };
        }

        public AgentState State { get; private set; }

        public event EventHandler<AgentStateChangedEventArgs> AgentStateChanged;

        public Task LoginAsync(string password, string extension) { return agent.LoginAsync(password, extension); }

        public Task SetAvailableAsync() { return agent.MakeReadyAsync(); }

        /// <summary>USD's SetUnavailable(reason): NOT_READY with a reason code (or none).</summary>
        public Task SetUnavailableAsync(string reasonCode) { return agent.MakeNotReadyAsync(reasonCode); }

        public Task LogoutAsync() { return agent.LogoutAsync(); }
    }
}
