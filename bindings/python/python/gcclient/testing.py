"""Testing with the simulator: GC + Finesse in a process of its own.

:class:`Simulator` starts the ``gcclient-sim`` binary (shipped in the wheel,
or found on ``PATH``, or named by ``GCCLIENT_SIM_BIN``) on a queue of its
own, and drives it through its console::

    from gcclient.testing import Simulator

    with Simulator("tcp://127.0.0.1:61613") as sim:       # a real ActiveMQ
        with gcclient.sync.connect(sim.config()) as client:
            agent = client.agent("1001")
            agent.login("1234", "5001")
            agent.make_ready()
            dialog = sim.offer("1001", "5551234", callVariable1="VIP")
            agent.answer(dialog)

Without a broker URL the simulator serves its own loopback STOMP endpoint
(127.0.0.1, an ephemeral port): nothing else to install, fine for a
script's tests; use a real ActiveMQ for integration tests.

For pytest, ``pytest_plugins = ["gcclient.testing"]`` in ``conftest.py``
gives the fixtures ``gc_simulator`` (a started :class:`Simulator`, stopped
after the test) and ``gc_config`` (a :class:`~gcclient.Config` for it). They
use the broker in ``GCCLIENT_TEST_BROKER`` (a URL) or ``GCCLIENT_TEST_STOMP``
(``host:port``), else the loopback endpoint.
"""

from __future__ import annotations

import os
import pathlib
import re
import shutil
import subprocess
import sysconfig
import threading
import uuid
from typing import Any, Dict, Iterator, List, Optional, Union

from ._config import Config

__all__ = ["Simulator", "find_simulator", "SimulatorError"]

_BINARY = "gcclient-sim" + (".exe" if os.name == "nt" else "")
_SERVING = re.compile(r"gcclient-sim serving queue (\S+) on (\S+?)[,;\s]")


class SimulatorError(RuntimeError):
    """The simulator could not start, exited, or refused a console command."""


SimulatorError.__module__ = "gcclient.testing"


def find_simulator() -> str:
    """The path of the ``gcclient-sim`` binary: ``GCCLIENT_SIM_BIN``, the one
    shipped inside the package, the scripts directory of this Python, then
    ``PATH``. Raises :class:`FileNotFoundError` saying how to get one."""
    explicit = os.environ.get("GCCLIENT_SIM_BIN")
    if explicit:
        if not os.path.isfile(explicit):
            raise FileNotFoundError(f"GCCLIENT_SIM_BIN={explicit} does not exist")
        return explicit
    candidates = [pathlib.Path(__file__).with_name("bin") / _BINARY,
                  pathlib.Path(sysconfig.get_path("scripts")) / _BINARY]
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which(_BINARY)
    if found:
        return found
    raise FileNotFoundError(
        "gcclient-sim not found (not in the package, the scripts directory or PATH). "
        "From a checkout of gcclient: `cargo install --path sim` (puts it on PATH), "
        "or `cargo build -p gcclient-sim` and set GCCLIENT_SIM_BIN=target/debug/gcclient-sim")


