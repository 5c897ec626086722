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
    public class GcEvent : EventArgs
    {
        private Dictionary<string, object> fields;

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
        public string AgentId { get { return GetString("agent"); } }

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

        /// <summary>The typed class for a kind.</summary>
        internal static GcEvent Create(GcEventKind kind, string json)
        {
            switch (kind)
            {
                case GcEventKind.Status: return new StatusEvent(kind, json);
                case GcEventKind.Relogin: return new ReloginEvent(kind, json);
                case GcEventKind.Lagged: return new LaggedEvent(kind, json);
                case GcEventKind.ClockSkew: return new ClockSkewEvent(kind, json);
                case GcEventKind.System: return new SystemEvent(kind, json);
                case GcEventKind.AgentState: return new AgentStateEvent(kind, json);
                case GcEventKind.InboundCall: return new CallEvent(kind, json);
                case GcEventKind.NewInboundCall:
                case GcEventKind.NewOutboundPreviewCall: return new NewCallEvent(kind, json);
                case GcEventKind.InboundCallFailed: return new CallFailedEvent(kind, json);
                case GcEventKind.DialogState: return new DialogStateEvent(kind, json);
                case GcEventKind.ConsultCall: return new ConsultCallEvent(kind, json);
                case GcEventKind.ReasonCodes: return new ReasonCodesEvent(kind, json);
                case GcEventKind.PrintStatusBar: return new StatusBarEvent(kind, json);
                case GcEventKind.Error: return new ErrorEvent(kind, json);
                default: return new GcEvent(kind, json);
            }
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

    /// <summary>GC's <c>System#IN_SERVICE</c> / <c>OUT_OF_SERVICE</c>.</summary>
    public sealed class SystemEvent : GcEvent
    {
        internal SystemEvent(GcEventKind kind, string json) : base(kind, json) { }

        /// <summary>Whether GC said IN_SERVICE (else OUT_OF_SERVICE).</summary>
        public bool InService { get { return GetString("status") == "IN_SERVICE"; } }
    }

    /// <summary>The agent's state (<c>State</c> event); also the reply to login and state commands.</summary>
    public sealed class AgentStateEvent : GcEvent
    {
        internal AgentStateEvent(GcEventKind kind, string json) : base(kind, json) { }

        /// <summary>The agent's state.</summary>
        public AgentState State { get { return ParseState(GetString("state")); } }
        /// <summary>The state the agent goes to next, or <see cref="GenericConnector.AgentState.None"/>.</summary>
        public AgentState PendingState { get { return ParseState(GetString("pending_state")); } }
        /// <summary>The not-ready / logout reason code, or null.</summary>
        public string ReasonCodeId { get { return GetString("reason_code_id"); } }
        /// <summary>The reason code's label, or null.</summary>
        public string ReasonLabel { get { return GetString("reason_label"); } }
        /// <summary>The agent's extension.</summary>
        public string Extension { get { return GetString("extension"); } }
        /// <summary>The agent's login id.</summary>
        public string LoginId { get { return GetString("login_id"); } }
        /// <summary>The agent's login name.</summary>
        public string LoginName { get { return GetString("login_name"); } }
        /// <summary>The agent's full name.</summary>
        public string FullName { get { return GetString("full_name"); } }
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

    /// <summary>A call's state changed (<c>InboundCall</c>: ALERTING, ACTIVE, HELD, DROP, ...).</summary>
    public sealed class CallEvent : CallUpdateEvent
    {
        internal CallEvent(GcEventKind kind, string json) : base(kind, json) { }

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
        /// <summary>The caller's number.</summary>
        public string FromAddress { get { return GetString("from_address"); } }
        /// <summary>The call variables, in order.</summary>
        public IReadOnlyList<string> CallVariables { get { return GetStrings("call_variables"); } }
        /// <summary>Finesse's call type (ACD_IN, OUT, ...).</summary>
        public string CallType { get { return GetString("call_type"); } }
        /// <summary>When the call started; null when absent or unreadable.</summary>
        public DateTimeOffset? StartTime { get { return GcTime.Parse(StartTimeText); } }
        /// <summary>When the call started, as GC sent it.</summary>
        public string StartTimeText { get { return GetString("start_time"); } }
        /// <summary>The participants' numbers.</summary>
        public IReadOnlyList<string> Participants { get { return GetStrings("participants"); } }
    }

    /// <summary>A new call for the agent (<c>NewInboundCall</c> or <c>NewOutboundPreviewCall</c>).</summary>
    public sealed class NewCallEvent : GcEvent
    {
        internal NewCallEvent(GcEventKind kind, string json) : base(kind, json) { }

        /// <summary>Whether this is an outbound preview call.</summary>
        public bool IsOutboundPreview { get { return Kind == GcEventKind.NewOutboundPreviewCall; } }
        /// <summary>The dialog (call) id.</summary>
        public string DialogId { get { return GetString("dialog_id"); } }
        /// <summary>The caller's number.</summary>
        public string FromAddress { get { return GetString("from_address"); } }
        /// <summary>The call variables, in order.</summary>
        public IReadOnlyList<string> CallVariables { get { return GetStrings("call_variables"); } }
        /// <summary>Finesse's call type (ACD_IN, OUT, ...).</summary>
        public string CallType { get { return GetString("call_type"); } }
        /// <summary>When the call started; null when absent or unreadable.</summary>
        public DateTimeOffset? StartTime { get { return GcTime.Parse(StartTimeText); } }
        /// <summary>When the call started, as GC sent it.</summary>
        public string StartTimeText { get { return GetString("start_time"); } }
    }

    /// <summary>An inbound call failed before the agent got it.</summary>
    public sealed class CallFailedEvent : GcEvent
    {
        internal CallFailedEvent(GcEventKind kind, string json) : base(kind, json) { }

        /// <summary>The dialog (call) id.</summary>
        public string DialogId { get { return GetString("dialog_id"); } }
        /// <summary>Why the call failed.</summary>
        public string Cause { get { return GetString("cause"); } }
    }

    /// <summary>A dialog's state (<c>DialogState</c>).</summary>
    public sealed class DialogStateEvent : CallUpdateEvent
    {
        internal DialogStateEvent(GcEventKind kind, string json) : base(kind, json) { }
    }

    /// <summary>A consult call's state.</summary>
    public sealed class ConsultCallEvent : CallUpdateEvent
    {
        internal ConsultCallEvent(GcEventKind kind, string json) : base(kind, json) { }
        /// <summary>The dialog the consult call belongs to.</summary>
        public string AssociatedDialogId { get { return GetString("associated_dialog_id"); } }
        /// <summary>The caller's number.</summary>
        public string FromAddress { get { return GetString("from_address"); } }
        /// <summary>The call variables, in order.</summary>
        public IReadOnlyList<string> CallVariables { get { return GetStrings("call_variables"); } }
        /// <summary>The consulted agent's name.</summary>
        public string AgentName { get { return GetString("agent_name"); } }
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

    /// <summary>The reason codes of one category (NOT_READY, LOGOUT, WRAP_UP, ...).</summary>
    public sealed class ReasonCodesEvent : GcEvent
    {
        internal ReasonCodesEvent(GcEventKind kind, string json) : base(kind, json) { }

        /// <summary>The category (NOT_READY, LOGOUT, WRAP_UP, ...).</summary>
        public string Category { get { return GetString("category"); } }

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

    /// <summary>A message for the desktop's status bar (<c>Control#PrintStatusBar</c>).</summary>
    public sealed class StatusBarEvent : GcEvent
    {
        internal StatusBarEvent(GcEventKind kind, string json) : base(kind, json) { }

        /// <summary>The text to show.</summary>
        public string Message { get { return GetString("message"); } }
    }

    /// <summary>GC's Error event; also carried by <see cref="GcException.Error"/>.</summary>
    public sealed class ErrorEvent : GcEvent
    {
        internal ErrorEvent(GcEventKind kind, string json) : base(kind, json) { }

        /// <summary>GC's code: <c>WRONG_EXTENSION</c>, <c>SESSION_INVALIDATED</c>, ...</summary>
        public string Code { get { return GetString("code"); } }
        /// <summary>GC's details, in order.</summary>
        public IReadOnlyList<string> Details { get { return GetStrings("details"); } }
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
