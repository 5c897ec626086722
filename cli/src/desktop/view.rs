//! Draws a [`Model`]; no state of its own, so any backend (the terminal, or
//! ratatui's `TestBackend` in tests) shows the same screen.

use gcclient::protocol::AgentState;
use gcclient::ConnectionStatus;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::{Color, Modifier, Style, Stylize};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Clear, List, ListItem, ListState, Paragraph, Wrap};
use ratatui::Frame;

use super::action::SYNTAX;
use super::model::{Model, Overlay};

/// Most used first: narrow terminals cut the end off.
const KEYS: &str = "? keys  q quit  r ready  n not-ready  a answer  x release  h hold  \
c consult  t transfer  f conf  u wrap-up  v var  d dial  : command";

const HELP: &str = "\
Agent
  l login            L logout (reason)     r ready          n not ready (reason)
  w work ready       s refresh state
Calls (Tab/Up/Down select the call)
  a answer           x release             h hold / retrieve
  c consult EXT      t transfer EXT        b blind transfer EXT
  f conference EXT   u wrap-up (reason)    v set call variable NAME=VALUE
  d dial NUMBER
Supervisor
  T team members     Q queue statistics    m silent monitor EXT
  g barge in EXT     e end silent monitor
Anything else: press : and type a command:";

pub fn draw(frame: &mut Frame, m: &Model) {
    let banner = u16::from(m.alerting().is_some()) * 3;
    let [header, banner_area, middle, status, log, footer] = Layout::vertical([
        Constraint::Length(4),
        Constraint::Length(banner),
        Constraint::Min(6),
        Constraint::Length(3),
        Constraint::Percentage(35),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    draw_header(frame, header, m);
    if banner > 0 {
        draw_banner(frame, banner_area, m);
    }
    let [calls, side] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(middle);
    draw_calls(frame, calls, m);
    draw_side(frame, side, m);
    draw_status(frame, status, m);
    draw_log(frame, log, m);
    frame.render_widget(Paragraph::new(KEYS).style(Style::new().dim()), footer);
    match &m.overlay {
        Overlay::None => {}
        Overlay::Help => draw_help(frame),
        Overlay::Picker(p) => {
            let area = popup(frame.area(), 44, p.items.len() as u16 + 2);
            let items: Vec<ListItem> = p
                .items
                .iter()
                .map(|(l, _)| ListItem::new(l.as_str()))
                .collect();
            let list = List::new(items)
                .block(Block::bordered().title(format!(" {} (Enter, Esc) ", p.title)))
                .highlight_style(Style::new().reversed())
                .highlight_symbol("> ");
            let mut state = ListState::default().with_selected(Some(p.selected));
            frame.render_widget(Clear, area);
            frame.render_stateful_widget(list, area, &mut state);
        }
        Overlay::Prompt(p) => {
            let area = popup(frame.area(), 60, 3);
            frame.render_widget(Clear, area);
            frame.render_widget(
                Paragraph::new(format!("{}_", p.input))
                    .block(Block::bordered().title(format!(" {} (Enter, Esc) ", p.title()))),
                area,
            );
        }
    }
}

fn state_color(state: &str) -> Color {
    match state {
        "READY" => Color::Green,
        "TALKING" | "ACTIVE" => Color::Cyan,
        "NOT_READY" | "LOGOUT" => Color::Red,
        "HOLD" | "HELD" | "ALERTING" | "RESERVED" => Color::Yellow,
        _ => Color::Magenta,
    }
}

fn connection_color(s: ConnectionStatus) -> Color {
    match s {
        ConnectionStatus::InService => Color::Green,
        ConnectionStatus::Connecting | ConnectionStatus::WaitingForGc => Color::Yellow,
        _ => Color::Red,
    }
}

fn draw_header(frame: &mut Frame, area: Rect, m: &Model) {
    let name = m
        .agent
        .info
        .as_ref()
        .map(|i| {
            format!("{} {}", i.first_name, i.last_name)
                .trim()
                .to_owned()
        })
        .filter(|n| !n.is_empty())
        .map(|n| format!(" ({n})"))
        .unwrap_or_default();
    let role = if m.is_supervisor() { " supervisor" } else { "" };
    let ext = if m.agent.extension.is_empty() {
        String::new()
    } else {
        format!(" ext {}", m.agent.extension)
    };
    let title = format!(" gcclient agent {}{name}{ext}{role} ", m.agent_id);
    let mut conn = vec![
        Span::raw("GC: "),
        Span::styled(
            m.connection.as_str(),
            Style::new().fg(connection_color(m.connection)).bold(),
        ),
    ];
    if let Some(d) = &m.connection_detail {
        conn.push(Span::raw(format!(" ({d})")));
    }
    if !m.in_flight.is_empty() {
        conn.push(Span::raw(format!("   waiting for: {}", m.in_flight.join(", "))).italic());
    }
    let state = m.agent.state.map(AgentState::as_str).unwrap_or("-");
    let mut agent_line = vec![
        Span::raw("State: "),
        Span::styled(state, Style::new().fg(state_color(state)).bold()),
    ];
    if !m.agent.reason_label.is_empty() {
        agent_line.push(Span::raw(format!("  reason: {}", m.agent.reason_label)));
    }
    if let Some(p) = m.agent.pending_state {
        agent_line.push(Span::raw(format!("  pending: {p}")));
    }
    if !m.is_logged_in() && m.in_flight.is_empty() {
        agent_line.push(Span::raw("   (l: log in)").dim());
    }
    frame.render_widget(
        Paragraph::new(vec![Line::from(conn), Line::from(agent_line)])
            .block(Block::bordered().title(title.bold())),
        area,
    );
}

fn draw_banner(frame: &mut Frame, area: Rect, m: &Model) {
    let Some(call) = m.alerting() else { return };
    let mut text = format!(" INCOMING CALL from {}", call.from_address);
    if let Some(t) = &call.call_type {
        text.push_str(&format!(" ({t})"));
    }
    let vars = variables(&call.call_variables);
    if !vars.is_empty() {
        text.push_str(&format!("  vars: {vars}"));
    }
    text.push_str("   [a] answer");
    frame.render_widget(
        Paragraph::new(text)
            .style(
                Style::new()
                    .fg(Color::Black)
                    .bg(Color::Yellow)
                    .add_modifier(Modifier::BOLD),
            )
            .block(Block::bordered()),
        area,
    );
}

/// Call variables arrive by position (GC sends values only): `1=VIP 2=gold`,
/// empty ones left out.
fn variables(values: &[String]) -> String {
    values
        .iter()
        .enumerate()
        .filter(|(_, v)| !v.is_empty())
        .map(|(i, v)| format!("{}={v}", i + 1))
        .collect::<Vec<_>>()
        .join(" ")
}

fn draw_calls(frame: &mut Frame, area: Rect, m: &Model) {
    let current = m.current_dialog().map(|d| d.dialog_id.clone());
    let mut lines: Vec<Line> = Vec::new();
    for d in m.dialogs() {
        let mark = if Some(&d.dialog_id) == current.as_ref() {
            "> "
        } else {
            "  "
        };
        lines.push(Line::from(vec![
            Span::raw(mark),
            Span::raw(format!("{} ", d.dialog_id)).bold(),
            Span::styled(
                d.state.clone(),
                Style::new().fg(state_color(&d.state.to_ascii_uppercase())),
            ),
            Span::raw(format!(
                "  {}{}",
                d.from_address,
                d.call_type
                    .as_ref()
                    .map(|t| format!(" {t}"))
                    .unwrap_or_default()
            )),
        ]));
        let vars = variables(&d.call_variables);
        if !vars.is_empty() {
            lines.push(Line::raw(format!("    vars: {vars}")));
        }
    }
    if lines.is_empty() {
        lines.push(Line::raw("no calls").dim());
    }
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(" Calls ")),
        area,
    );
}

