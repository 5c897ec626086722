using System;
using System.Threading;

namespace GenericConnector
{
    /// <summary>
    /// How to reach GC. Null / unset values take the library's defaults
    /// (docs/ffi.md). Settings beyond these are reachable with
    /// <see cref="FromToml"/> / <see cref="FromJson"/> (the Rust
    /// <c>Config</c> format).
    /// </summary>
    public sealed class GcConfig
    {
        /// <summary>Comma-separated broker URLs (<c>tcp://host:61613</c>, <c>ssl://host:61614</c>), tried in order. Required.</summary>
        public string Brokers { get; set; }
        /// <summary>The broker user (STOMP login), or null.</summary>
        public string BrokerLogin { get; set; }
        /// <summary>Never logged, never in <see cref="ToString"/>.</summary>
        public string BrokerPasscode { get; set; }
        /// <summary>GC's command queue; default <c>Connector1</c>.</summary>
        public string Queue { get; set; }
        /// <summary>This client's topic; default <c>gcclient.&lt;host&gt;.&lt;uuid&gt;</c>.</summary>
        public string Destination { get; set; }
        /// <summary>PEM file of CA certificates for <c>ssl://</c> brokers.</summary>
        public string TlsCaFile { get; set; }
        /// <summary>How long a command waits for GC's reply; default 10 s.</summary>
        public TimeSpan? RequestTimeout { get; set; }
        /// <summary>How long connecting waits for the first broker; default 10 s.</summary>
        public TimeSpan? ConnectTimeout { get; set; }
        /// <summary>JMS time-to-live of a command; default 10 s.</summary>
        public TimeSpan? CommandTtl { get; set; }
        /// <summary>Events buffered for the handlers before the oldest are dropped; default 4096.</summary>
        /// <exception cref="ArgumentOutOfRangeException">Set to less than 1.</exception>
        public int? EventBuffer
        {
            get { return eventBuffer; }
            set
            {
                if (value != null && value.Value < 1)
                    throw new ArgumentOutOfRangeException("value", value, "EventBuffer must be at least 1");
                eventBuffer = value;
            }
        }

        private int? eventBuffer;

        internal const int DefaultEventBuffer = 4096;

        /// <summary>
        /// Where events are raised. Null (the default): on the library's
        /// dispatcher thread, one event after another. A UI context
        /// (<c>SynchronizationContext.Current</c> on a WPF/WinForms thread, as
        /// in a USD hosted control): posted to it, in order.
        /// </summary>
        public SynchronizationContext SynchronizationContext { get; set; }

        internal string Toml { get; private set; }
        internal string JsonText { get; private set; }

        /// <summary>The full configuration as TOML text.</summary>
        public static GcConfig FromToml(string toml)
        {
            if (toml == null) throw new ArgumentNullException("toml");
            return new GcConfig { Toml = toml };
        }

        /// <summary>The full configuration as a JSON object.</summary>
        public static GcConfig FromJson(string json)
        {
            if (json == null) throw new ArgumentNullException("json");
            return new GcConfig { JsonText = json };
        }

        internal static uint Millis(TimeSpan? t, string name)
        {
            if (t == null) return 0;
            var ms = t.Value.TotalMilliseconds;
            if (ms < 1 || ms > uint.MaxValue)
                throw new ArgumentOutOfRangeException(name, t, "must be between 1 ms and 49 days");
            return (uint)Math.Ceiling(ms);
        }

        // `tcp://user:passcode@host`: the passcode of a broker URL.
        private static readonly System.Text.RegularExpressions.Regex UrlPasscode =
            new System.Text.RegularExpressions.Regex("(//[^/@:\\s,]+:)[^/@\\s,]*@");

        private static string RedactUrls(string brokers)
        {
            return brokers == null ? null : UrlPasscode.Replace(brokers, "$1***@");
        }

        /// <summary>A description without the passcode (in <see cref="BrokerPasscode"/> or a broker URL).</summary>
        public override string ToString()
        {
            if (Toml != null) return "GcConfig(TOML)";
            if (JsonText != null) return "GcConfig(JSON)";
            return "GcConfig(Brokers=" + RedactUrls(Brokers) + ", Queue=" + (Queue ?? "Connector1") +
                   ", BrokerLogin=" + BrokerLogin + (BrokerPasscode != null ? ", BrokerPasscode=***" : "") + ")";
        }
    }
}