class Simulator:
    """A running ``gcclient-sim`` (GC + Finesse) on ``queue`` of ``broker``
    (None: its own loopback endpoint). Stop it with :meth:`stop` or ``with``.

    ``model`` is a model TOML file (``gcclient-sim --print-model`` prints the
    default: agents 1001-1005 with password 1234, supervisor 2001, ...).
    """

    #: An unknown console command, sent after each command: its error line
    #: marks the end of the command's output.
    _SENTINEL = "__end__"
    _SENTINEL_REPLY = "error: unknown command"

    def __init__(self, broker: Optional[str] = None, *, queue: Optional[str] = None,
                 model: Optional[Union[str, "os.PathLike[str]"]] = None,
                 binary: Optional[str] = None, start_timeout: float = 60.0) -> None:
        self.queue = queue or f"Connector.test.{uuid.uuid4().hex[:12]}"
        self.log: List[str] = []
        args = [binary or find_simulator(), "--queue", self.queue]
        args += ["--broker", broker] if broker else ["--loopback"]
        if model is not None:
            args += ["--model", os.fspath(model)]
        self._lock = threading.Lock()
        self._proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True, bufsize=1)
        self.broker_url = self._wait_serving(start_timeout, broker)
        threading.Thread(target=self._drain, name="gcclient-sim-log", daemon=True).start()

    def _wait_serving(self, timeout: float, broker: Optional[str]) -> str:
        assert self._proc.stderr is not None
        found: List[str] = []

        def read() -> None:
            assert self._proc.stderr is not None
            for line in self._proc.stderr:
                self.log.append(line)
                m = _SERVING.search(line)
                if m:
                    found.append(m.group(2))
                    return

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        reader.join(timeout)
        if not found:
            self._kill()
            raise SimulatorError("gcclient-sim did not start: " + "".join(self.log[-20:]))
        return broker or found[0]

    def _drain(self) -> None:
        # Keep reading its log so the pipe never fills.
        assert self._proc.stderr is not None
        for line in self._proc.stderr:
            self.log.append(line)

    def config(self, **settings: Any) -> Config:
        """A :class:`~gcclient.Config` for this simulator (its broker and
        queue; Hello every 250 ms so clients are in service at once), with
        ``settings`` applied."""
        values: Dict[str, Any] = {"queue": self.queue, "hello_interval_ms": 250}
        values.update(settings)
        return Config(self.broker_url, **values)

    def command(self, line: str) -> List[str]:
        """Runs one console command (``help`` lists them); returns its output
        lines. Raises :class:`SimulatorError` if the simulator refused it."""
        with self._lock:
            stdin, stdout = self._proc.stdin, self._proc.stdout
            assert stdin is not None and stdout is not None
            try:
                stdin.write(f"{line}\n{self._SENTINEL}\n")
                stdin.flush()
            except OSError as e:
                raise SimulatorError(f"gcclient-sim is not running: {e}") from e
            out: List[str] = []
            while True:
                text = stdout.readline()
                if not text:
                    raise SimulatorError("gcclient-sim exited: " + "".join(self.log[-20:]))
                if text.startswith(self._SENTINEL_REPLY):
                    break
                out.append(text.rstrip("\n"))
        errors = [o for o in out if o.startswith("error:")]
        if errors:
            raise SimulatorError(f"sim `{line}`: {errors[0]}")
        return out

    def offer(self, agent: str, caller: str, **variables: str) -> str:
        """An inbound call to a READY agent (``callVariable1="VIP"``, ...);
        returns its dialog id."""
        extra = " ".join(f"{k}={v}" for k, v in variables.items())
        out = self.command(f"offer {agent} {caller} {extra}".strip())
        return out[-1].split()[-1]

    def agent_state(self, agent: str) -> Optional[str]:
        """The state the simulated Finesse has for ``agent`` (``"READY"``,
        ``"NOT_READY"``, ...), or None for an agent it does not know."""
        for line in self.command("agents"):
            fields = line.split()
            if len(fields) > 1 and fields[0] == agent:
                return fields[1]
        return None

    def hang_up(self, dialog_id: str) -> None:
        """The customer hangs up."""
        self.command(f"hangup {dialog_id}")

    def set_in_service(self, in_service: bool) -> None:
        """Finesse back in service (True) or out of service (False)."""
        self.command("up" if in_service else "down")

    def restart(self) -> None:
        """GC restarts: it forgets destinations and sessions."""
        self.command("restart")

    def say(self, agent: str, message: str) -> None:
        """Sends ``Control#PrintStatusBar`` to an agent."""
        self.command(f"say {agent} {message}")

    def stop(self) -> None:
        """Stops the simulator. Idempotent."""
        if self._proc.poll() is None:
            try:
                assert self._proc.stdin is not None
                self._proc.stdin.write("quit\n")
                self._proc.stdin.flush()
                self._proc.wait(timeout=10)
            except (OSError, ValueError, subprocess.TimeoutExpired):
                self._kill()

    def _kill(self) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()

    def __enter__(self) -> "Simulator":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<gcclient.testing.Simulator queue={self.queue} on {self.broker_url}>"


def _test_broker() -> Optional[str]:
    url = os.environ.get("GCCLIENT_TEST_BROKER")
    if url:
        return url
    addr = os.environ.get("GCCLIENT_TEST_STOMP")
    return f"tcp://{addr}" if addr else None


try:
    import pytest
except ImportError:  # pragma: no cover - pytest is optional
    pass
else:
    @pytest.fixture
    def gc_simulator() -> Iterator[Simulator]:
        """A started :class:`Simulator` on a queue of its own, stopped after
        the test (broker: ``GCCLIENT_TEST_BROKER`` / ``GCCLIENT_TEST_STOMP``,
        else the loopback endpoint)."""
        with Simulator(_test_broker()) as sim:
            yield sim

    @pytest.fixture
    def gc_config(gc_simulator: Simulator) -> Config:
        """A :class:`~gcclient.Config` for :func:`gc_simulator`."""
        return gc_simulator.config()

    __all__ += ["gc_simulator", "gc_config"]
