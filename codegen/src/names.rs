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

#[cfg(test)]
mod tests {
    #[test]
    fn casings() {
        assert_eq!(super::camel("make_call"), "makeCall");
        assert_eq!(super::pascal("make_call"), "MakeCall");
        assert_eq!(super::upper("re_login"), "RE_LOGIN");
    }
}
