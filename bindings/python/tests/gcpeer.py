"""A scripted Generic Connector for tests: a small STOMP 1.2 client on raw
sockets that consumes GC's queue and answers each command the way a test
says. The simulator (gcclient-sim) plays a realistic GC; this peer plays the
cases a realistic GC does not produce on demand: every error code, silence,
OUT_OF_SERVICE, floods of events.
"""

from __future__ import annotations

import socket
import threading
from typing import Callable, Dict, List, Optional, Tuple

_UNESCAPE = {"\\n": "\n", "\\c": ":", "\\\\": "\\", "\\r": "\r"}


def _unescape(v: str) -> str:
    out, i = [], 0
    while i < len(v):
        if v[i] == "\\" and i + 1 < len(v):
            out.append(_UNESCAPE.get(v[i:i + 2], v[i:i + 2]))
            i += 2
        else:
            out.append(v[i])
            i += 1
    return "".join(out)


class Command:
    def __init__(self, name: str, target: str, body: str, reply_to: str,
                 correlation_id: Optional[str]) -> None:
        self.name, self.target, self.body = name, target, body
        self.reply_to, self.correlation_id = reply_to, correlation_id

    def __repr__(self) -> str:
        return f"Command({self.name}#{self.target} {self.body!r})"


# handler(peer, command) -> list of event bodies to send back (correlated),
# or None for the default behaviour.
Handler = Callable[["ScriptedGc", Command], Optional[List[str]]]


def state_body(agent: str, state: str, reason: str = "") -> str:
    return f"{agent}#State#{state}#{reason}#t##0#Agent {agent}#{agent}#5001##Agent {agent}#{agent}"


def default_reply(cmd: Command) -> List[str]:
    """What a cooperative GC says to each command."""
    a = cmd.target
    simple_states = {
        "Login": "NOT_READY", "GetState": "READY", "MakeReady": "READY",
        "MakeNotReady": "NOT_READY", "MakeNotReadyWithReason": "NOT_READY",
        "Logout": "LOGOUT", "logoutwithreason": "LOGOUT",
        "MakeWorkReady": "WORK_READY", "MakeWorkNotReady": "WORK",
    }
    if cmd.name in ("Hello", "Beat"):
        return ["System#IN_SERVICE"]
    if cmd.name == "Connect":
        return []
    if cmd.name in simple_states:
        return [state_body(a, simple_states[cmd.name])]
    return [f"{a}#Error#PLEASE_RETRY#not scripted"]


class ScriptedGc:
    """Consumes ``/queue/<queue>`` on the broker at ``host:port``."""

    def __init__(self, host: str, port: int, queue: str,
                 handler: Optional[Handler] = None) -> None:
        self.queue = queue
        self.handler = handler
        self.commands: List[Command] = []
        self._sock = socket.create_connection((host, port), timeout=10)
        self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._send_lock = threading.Lock()
        self._buf = b""
        self._frame("CONNECT", {"accept-version": "1.2", "host": "localhost",
                                "heart-beat": "0,0"})
        cmd, _, _ = self._read_frame()
        if cmd != "CONNECTED":
            raise RuntimeError(f"broker answered {cmd}")
        self._frame("SUBSCRIBE", {"id": "0", "destination": f"/queue/{queue}",
                                  "ack": "auto", "receipt": "sub"})
        cmd, headers, _ = self._read_frame()
        if cmd != "RECEIPT":
            raise RuntimeError(f"subscription not confirmed: {cmd} {headers}")
        self._sock.settimeout(None)
        self._thread = threading.Thread(target=self._run, name="scripted-gc", daemon=True)
        self._thread.start()

    # -- wire ---------------------------------------------------------------
    def _frame(self, command: str, headers: Dict[str, str], body: str = "") -> None:
        head = "".join(f"{k}:{v}\n" for k, v in headers.items())
        data = f"{command}\n{head}\n{body}\0".encode()
        with self._send_lock:
            self._sock.sendall(data)

    def _read_frame(self) -> Tuple[str, Dict[str, str], str]:
        while True:
            while self._buf[:1] in (b"\n", b"\r"):
                self._buf = self._buf[1:]
            end = self._buf.find(b"\n\n")
            if end >= 0:
                head = self._buf[:end].decode().split("\n")
                headers: Dict[str, str] = {}
                for line in head[1:]:
                    k, _, v = line.rstrip("\r").partition(":")
                    headers.setdefault(_unescape(k), _unescape(v))
                start = end + 2
                if "content-length" in headers:
                    stop = start + int(headers["content-length"])
                    if len(self._buf) >= stop + 1:
                        body = self._buf[start:stop].decode()
                        self._buf = self._buf[stop + 1:]
                        return head[0], headers, body
                else:
                    nul = self._buf.find(b"\0", start)
                    if nul >= 0:
                        body = self._buf[start:nul].decode()
                        self._buf = self._buf[nul + 1:]
                        return head[0], headers, body
            chunk = self._sock.recv(65536)
            if not chunk:
                raise ConnectionError("broker closed the connection")
            self._buf += chunk

    def _run(self) -> None:
        try:
            while True:
                cmd, headers, body = self._read_frame()
                if cmd != "MESSAGE":
                    continue
                name, _, target = headers.get("type", "").partition("#")
                reply_to = headers.get("reply-to", "")
                c = Command(name, target, body, reply_to, headers.get("correlation-id"))
                self.commands.append(c)
                replies = self.handler(self, c) if self.handler else None
                if replies is None:
                    replies = default_reply(c)
                for r in replies:
                    self.reply(c, r)
        except (OSError, ConnectionError):
            return

    # -- API ------------------------------------------------------------------
    def send(self, topic: str, body: str, correlation_id: Optional[str] = None) -> None:
        """Sends an event body to a client topic (``/topic/x`` or ``x``)."""
        dest = topic if topic.startswith("/topic/") else f"/topic/{topic}"
        headers = {"destination": dest, "type": ""}
        if correlation_id:
            headers["correlation-id"] = correlation_id
        self._frame("SEND", headers, body)

    def reply(self, cmd: Command, body: str) -> None:
        self.send(cmd.reply_to, body, cmd.correlation_id)

    def close(self) -> None:
        try:
            self._frame("DISCONNECT", {})
        except OSError:
            pass
        try:
            self._sock.close()
        except OSError:
            pass
