using System;
using System.Collections.Generic;
using System.Globalization;

namespace GenericConnector
{
    /// <summary>
    /// A notification: an event from GC or the client's own news (status,
    /// re-login, clock skew, lag). Immutable and safe to keep: it is a copy
    /// of the native event's JSON form, read on first use.
    /// Subclasses give typed access to the events desktops act on; every
    /// other field is reachable with <see cref="GetString"/> / <see cref="Get"/>.
    /// </summary>
    public partial class GcEvent : EventArgs
    {
        private Dictionary<string, object> fields;
        private string agentId;
        private bool agentKnown;

        internal GcEvent(GcEventKind kind, string json)
        {
            Kind = kind;
            Json = json;
        }

        /// <summary>What the event is.</summary>
        public GcEventKind Kind { get; private set; }

        /// <summary>The whole event as the native library's JSON.</summary>
        public string Json { get; private set; }

        /// <summary>All fields, as parsed from <see cref="Json"/>.</summary>
        public IReadOnlyDictionary<string, object> Fields
        {
            get
            {
                // Races are harmless: both threads parse the same text.
                if (fields == null) fields = (Dictionary<string, object>)GenericConnector.Json.Parse(Json);
                return fields;
            }
        }

        /// <summary>The kind as the library names it (<c>agent_state</c>, <c>status</c>, ...).</summary>
        public string KindName { get { return GetString("type") ?? GetString("notification"); } }

        /// <summary>The agent the event is for; null for system-wide events.</summary>
        public string AgentId { get { return agentKnown ? agentId : GetString("agent"); } }

        // The client routes every event to its agent by AgentId: read from
        // the native event as it arrives, it spares that routing a parse of
        // the whole JSON (the costliest step of a delivery).
        internal void KnowAgent(string agent)
        {
            agentId = agent;
            agentKnown = true;
        }

        /// <summary>The body exactly as GC sent it; null for the client's own notifications.</summary>
        public string Raw { get { return GetString("raw"); } }

        /// <summary>A field by name or dotted path (<c>dialog.dialog_id</c>, <c>codes.0.label</c>); null when absent.</summary>
        public object Get(string path)
        {
            object node = Fields;
            foreach (var part in path.Split('.'))
            {
                var obj = node as Dictionary<string, object>;
                var list = node as List<object>;
                int index;
                if (obj != null)
                {
                    if (!obj.TryGetValue(part, out node)) return null;
                }
                else if (list != null && int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out index) && index < list.Count)
                {
                    node = list[index];
                }
                else
                {
                    return null;
                }
            }
            return node;
        }

        /// <summary>A field as text (numbers and booleans formatted invariantly); null when absent.</summary>
        public string GetString(string path)
        {
            var v = Get(path);
            if (v == null) return null;
            if (v is string) return (string)v;
            if (v is bool) return (bool)v ? "true" : "false";
            if (v is IFormattable) return ((IFormattable)v).ToString(null, CultureInfo.InvariantCulture);
            return v.ToString();
        }

        /// <summary>A list field as strings (empty when absent).</summary>
        public IReadOnlyList<string> GetStrings(string path)
        {
            var list = Get(path) as List<object>;
            var result = new List<string>();
            if (list != null)
                foreach (var item in list) result.Add(item == null ? null : Convert.ToString(item, CultureInfo.InvariantCulture));
            return result;
        }

