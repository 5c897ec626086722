using System;
using System.Runtime.InteropServices;
using System.Text;

namespace GenericConnector.Native
{
    /// <summary>UTF-8 both ways across the C ABI.</summary>
    internal static class Utf8
    {
        private static readonly UTF8Encoding Strict = new UTF8Encoding(false, true);

        internal delegate GcErrorCode Reader(byte[] buf, UIntPtr len, out UIntPtr outLen);

        // One buffer per thread: the callback runs on one dispatcher thread per
        // client and reuses it, so reading an event allocates only its string.
        [ThreadStatic] private static byte[] buffer;

        /// <summary>NUL-terminated UTF-8, or null for null.</summary>
        internal static byte[] Encode(string s)
        {
            if (s == null) return null;
            // An embedded NUL would silently cut the string short in C.
            if (s.IndexOf('\0') >= 0) throw new ArgumentException("text contains a NUL character");
            var bytes = new byte[Strict.GetByteCount(s) + 1];
            Strict.GetBytes(s, 0, s.Length, bytes, 0);
            return bytes;
        }

        internal static IntPtr Alloc(string s)
        {
            var bytes = Encode(s);
            if (bytes == null) return IntPtr.Zero;
            var p = Marshal.AllocHGlobal(bytes.Length);
            Marshal.Copy(bytes, 0, p, bytes.Length);
            return p;
        }

        internal static byte[] Buffer(int atLeast)
        {
            var b = buffer;
            if (b == null || b.Length < atLeast)
            {
                b = new byte[Math.Max(atLeast, 4096)];
                buffer = b;
            }
            return b;
        }

        internal static string Decode(byte[] buf, int len)
        {
            return Strict.GetString(buf, 0, len);
        }

        /// <summary>
        /// Calls a <c>(buf, len, out_len)</c> function, growing the buffer
        /// when it answers <c>GC_ERR_BUFFER_TOO_SMALL</c>.
        /// </summary>
        internal static GcErrorCode Read(Reader read, out string value)
        {
            return Read(CallReader, read, out value);
        }

        private static readonly Reader<Reader> CallReader = (Reader r, byte[] b, UIntPtr l, out UIntPtr o) => r(b, l, out o);

        internal delegate GcErrorCode Reader<T>(T arg, byte[] buf, UIntPtr len, out UIntPtr outLen);

        /// <summary>
        /// The same for a <c>(arg, buf, len, out_len)</c> function: held in a
        /// static delegate, a read on a hot path (every event) allocates only
        /// its string, where a lambda over the argument would allocate per call.
        /// </summary>
        internal static GcErrorCode Read<T>(Reader<T> read, T arg, out string value)
        {
            var buf = Buffer(0);
            UIntPtr n;
            var st = read(arg, buf, (UIntPtr)buf.Length, out n);
            if (st == GcErrorCode.BufferTooSmall)
            {
                buf = Buffer(checked((int)n.ToUInt64() + 1));
                st = read(arg, buf, (UIntPtr)buf.Length, out n);
            }
            value = st == GcErrorCode.Ok ? Decode(buf, (int)n.ToUInt64()) : null;
            return st;
        }

        internal static string ReadOrThrow(Reader read, string what)
        {
            string value;
            var st = Read(read, out value);
            if (st != GcErrorCode.Ok) throw GcException.FromNative(st, what);
            return value;
        }

        /// <summary>A NUL-terminated UTF-8 string lent by the library for one call.</summary>
        internal static string FromNative(IntPtr p)
        {
            if (p == IntPtr.Zero) return null;
            int len = 0;
            while (Marshal.ReadByte(p, len) != 0) len++;
            var bytes = new byte[len];
            Marshal.Copy(p, bytes, 0, len);
            // Lenient: a log line is never worth an exception.
            return Encoding.UTF8.GetString(bytes);
        }

        /// <summary>The calling thread's last error message (gc_last_error).</summary>
        internal static string LastError()
        {
            var buf = new byte[1024];
            UIntPtr n;
            if (NativeMethods.gc_last_error(buf, (UIntPtr)buf.Length, out n) == GcErrorCode.BufferTooSmall)
            {
                buf = new byte[(int)n.ToUInt64() + 1];
                NativeMethods.gc_last_error(buf, (UIntPtr)buf.Length, out n);
            }
            int len = (int)Math.Min(n.ToUInt64(), (ulong)buf.Length);
            return Encoding.UTF8.GetString(buf, 0, len);
        }
    }
}
