//! The interactive terminal: raw-mode keys and SDK notifications feed the
//! [`Model`]; its actions run as tasks so the screen never waits for GC.

use std::time::{SystemTime, UNIX_EPOCH};

use crossterm::event::{
    Event as TermEvent, EventStream, KeyCode, KeyEvent, KeyEventKind, KeyModifiers,
};
use futures::StreamExt;
use gcclient::{Agent, Client, Event, EventReceiver, Notification};
use tokio::sync::mpsc;

use super::action::{perform, Action, LoginDetails};
use super::model::{Key, Model};
use super::view;

type Done = (Action, Result<Option<Event>, String>);

/// Wall-clock time of day (UTC) for the event log.
pub fn clock() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    format!(
        "{:02}:{:02}:{:02}",
        secs / 3600 % 24,
        secs / 60 % 60,
        secs % 60
    )
}

pub fn key_of(k: &KeyEvent) -> Option<Key> {
    if k.kind == KeyEventKind::Release {
        return None;
    }
    if k.modifiers.contains(KeyModifiers::CONTROL) {
        return matches!(k.code, KeyCode::Char('c') | KeyCode::Char('d')).then_some(Key::Interrupt);
    }
    Some(match k.code {
        KeyCode::Char(c) => Key::Char(c),
        KeyCode::Enter => Key::Enter,
        KeyCode::Esc => Key::Esc,
        KeyCode::Tab => Key::Tab,
        KeyCode::BackTab => Key::BackTab,
        KeyCode::Up => Key::Up,
        KeyCode::Down => Key::Down,
        KeyCode::Backspace => Key::Backspace,
        _ => return None,
    })
}

fn spawn(agent: &Agent, login: &LoginDetails, tx: &mpsc::UnboundedSender<Done>, action: Action) {
    let (agent, login, tx) = (agent.clone(), login.clone(), tx.clone());
    tokio::spawn(async move {
        let outcome = perform(&agent, &action, &login)
            .await
            .map_err(|e| e.to_string());
        let _ = tx.send((action, outcome));
    });
}

pub async fn run(
    client: &Client,
    agent: Agent,
    mut events: EventReceiver,
    login: LoginDetails,
    auto_login: bool,
) -> anyhow::Result<()> {
    let mut model = Model::new(agent.id());
    let (tx, mut done) = mpsc::unbounded_channel::<Done>();
    let mut keys = EventStream::new();
    // Restores the terminal on panic too.
    let mut terminal = ratatui::init();
    model.login_when_in_service = auto_login;
    // The status may have settled before the subscription saw it change.
    let status = Notification::Status {
        status: client.status(),
        detail: None,
    };
    for action in model.apply(&status, &clock()) {
        if let Some(a) = model.request(action) {
            spawn(&agent, &login, &tx, a);
        }
    }
    let result: anyhow::Result<()> = async {
        loop {
            terminal.draw(|f| view::draw(f, &model))?;
            if model.quit {
                return Ok(());
            }
            // Key actions are recorded by `on_key`; follow-ups still need it.
            let (ready, follow) = tokio::select! {
                k = keys.next() => match k {
                    Some(Ok(TermEvent::Key(k))) => {
                        (key_of(&k).and_then(|key| model.on_key(key)), Vec::new())
                    }
                    Some(Ok(_)) => (None, Vec::new()),
                    Some(Err(e)) => return Err(e.into()),
                    None => return Ok(()),
                },
                n = events.recv() => match n {
                    Some(n) => (None, model.apply(&n, &clock())),
                    // The client is closed: nothing more will happen.
                    None => return Ok(()),
                },
                Some((action, outcome)) = done.recv() => {
                    (None, model.finished(&action, &outcome, &clock()))
                }
            };
            let follow = follow.into_iter().filter_map(|a| model.request(a));
            for action in ready.into_iter().chain(follow.collect::<Vec<_>>()) {
                spawn(&agent, &login, &tx, action);
            }
        }
    }
    .await;
    ratatui::restore();
    result
}
