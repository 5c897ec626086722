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
        public GcException(GcErrorCode errorCode, string message) : base(message)
        {
            ErrorCode = errorCode;
        }

        public GcException(GcErrorCode errorCode, string message, ErrorEvent error) : base(message)
        {
            ErrorCode = errorCode;
            Error = error;
        }

        protected GcException(System.Runtime.Serialization.SerializationInfo info, System.Runtime.Serialization.StreamingContext context)
            : base(info, context)
        {
            ErrorCode = (GcErrorCode)info.GetInt32("ErrorCode");
        }

        public override void GetObjectData(System.Runtime.Serialization.SerializationInfo info, System.Runtime.Serialization.StreamingContext context)
        {
            base.GetObjectData(info, context);
            info.AddValue("ErrorCode", (int)ErrorCode);
        }

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