fn draw_side(frame: &mut Frame, area: Rect, m: &Model) {
    let mut lines: Vec<Line> = Vec::new();
    let title;
    if m.is_supervisor() {
        title = " Team / Queues ";
        for t in m.team.values() {
            lines.push(Line::from(vec![
                Span::raw(format!("{} {:<14} {} ", t.login_id, t.name, t.extension)),
                Span::styled(t.state.clone(), Style::new().fg(state_color(&t.state))),
            ]));
        }
        if m.team.is_empty() {
            lines.push(Line::raw("no team members yet (T)").dim());
        }
        for q in &m.queues {
            let stats: Vec<String> = q
                .stats
                .iter()
                .take(3)
                .map(|kv| format!("{}={}", kv.key, kv.value))
                .collect();
            lines.push(Line::raw(format!("Q {}: {}", q.name, stats.join(" "))));
        }
    } else {
        title = " Reason codes ";
        let codes: Vec<String> = m
            .agent
            .not_ready_reasons
            .iter()
            .map(|c| format!("{} {}", c.code, c.label))
            .collect();
        if codes.is_empty() {
            lines.push(Line::raw("none loaded").dim());
        } else {
            lines.push(Line::raw(format!("not ready: {}", codes.join(", "))));
        }
        let wrap: Vec<&str> = m
            .agent
            .wrap_up_reasons
            .iter()
            .map(|c| c.label.as_str())
            .collect();
        if !wrap.is_empty() {
            lines.push(Line::raw(format!("wrap-up: {}", wrap.join(", "))));
        }
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .block(Block::bordered().title(title)),
        area,
    );
}

