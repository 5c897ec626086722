//! What an id (agent id, client destination) may hold, checked in one
//! place so the core, the C ABI and every binding refuse the same ids.

/// Why `id` cannot be an agent id or destination, or `Ok`.
///
/// Refused: empty; GC's delimiters `#`, `,` and `|`; control characters
/// (NUL, end-of-lines, tabs: they break the STOMP header the id travels in,
/// or make two ids look alike in logs); and blanks at either end (GC
/// compares ids exactly, so `" 1001"` would be a different agent than
/// `"1001"` to the client but not to a person reading it).
pub fn check_id(id: &str) -> Result<(), &'static str> {
    if id.is_empty() {
        return Err("must not be empty");
    }
    if id.contains(['#', ',', '|']) {
        return Err("must not contain `#`, `,` or `|` (protocol delimiters)");
    }
    if id.chars().any(char::is_control) {
        return Err("must not contain control characters (NUL, end-of-line, tab, ...)");
    }
    if id.starts_with(char::is_whitespace) || id.ends_with(char::is_whitespace) {
        return Err("must not start or end with blanks");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_checked() {
        for ok in ["1001", "agent.one", "Łódź-7", "a b"] {
            assert_eq!(check_id(ok), Ok(()), "{ok}");
        }
        for bad in [
            "", "a|b", "a#b", "a,b", "a\nb", "a\0", "\t1001", " 1001", "1001 ", "a\u{7f}",
        ] {
            assert!(check_id(bad).is_err(), "{bad:?}");
        }
    }
}
