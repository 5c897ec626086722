using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace GenericConnector
{
    /// <summary>
    /// A small reader for the JSON the native library produces
    /// (<c>gc_event_to_json</c>). .NET Framework 4.6.2 and netstandard2.0
    /// share no dynamic JSON API, and a package dependency would be one more
    /// assembly for a USD deployment to ship, so the binding reads its own.
    /// Objects become <see cref="Dictionary{TKey,TValue}"/> of string to
    /// object, arrays <see cref="List{T}"/> of object, numbers
    /// <see cref="long"/> or <see cref="double"/>, plus string, bool, null.
    /// </summary>
    internal sealed class Json
    {
        private readonly string text;
        private int pos;

        private Json(string text)
        {
            this.text = text;
        }

        public static object Parse(string text)
        {
            if (text == null) throw new ArgumentNullException("text");
            var reader = new Json(text);
            var value = reader.Value();
            reader.SkipSpace();
            if (reader.pos != text.Length) throw reader.Fail("trailing characters");
            return value;
        }

        private FormatException Fail(string what)
        {
            return new FormatException(string.Format(CultureInfo.InvariantCulture, "invalid JSON at {0}: {1}", pos, what));
        }

        private void SkipSpace()
        {
            while (pos < text.Length && (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\n' || text[pos] == '\r')) pos++;
        }

        private char Peek()
        {
            SkipSpace();
            if (pos >= text.Length) throw Fail("unexpected end");
            return text[pos];
        }

        private void Expect(string word)
        {
            if (string.CompareOrdinal(text, pos, word, 0, word.Length) != 0) throw Fail("expected " + word);
            pos += word.Length;
        }

        private object Value()
        {
            switch (Peek())
            {
                case '{': return Object();
                case '[': return Array();
                case '"': return String();
                case 't': Expect("true"); return true;
                case 'f': Expect("false"); return false;
                case 'n': Expect("null"); return null;
                default: return Number();
            }
        }

        private Dictionary<string, object> Object()
        {
            var result = new Dictionary<string, object>(StringComparer.Ordinal);
            pos++;
            if (Peek() == '}') { pos++; return result; }
            while (true)
            {
                if (Peek() != '"') throw Fail("expected a key");
                var key = String();
                if (Peek() != ':') throw Fail("expected ':'");
                pos++;
                result[key] = Value();
                var c = Peek();
                pos++;
                if (c == '}') return result;
                if (c != ',') throw Fail("expected ',' or '}'");
            }
        }

        private List<object> Array()
        {
            var result = new List<object>();
            pos++;
            if (Peek() == ']') { pos++; return result; }
            while (true)
            {
                result.Add(Value());
                var c = Peek();
                pos++;
                if (c == ']') return result;
                if (c != ',') throw Fail("expected ',' or ']'");
            }
        }

        private string String()
        {
            pos++; // opening quote
            StringBuilder sb = null;
            int start = pos;
            while (true)
            {
                if (pos >= text.Length) throw Fail("unterminated string");
                char c = text[pos];
                if (c == '"')
                {
                    string tail = text.Substring(start, pos - start);
                    pos++;
                    return sb == null ? tail : sb.Append(tail).ToString();
                }
                if (c != '\\') { pos++; continue; }
                if (sb == null) sb = new StringBuilder();
                sb.Append(text, start, pos - start);
                if (pos + 1 >= text.Length) throw Fail("bad escape");
                char e = text[pos + 1];
                pos += 2;
                switch (e)
                {
                    case '"': sb.Append('"'); break;
                    case '\\': sb.Append('\\'); break;
                    case '/': sb.Append('/'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'n': sb.Append('\n'); break;
                    case 'r': sb.Append('\r'); break;
                    case 't': sb.Append('\t'); break;
                    case 'u':
                        if (pos + 4 > text.Length) throw Fail("bad \\u escape");
                        sb.Append((char)int.Parse(text.Substring(pos, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                        pos += 4;
                        break;
                    default: throw Fail("bad escape");
                }
                start = pos;
            }
        }

        private object Number()
        {
            int start = pos;
            bool integral = true;
            while (pos < text.Length)
            {
                char c = text[pos];
                if (c >= '0' && c <= '9' || c == '-' || c == '+') { pos++; continue; }
                if (c == '.' || c == 'e' || c == 'E') { integral = false; pos++; continue; }
                break;
            }
            if (start == pos) throw Fail("unexpected character");
            var s = text.Substring(start, pos - start);
            long l;
            if (integral && long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out l)) return l;
            double d;
            if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out d)) return d;
            throw Fail("bad number");
        }
    }
}