fn draw_status(frame: &mut Frame, area: Rect, m: &Model) {
    let line = match (&m.last_error, &m.status_message) {
        (Some(e), _) => Line::styled(format!("! {e}"), Style::new().fg(Color::Red).bold()),
        (None, Some(msg)) => Line::raw(msg.clone()),
        (None, None) => Line::raw(""),
    };
    frame.render_widget(
        Paragraph::new(line).block(Block::bordered().title(" Status bar ")),
        area,
    );
}

fn draw_log(frame: &mut Frame, area: Rect, m: &Model) {
    let rows = area.height.saturating_sub(2) as usize;
    let skip = m.log.len().saturating_sub(rows);
    let lines: Vec<Line> = m
        .log
        .iter()
        .skip(skip)
        .map(|l| {
            let style = if l.is_error {
                Style::new().fg(Color::Red)
            } else {
                Style::new()
            };
            Line::from(vec![
                Span::raw(format!("{} ", l.at)).dim(),
                Span::styled(l.text.clone(), style),
            ])
        })
        .collect();
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(" Events ")),
        area,
    );
}

fn draw_help(frame: &mut Frame) {
    let text = Text::from(format!("{HELP}\n{SYNTAX}\n\nany key closes this"));
    let area = popup(frame.area(), 96, text.height() as u16 + 2);
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(text).block(Block::bordered().title(" Keys ")),
        area,
    );
}

fn popup(area: Rect, width: u16, height: u16) -> Rect {
    let [v] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [h] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(v);
    h
}

#[cfg(test)]
mod tests {
    use gcclient::{Event, Notification};
    use ratatui::backend::TestBackend;
    use ratatui::Terminal;

    use super::super::model::Key;
    use super::*;

    fn screen(m: &Model) -> String {
        let mut t = Terminal::new(TestBackend::new(110, 32)).unwrap();
        t.draw(|f| draw(f, m)).unwrap();
        let buf = t.backend().buffer().clone();
        let mut out = String::new();
        for y in 0..buf.area.height {
            for x in 0..buf.area.width {
                out.push_str(buf[(x, y)].symbol());
            }
            out.push('\n');
        }
        out
    }

