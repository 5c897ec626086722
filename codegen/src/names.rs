//! One name, each language's casing: `make_call`, `makeCall`, `MakeCall`.

pub fn camel(snake: &str) -> String {
    let pascal = pascal(snake);
    let mut chars = pascal.chars();
    match chars.next() {
        Some(c) => c.to_ascii_lowercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

pub fn pascal(snake: &str) -> String {
    snake
        .split('_')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

pub fn upper(snake: &str) -> String {
    snake.to_ascii_uppercase()
}

/// The snake_case of a CamelCase name (`TeamInfoIds` -> `team_info_ids`).
#[cfg(test)]
pub fn snake(camel: &str) -> String {
    let mut out = String::new();
    for (i, c) in camel.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use gcclient::protocol::event_kinds::EVENT_KINDS;
    use gcclient::protocol::tables::EVENT_FORMS;
    use gcclient::protocol::{Event, ParseOptions};

    /// Every binding names an event kind's classes after `pascal(kind)`
    /// (Python's `AgentStateEvent` and `e.AgentStateData`, C#'s kinds),
    /// while uniffi names the variant after the Rust one: a row whose kind
    /// is not the snake_case of its variant would give classes that do not
    /// exist. Fails for such a row (or a kind that does not round-trip).
    #[test]
    fn every_event_kind_is_the_snake_case_of_its_variant() {
        for k in EVENT_KINDS {
            assert_eq!(
                super::snake(&super::pascal(k.name)),
                k.name,
                "odd kind name `{}`",
                k.name
            );
        }
        let titled = ParseOptions {
            callback_message_titles: vec!["Callback due".to_owned()],
            ..ParseOptions::default()
        };
        let mut seen = std::collections::BTreeSet::new();
        for form in EVENT_FORMS {
            let e = Event::parse_with(form.sample, &titled);
            let debug = format!("{:?}", e.data);
            let variant: String = debug
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            assert_eq!(super::pascal(e.kind_name()), variant, "{}", form.sample);
            seen.insert(e.kind_name());
        }
        for k in EVENT_KINDS.iter().filter(|k| k.from_gc) {
            assert!(
                seen.contains(k.name),
                "no EVENT_FORMS sample parses to `{}`",
                k.name
            );
        }
    }

    #[test]
    fn casings() {
        assert_eq!(super::camel("make_call"), "makeCall");
        assert_eq!(super::pascal("make_call"), "MakeCall");
        assert_eq!(super::upper("re_login"), "RE_LOGIN");
    }
}
