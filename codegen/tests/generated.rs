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
