using System;
using GenericConnector.Native;

namespace GenericConnector
{
    /// <summary>
    /// A failure of the native library. <see cref="ErrorCode"/> says what
    /// kind; when GC itself refused a command (<see cref="GcErrorCode.Gc"/>),
    /// <see cref="Error"/> is GC's Error event and <see cref="GcCode"/> its code
    /// (<c>WRONG_EXTENSION</c>, <c>SESSION_INVALIDATED</c>, ...).
    /// </summary>
    [Serializable]
    public class GcException : Exception
    {
        /// <summary>A failure of unknown kind (<see cref="GcErrorCode.Internal"/>).</summary>
        public GcException() : this(GcErrorCode.Internal, "gcclient failed") { }

        /// <summary>A failure of unknown kind with a message.</summary>
        /// <param name="message">What went wrong.</param>
        public GcException(string message) : this(GcErrorCode.Internal, message) { }

        /// <summary>A failure of unknown kind caused by another exception.</summary>
        /// <param name="message">What went wrong.</param>
        /// <param name="innerException">The cause.</param>
        public GcException(string message, Exception innerException) : base(message, innerException)
        {
            ErrorCode = GcErrorCode.Internal;
        }

        /// <summary>A failure of the given kind.</summary>
        /// <param name="errorCode">What kind of failure.</param>
        /// <param name="message">What went wrong.</param>
        public GcException(GcErrorCode errorCode, string message) : base(message)
        {
            ErrorCode = errorCode;
        }

        /// <summary>A failure of the given kind caused by another exception.</summary>
        /// <param name="errorCode">What kind of failure.</param>
        /// <param name="message">What went wrong.</param>
        /// <param name="innerException">The cause.</param>
        public GcException(GcErrorCode errorCode, string message, Exception innerException) : base(message, innerException)
        {
            ErrorCode = errorCode;
        }

        /// <summary>GC's refusal of a command.</summary>
        /// <param name="errorCode">What kind of failure (<see cref="GcErrorCode.Gc"/> for a refusal).</param>
        /// <param name="message">What went wrong.</param>
        /// <param name="error">GC's Error event.</param>
        public GcException(GcErrorCode errorCode, string message, ErrorEvent error) : base(message)
        {
            ErrorCode = errorCode;
            Error = error;
        }

        /// <summary>Deserialises an exception (the Error event is not kept).</summary>
        /// <param name="info">The serialised data.</param>
        /// <param name="context">The source.</param>
        protected GcException(System.Runtime.Serialization.SerializationInfo info, System.Runtime.Serialization.StreamingContext context)
            : base(info, context)
        {
            ErrorCode = (GcErrorCode)info.GetInt32("ErrorCode");
        }

        /// <summary>Serialises the exception with its <see cref="ErrorCode"/>.</summary>
        /// <param name="info">The serialised data.</param>
        /// <param name="context">The destination.</param>
        public override void GetObjectData(System.Runtime.Serialization.SerializationInfo info, System.Runtime.Serialization.StreamingContext context)
        {
            base.GetObjectData(info, context);
            info.AddValue("ErrorCode", (int)ErrorCode);
        }

        /// <summary>What kind of failure this is.</summary>
        public GcErrorCode ErrorCode { get; private set; }

        [NonSerialized] private ErrorEvent error;

        /// <summary>GC's Error event when <see cref="ErrorCode"/> is <see cref="GcErrorCode.Gc"/>.</summary>
        public ErrorEvent Error { get { return error; } private set { error = value; } }

        /// <summary>GC's error code (<c>WRONG_EXTENSION</c>, ...) or null.</summary>
        public string GcCode { get { return Error == null ? null : Error.Code; } }

        /// <summary>Builds the exception for a failed call, reading gc_last_error
        /// (so it must run on the thread that made the call, right after it).</summary>
        internal static GcException FromNative(GcErrorCode code, string what)
        {
            var detail = Utf8.LastError();
            var message = string.IsNullOrEmpty(detail) ? what + ": " + code : what + ": " + detail;
            return new GcException(code, message);
        }
    }
}
