//! The fuzzers' seed corpus (`fuzz/seeds/event_parse`) holds one file per
//! event form of the guide, taken from `EVENT_FORMS`; this keeps the two in
//! step. `GCCLIENT_WRITE_FUZZ_SEEDS=1` rewrites the seeds from the table.

use std::path::PathBuf;

use gcclient::protocol::tables::EVENT_FORMS;

fn seed_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz/seeds/event_parse")
}

fn file_name(i: usize, wire_type: &str, form: &str) -> String {
    let slug: String = format!("{wire_type}-{form}")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("form-{i:02}-{slug}.txt")
}

#[test]
fn every_event_form_of_the_guide_is_a_fuzz_seed() {
    let dir = seed_dir();
    let write = std::env::var_os("GCCLIENT_WRITE_FUZZ_SEEDS").is_some();
    if write {
        std::fs::create_dir_all(&dir).unwrap();
    }
    let mut missing = Vec::new();
    for (i, f) in EVENT_FORMS.iter().enumerate() {
        let path = dir.join(file_name(i, f.wire_type, f.form));
        if write {
            std::fs::write(&path, f.sample).unwrap();
        }
        match std::fs::read_to_string(&path) {
            Ok(s) if s == f.sample => {}
            _ => missing.push(path.display().to_string()),
        }
    }
    assert!(
        missing.is_empty(),
        "seeds out of date (run with GCCLIENT_WRITE_FUZZ_SEEDS=1): {missing:?}"
    );
}