    fn ev(m: &mut Model, body: &str) {
        m.apply(&Notification::Event(Event::parse(body)), "12:00:00");
    }

    #[test]
    fn shows_state_call_banner_and_log() {
        let mut m = Model::new("1001");
        m.apply(
            &Notification::Status {
                status: ConnectionStatus::InService,
                detail: None,
            },
            "12:00:00",
        );
        ev(
            &mut m,
            "1001#State#READY##t##0#Alice Archer#1001#5001##Alice Archer#1001",
        );
        ev(
            &mut m,
            "1001#NewInboundCall#5551234#VIP,42#DialogID:d1#CallType:ACD_IN#t0",
        );
        let s = screen(&m);
        assert!(s.contains("gcclient agent 1001 ext 5001"), "{s}");
        assert!(s.contains("GC: in_service"), "{s}");
        assert!(s.contains("State: READY"), "{s}");
        assert!(
            s.contains("INCOMING CALL from 5551234 (ACD_IN)  vars: 1=VIP 2=42"),
            "{s}"
        );
        assert!(s.contains("> d1 ALERTING  5551234 ACD_IN"), "{s}");
        assert!(s.contains("12:00:00 incoming call d1 from 5551234"), "{s}");
    }

    #[test]
    fn banner_goes_once_the_call_is_answered() {
        let mut m = Model::new("1001");
        ev(
            &mut m,
            "1001#NewInboundCall#5551234##DialogID:d1#CallType:ACD_IN#t0",
        );
        ev(&mut m, "1001#DialogState#ACTIVE#d1#Alice");
        let s = screen(&m);
        assert!(!s.contains("INCOMING CALL"), "{s}");
        assert!(s.contains("d1 ACTIVE"), "{s}");
    }

    #[test]
    fn errors_and_overlays_are_drawn() {
        let mut m = Model::new("1001");
        m.on_key(Key::Char('a'));
        assert!(screen(&m).contains("! no call to answer"));
        ev(
            &mut m,
            "1001#ReasonCodes#Category:NOT_READY#1,2#Labels:Break,Lunch#Alice",
        );
        m.on_key(Key::Char('n'));
        let s = screen(&m);
        assert!(s.contains("Not ready reason"), "{s}");
        assert!(s.contains("> (no reason)"), "{s}");
        assert!(s.contains("2 Lunch"), "{s}");
        m.on_key(Key::Esc);
        m.on_key(Key::Char('?'));
        assert!(screen(&m).contains("barge_in EXT"));
        m.on_key(Key::Char('x'));
        m.on_key(Key::Char('d'));
        m.on_key(Key::Char('5'));
        assert!(screen(&m).contains("Dial: number (Enter, Esc)"));
    }

    #[test]
    fn supervisor_sees_team_states() {
        let mut m = Model::new("2001");
        ev(
            &mut m,
            "2001#AgentInfo#Sam#Super#true#OPTIONAL#TotalNumberOfTeams:1#1:Sales#1#Sam Super#2001",
        );
        ev(
            &mut m,
            "2001#TeamUsersList#FirstName:Alice,LastName:Archer,Extension:5001,LoginId:1001,State:READY",
        );
        let s = screen(&m);
        assert!(s.contains("Team / Queues"), "{s}");
        assert!(s.contains("1001 Alice Archer   5001 READY"), "{s}");
        assert!(s.contains("(Sam Super)"), "{s}");
        assert!(s.contains("supervisor"), "{s}");
    }

    #[test]
    fn tiny_terminals_do_not_panic() {
        let mut m = Model::new("1001");
        ev(
            &mut m,
            "1001#NewInboundCall#5551234#VIP#DialogID:d1#CallType:ACD_IN#t0",
        );
        m.on_key(Key::Char('?'));
        for (w, h) in [(1, 1), (10, 5), (40, 12)] {
            let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
            t.draw(|f| draw(f, &m)).unwrap();
        }
    }
}
