//! `docs/protocol.md` embeds tables generated from the code; this fails when
//! they drift. Regenerate with `GCCLIENT_BLESS=1 cargo test -p gcclient --test codec_docs`.

use std::path::PathBuf;

use gcclient::protocol::tables::{sections, splice, EVENT_FORMS};
use gcclient::protocol::{CommandKind, ErrorCode};

fn doc_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/protocol.md")
}

#[test]
fn protocol_md_matches_the_generated_tables() {
    let path = doc_path();
    let doc = std::fs::read_to_string(&path).expect("docs/protocol.md exists");
    let fresh = splice(&doc).unwrap_or_else(|e| panic!("docs/protocol.md: {e}"));
    if std::env::var("GCCLIENT_BLESS").as_deref() == Ok("1") {
        std::fs::write(&path, &fresh).unwrap();
        return;
    }
    if doc != fresh {
        let line = doc
            .lines()
            .zip(fresh.lines())
            .position(|(a, b)| a != b)
            .map_or(doc.lines().count().min(fresh.lines().count()), |i| i)
            + 1;
        panic!(
            "docs/protocol.md differs from the generated tables (first at line {line}); \
             run: GCCLIENT_BLESS=1 cargo test -p gcclient --test codec_docs"
        );
    }
}

#[test]
fn the_tables_cover_every_command_event_form_and_error_code() {
    let all: String = sections().into_iter().map(|(_, t)| t).collect();
    for kind in CommandKind::ALL {
        assert!(
            all.contains(&format!("| `{}` |", kind.api_name())),
            "{kind}"
        );
    }
    for f in EVENT_FORMS {
        assert!(
            all.contains(f.sample.replace('|', "\\|").as_str()),
            "{}",
            f.sample
        );
    }
    for code in ErrorCode::ALL {
        assert!(all.contains(&format!("| `{code}` |")), "{code}");
    }
}

#[test]
fn a_missing_marker_is_an_error_not_a_silent_gap() {
    let err = splice("# nothing here\n").unwrap_err();
    assert!(err.contains("BEGIN GENERATED: commands"), "{err}");
    let only_begin = "<!-- BEGIN GENERATED: commands -->\n";
    assert!(splice(only_begin)
        .unwrap_err()
        .contains("END GENERATED: commands"));
}

#[test]
fn splicing_is_idempotent() {
    let doc = std::fs::read_to_string(doc_path()).unwrap();
    let once = splice(&doc).unwrap();
    assert_eq!(splice(&once).unwrap(), once);
}
