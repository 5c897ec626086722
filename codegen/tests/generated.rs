//! The generated files are checked in; this test fails when one is stale.
//! `GCCLIENT_BLESS=1 cargo test -p gcclient-codegen` rewrites them (then
//! re-bless the C header: `GCCLIENT_BLESS=1 cargo test -p gcclient-ffi --test header`).

use std::path::PathBuf;

#[test]
fn generated_files_are_up_to_date() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let bless = std::env::var_os("GCCLIENT_BLESS").is_some();
    let mut stale = Vec::new();
    for (path, text) in gcclient_codegen::outputs() {
        let file = root.join(path);
        if bless {
            std::fs::create_dir_all(file.parent().expect("a parent")).expect("mkdir");
            std::fs::write(&file, &text).unwrap_or_else(|e| panic!("write {path}: {e}"));
        } else if std::fs::read_to_string(&file).ok().as_deref() != Some(text.as_str()) {
            stale.push(path);
        }
    }
    assert!(
        stale.is_empty(),
        "stale generated files {stale:?}: run `GCCLIENT_BLESS=1 cargo test -p gcclient-codegen`"
    );
}

/// `name = number` pairs of an enum as it is written in a C or C# file.
fn enum_values(text: &str, open: &str) -> Vec<(String, u32)> {
    let start = text
        .find(open)
        .unwrap_or_else(|| panic!("`{open}` not found"));
    let body = &text[start..];
    let body = &body[..body.find('}').expect("end of the enum")];
    body.lines()
        .filter_map(|line| {
            let line = line.trim().trim_end_matches(',');
            let (name, value) = line.split_once(" = ")?;
            Some((name.trim().to_owned(), value.trim().parse().ok()?))
        })
        .collect()
}

/// The header's `gc_event_kind` and C#'s `GcEventKind` (both checked in)
/// hold the same kinds with the same numbers as core's event-kind table.
#[test]
fn event_kinds_agree_in_the_header_and_in_csharp() {
    use gcclient::protocol::event_kinds::EVENT_KINDS;
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let header = std::fs::read_to_string(root.join("include/gcclient.h")).expect("header");
    let cs = std::fs::read_to_string(root.join("bindings/dotnet/src/Generated/GcEventKind.g.cs"))
        .expect("GcEventKind.g.cs");
    let c = enum_values(&header, "enum gc_event_kind {");
    let cs = enum_values(&cs, "public enum GcEventKind");
    assert_eq!(c.len(), EVENT_KINDS.len(), "header: {c:?}");
    assert_eq!(cs.len(), EVENT_KINDS.len(), "C#: {cs:?}");
    for ((k, (c_name, c_num)), (cs_name, cs_num)) in EVENT_KINDS.iter().zip(&c).zip(&cs) {
        assert_eq!(*c_name, format!("GC_EVENT_{}", k.name.to_ascii_uppercase()));
        assert_eq!((*c_num, *cs_num), (k.number, k.number), "{}", k.name);
        assert_eq!(
            cs_name.to_ascii_lowercase(),
            k.cls_name
                .unwrap_or(k.name)
                .replace('_', "")
                .to_ascii_lowercase()
        );
    }
}