        /// <summary>The kind and the JSON form.</summary>
        public override string ToString()
        {
            return Kind + " " + Json;
        }
    }

    /// <summary>The connection status changed (<see cref="GcClient.StatusChanged"/>).</summary>
    public sealed class StatusEvent : GcEvent
    {
        internal StatusEvent(GcEventKind kind, string json) : base(kind, json) { }

        /// <summary>The new status.</summary>
        public GcConnectionStatus Status
        {
            get
            {
                switch (GetString("status"))
                {
                    case "waiting_for_gc": return GcConnectionStatus.WaitingForGc;
                    case "in_service": return GcConnectionStatus.InService;
                    case "out_of_service": return GcConnectionStatus.OutOfService;
                    case "reconnecting": return GcConnectionStatus.Reconnecting;
                    case "closed": return GcConnectionStatus.Closed;
                    default: return GcConnectionStatus.Connecting;
                }
            }
        }

        /// <summary>Why, when the library says (a broker error, the broker URL, ...).</summary>
        public string Detail { get { return GetString("detail"); } }
    }

    /// <summary>An automatic re-login after a reconnect finished.</summary>
    public sealed class ReloginEvent : GcEvent
    {
        internal ReloginEvent(GcEventKind kind, string json) : base(kind, json) { }

        /// <summary>Null on success, else what went wrong.</summary>
        public string Error { get { return GetString("error"); } }

        /// <summary>Whether the re-login worked.</summary>
        public bool Succeeded { get { return Error == null; } }
    }

    /// <summary>Handlers fell behind and <see cref="Dropped"/> events were lost.</summary>
    public sealed class LaggedEvent : GcEvent
    {
        internal LaggedEvent(GcEventKind kind, string json) : base(kind, json) { }

        /// <summary>How many events were lost.</summary>
        public long Dropped { get { return Convert.ToInt64(Get("dropped") ?? 0L, CultureInfo.InvariantCulture); } }
    }

    /// <summary>The broker's clock differs from ours; commands carry an absolute expiry.</summary>
    public sealed class ClockSkewEvent : GcEvent
    {
        internal ClockSkewEvent(GcEventKind kind, string json) : base(kind, json) { }

        /// <summary>Local clock minus the broker's, in milliseconds.</summary>
        public long SkewMs { get { return Convert.ToInt64(Get("skew_ms") ?? 0L, CultureInfo.InvariantCulture); } }
    }

    // The GC kinds' classes are generated (Generated/GcEvents.g.cs): one
    // property per plain field of the kind's JSON form. What takes more
    // than reading a field is here.

    public sealed partial class SystemEvent
    {
        /// <summary>Whether GC said IN_SERVICE (else OUT_OF_SERVICE).</summary>
        public bool InService { get { return GetString("status") == "IN_SERVICE"; } }
    }

    public sealed partial class AgentStateEvent
    {
        /// <summary>The agent's state.</summary>
        public AgentState State { get { return ParseState(GetString("state")); } }
        /// <summary>The state the agent goes to next, or <see cref="GenericConnector.AgentState.None"/>.</summary>
        public AgentState PendingState { get { return ParseState(GetString("pending_state")); } }
        /// <summary>When the state changed (GC's epoch milliseconds, else its text); null when absent or unreadable.</summary>
        public DateTimeOffset? StateChangeTime { get { return GcTime.Parse(GetString("state_change_time")) ?? GcTime.Parse(GetString("state_change_time_string")); } }
        /// <summary>When the state changed, as GC sent it.</summary>
        public string StateChangeTimeText { get { return GetString("state_change_time"); } }

        internal static AgentState ParseState(string s)
        {
            switch (s)
            {
                case null: return AgentState.None;
                case "LOGOUT": return AgentState.Logout;
                case "LOGIN": return AgentState.Login;
                case "NOT_READY": return AgentState.NotReady;
                case "READY": return AgentState.Ready;
                case "RESERVED": return AgentState.Reserved;
                case "RESERVED_OUTBOUND": return AgentState.ReservedOutbound;
                case "RESERVED_OUTBOUND_PREVIEW": return AgentState.ReservedOutboundPreview;
                case "TALKING": return AgentState.Talking;
                case "HOLD": return AgentState.Hold;
                case "WORK": return AgentState.Work;
                case "WORK_READY": return AgentState.WorkReady;
                default: return AgentState.Unknown;
            }
        }
    }

    /// <summary>
    /// Any update of a call: its state (<see cref="CallEvent"/>), its
    /// dialog's (<see cref="DialogStateEvent"/>) or a consult call's
    /// (<see cref="ConsultCallEvent"/>); raised by <see cref="GcAgent.CallChanged"/>.
    /// </summary>
    public abstract class CallUpdateEvent : GcEvent
    {
        internal CallUpdateEvent(GcEventKind kind, string json) : base(kind, json) { }

        /// <summary>The call's state.</summary>
        public CallState State { get { return CallEvent.ParseCallState(StateName); } }

        /// <summary>Finesse's state, as sent (ALERTING, ACTIVE, HELD, INITIATED, DROP, ...).</summary>
        public string StateName { get { return GetString("state"); } }

        /// <summary>The dialog (call) id; for a consult call, the dialog it belongs to when GC sends no id of its own.</summary>
        public string DialogId { get { return GetString("dialog_id") ?? GetString("associated_dialog_id"); } }
    }

    public sealed partial class CallEvent
    {
        internal static CallState ParseCallState(string s)
        {
            switch (s)
            {
                case null: return CallState.None;
                case "ALERTING": return CallState.Alerting;
                case "ACTIVE": return CallState.Active;
                case "HELD": return CallState.Held;
                case "INITIATING": return CallState.Initiating;
                case "INITIATED": return CallState.Initiated;
                case "FAILED": return CallState.Failed;
                case "DROP":
                case "DROPPED": return CallState.Dropped;
                case "WRAP_UP": return CallState.WrapUp;
                case "ACCEPTED": return CallState.Accepted;
                default: return CallState.Unknown;
            }
        }

        /// <summary>When the call started; null when absent or unreadable.</summary>
        public DateTimeOffset? StartTime { get { return GcTime.Parse(StartTimeText); } }
        /// <summary>When the call started, as GC sent it.</summary>
        public string StartTimeText { get { return GetString("start_time"); } }
    }

    public sealed partial class NewCallEvent
    {
        /// <summary>Whether this is an outbound preview call.</summary>
        public bool IsOutboundPreview { get { return Kind == GcEventKind.NewOutboundPreviewCall; } }
        /// <summary>When the call started; null when absent or unreadable.</summary>
        public DateTimeOffset? StartTime { get { return GcTime.Parse(StartTimeText); } }
        /// <summary>When the call started, as GC sent it.</summary>
        public string StartTimeText { get { return GetString("start_time"); } }
    }

    /// <summary>One not-ready / logout / wrap-up reason.</summary>
    public sealed class ReasonCode
    {
        internal ReasonCode(string code, string label)
        {
            Code = code;
            Label = label;
        }

        /// <summary>The reason code.</summary>
        public string Code { get; private set; }
        /// <summary>The reason's label.</summary>
        public string Label { get; private set; }

        /// <summary>The kind and the JSON form.</summary>
        public override string ToString() { return Code + " " + Label; }
    }

    public sealed partial class ReasonCodesEvent
    {
        /// <summary>The codes of the category.</summary>
        public IReadOnlyList<ReasonCode> Codes
        {
            get
            {
                var result = new List<ReasonCode>();
                var list = Get("codes") as List<object>;
                if (list != null)
                    foreach (var item in list)
                    {
                        var o = item as Dictionary<string, object>;
                        if (o == null) continue;
                        object code, label;
                        o.TryGetValue("code", out code);
                        o.TryGetValue("label", out label);
                        result.Add(new ReasonCode(code as string, label as string));
                    }
                return result;
            }
        }
    }

    /// <summary>GC's time fields: epoch milliseconds or a date-time text (UTC unless it says otherwise).</summary>
    internal static class GcTime
    {
        internal static DateTimeOffset? Parse(string s)
        {
            if (string.IsNullOrEmpty(s)) return null;
            long ms;
            if (long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out ms))
            {
                if (ms <= 0 || ms > 253402300799999L) return null;
                return DateTimeOffset.FromUnixTimeMilliseconds(ms);
            }
            DateTimeOffset t;
            if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out t)) return t;
            return null;
        }
    }
}
