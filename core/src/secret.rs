use std::fmt;

/// A password. `Debug` and `Display` never show it, and serde never writes it,
/// so it cannot leak through logs, error messages or JSON events.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself, for the one place that must put it on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Secret(s.to_owned())
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Secret(s)
    }
}

impl serde::Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str("***")
    }
}

/// How a [`Secret`] crosses the uniffi boundary (a custom type): as an
/// opaque object, so foreign code holds a handle, never the text, and
/// printing a config that carries one shows nothing of it.
#[cfg(feature = "uniffi")]
#[derive(uniffi::Object)]
pub struct SecretHandle(Secret);

#[cfg(feature = "uniffi")]
#[uniffi::export]
impl SecretHandle {
    #[uniffi::constructor]
    pub fn new(value: String) -> std::sync::Arc<Self> {
        std::sync::Arc::new(SecretHandle(Secret(value)))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(feature = "uniffi")]
impl fmt::Debug for SecretHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(feature = "uniffi")]
uniffi::custom_type!(Secret, std::sync::Arc<SecretHandle>, {
    lower: |s| std::sync::Arc::new(SecretHandle(s)),
    try_lift: |h| Ok(h.0.clone()),
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_shows_the_value() {
        let s = Secret::new("hunter2");
        assert!(!format!("{s:?} {s}").contains("hunter2"));
        assert!(!serde_json::to_string(&s).unwrap().contains("hunter2"));
        assert_eq!(s.expose(), "hunter2");
    }
}
