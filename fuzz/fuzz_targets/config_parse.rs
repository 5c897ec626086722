//! Config files are written by hand: any text must give a config or a
//! clear error, never a panic, and a config that parses must be usable and
//! must not show its broker passcode in `Debug`.
#![no_main]

use gcclient::stomp::BrokerUrl;
use gcclient::Config;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Config::from_toml_str(text) {
        Err(e) => {
            let message = e.to_string();
            assert!(!message.is_empty());
        }
        Ok(cfg) => {
            cfg.validate().expect("a parsed config is valid");
            cfg.wire_names().expect("validated wire names");
            let _ = cfg.parse_options();

            // Debug shows the passcode as `***` and nothing else about it.
            let mut without = cfg.clone();
            let had_passcode = without.broker_passcode.take().is_some();
            let shown = format!("{cfg:?}");
            let expected = if had_passcode {
                format!("{without:?}").replacen(
                    "broker_passcode: None",
                    "broker_passcode: Some(\"***\")",
                    1,
                )
            } else {
                format!("{without:?}")
            };
            assert_eq!(shown, expected, "Debug leaks something of the passcode");

            // Without TLS (which reads files and the system trust store) the
            // transport settings follow from any valid config.
            let tls = cfg.tls_ca_file.is_some()
                || cfg
                    .brokers
                    .iter()
                    .any(|b| BrokerUrl::parse_list(b).map_or(true, |l| l.iter().any(|u| u.tls)));
            if !tls {
                cfg.transport_config()
                    .expect("a validated config has valid broker URLs");
            }
        }
    }
});
