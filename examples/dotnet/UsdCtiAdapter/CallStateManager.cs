using System;
using System.Collections.Generic;
using GenericConnector;

namespace UsdCtiAdapter
{
    /// <summary>The call states a USD desktop shows (after CtiCallStateManager).</summary>
    public enum CtiCallState { Ringing, Dialing, Connected, Held, Dropped, Other }

    /// <summary>What the agent may do with a call now (USD's "available call options").</summary>
    [Flags]
    public enum CallOptions
    {
        None = 0,
        Answer = 1,
        Release = 2,
        Hold = 4,
        Retrieve = 8,
        Transfer = 16,
        Consult = 32,
        Conference = 64,
    }

    /// <summary>One call as the desktop sees it.</summary>
    public sealed class CtiCall
    {
        /// <summary>USD's reference call id: GC's dialog id.</summary>
        public string ReferenceCallId { get; internal set; }
        public string Ani { get; internal set; }
        public IReadOnlyList<string> CallVariables { get; internal set; }
        public CtiCallState State { get; internal set; }
        public CallOptions AvailableOptions { get; internal set; }

        public override string ToString()
        {
            return string.Format("{0} {1} from {2} options {3}", ReferenceCallId, State, Ani, AvailableOptions);
        }
    }

    /// <summary>Arguments of USD's CallManagerStateUpdate.</summary>
    public sealed class CallStateUpdateEventArgs : EventArgs
    {
        public CallStateUpdateEventArgs(CtiCall call) { Call = call; }
        public CtiCall Call { get; private set; }
    }

    /// <summary>
    /// Shaped like USD's CtiCallStateManager: keeps the agent's calls by
    /// reference call id, raises NewCall (USD: RaiseNewCallEvent) and
    /// CallManagerStateUpdate, and answers/releases/holds through GC. All its
    /// events arrive on the UI thread (the client's SynchronizationContext).
    /// </summary>
    public sealed class CallStateManager
    {
        private readonly GcAgent agent;
        private readonly Dictionary<string, CtiCall> calls = new Dictionary<string, CtiCall>();

        public CallStateManager(GcAgent agent)
        {
            this.agent = agent;
            agent.NewCall += OnNewCall;
            agent.CallChanged += OnCallChanged;
        }

        public event EventHandler<CallStateUpdateEventArgs> NewCall;
        public event EventHandler<CallStateUpdateEventArgs> CallManagerStateUpdate;

        public IEnumerable<CtiCall> Calls { get { return calls.Values; } }

        public System.Threading.Tasks.Task AnswerAsync(string referenceCallId) { return agent.AnswerCallAsync(referenceCallId); }
        public System.Threading.Tasks.Task ReleaseAsync(string referenceCallId) { return agent.ReleaseCallAsync(referenceCallId); }
        public System.Threading.Tasks.Task HoldAsync(string referenceCallId) { return agent.HoldCallAsync(referenceCallId); }
        public System.Threading.Tasks.Task RetrieveAsync(string referenceCallId) { return agent.RetrieveCallAsync(referenceCallId); }

        private void OnNewCall(object sender, NewCallEvent e)
        {
            if (e.DialogId == null) return;
            var call = Track(e.DialogId);
            call.Ani = e.FromAddress;
            call.CallVariables = e.CallVariables;
            call.State = e.IsOutboundPreview ? CtiCallState.Dialing : CtiCallState.Ringing;
            call.AvailableOptions = OptionsFor(call.State);
            var h = NewCall;
            if (h != null) h(this, new CallStateUpdateEventArgs(call));
        }

        private void OnCallChanged(object sender, CallEvent e)
        {
            if (e.DialogId == null) return;
            var call = Track(e.DialogId);
            if (call.Ani == null) call.Ani = e.FromAddress;
            if (call.CallVariables == null) call.CallVariables = e.CallVariables;
            call.State = Map(e.State);
            call.AvailableOptions = OptionsFor(call.State);
            if (call.State == CtiCallState.Dropped) calls.Remove(e.DialogId);
            var h = CallManagerStateUpdate;
            if (h != null) h(this, new CallStateUpdateEventArgs(call));
        }

        private CtiCall Track(string dialogId)
        {
            CtiCall call;
            if (!calls.TryGetValue(dialogId, out call))
            {
                call = new CtiCall { ReferenceCallId = dialogId };
                calls[dialogId] = call;
            }
            return call;
        }

        private static CtiCallState Map(string finesseState)
        {
            switch (finesseState)
            {
                case "ALERTING": return CtiCallState.Ringing;
                case "INITIATING":
                case "INITIATED": return CtiCallState.Dialing;
                case "ACTIVE": return CtiCallState.Connected;
                case "HELD": return CtiCallState.Held;
                case "DROP":
                case "DROPPED":
                case "FAILED": return CtiCallState.Dropped;
                default: return CtiCallState.Other;
            }
        }

        private static CallOptions OptionsFor(CtiCallState state)
        {
            switch (state)
            {
                case CtiCallState.Ringing: return CallOptions.Answer;
                case CtiCallState.Dialing: return CallOptions.Release;
                case CtiCallState.Connected: return CallOptions.Release | CallOptions.Hold | CallOptions.Transfer | CallOptions.Consult | CallOptions.Conference;
                case CtiCallState.Held: return CallOptions.Retrieve | CallOptions.Release;
                default: return CallOptions.None;
            }
        }
    }
}
