"""Fixtures: the real broker (GCCLIENT_TEST_STOMP), a unique GC queue per
test, the simulator (gcclient-sim) or a scripted GC peer on that queue.
Coroutine tests run in a fresh event loop each, with a time limit."""

from __future__ import annotations

import asyncio
import inspect
import os
import pathlib
import subprocess
import threading
import uuid
from typing import Iterator, List, Tuple

import pytest

import gcclient
from gcpeer import ScriptedGc

TEST_TIMEOUT_S = 90
ROOT = pathlib.Path(__file__).resolve().parents[3]


def pytest_pyfunc_call(pyfuncitem: pytest.Function):  # type: ignore[no-untyped-def]
    if inspect.iscoroutinefunction(pyfuncitem.obj):
        args = {n: pyfuncitem.funcargs[n] for n in pyfuncitem._fixtureinfo.argnames}
        asyncio.run(asyncio.wait_for(pyfuncitem.obj(**args), TEST_TIMEOUT_S))
        return True
    return None


@pytest.fixture(scope="session")
def broker() -> Tuple[str, int]:
    addr = os.environ.get("GCCLIENT_TEST_STOMP")
    if not addr:
        pytest.fail("GCCLIENT_TEST_STOMP (host:port of the test broker's STOMP port) is not set")
    host, _, port = addr.rpartition(":")
    return host, int(port)


@pytest.fixture
def broker_url(broker: Tuple[str, int]) -> str:
    return f"tcp://{broker[0]}:{broker[1]}"


@pytest.fixture
def queue() -> str:
    return f"Connector.pytest.{uuid.uuid4().hex[:12]}"


@pytest.fixture
def config(broker_url: str, queue: str) -> gcclient.Config:
    return gcclient.Config(broker_url, queue=queue, hello_interval_ms=250,
                           request_timeout_ms=5000)


@pytest.fixture
def peer(broker: Tuple[str, int], queue: str) -> Iterator[ScriptedGc]:
    p = ScriptedGc(broker[0], broker[1], queue)
    yield p
    p.close()


def sim_binary() -> str:
    explicit = os.environ.get("GCCLIENT_SIM_BIN")
    if explicit:
        return explicit
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    for profile in ("debug", "release"):
        candidate = target / profile / "gcclient-sim"
        if candidate.exists():
            return str(candidate)
    pytest.fail("gcclient-sim not built: run `cargo build -p gcclient-sim` "
                "or set GCCLIENT_SIM_BIN")


class Sim:
    """The simulator binary, driven through its stdin console."""

    SENTINEL = "__sync__"

    def __init__(self, broker_url: str, queue: str) -> None:
        self.log: List[str] = []
        self.proc = subprocess.Popen(
            [sim_binary(), "--broker", broker_url, "--queue", queue],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, bufsize=1)
        assert self.proc.stderr is not None
        while True:
            line = self.proc.stderr.readline()
            if not line:
                raise RuntimeError("gcclient-sim exited: " + "".join(self.log))
            self.log.append(line)
            if "gcclient-sim serving" in line:
                break
        # Keep draining its log so the pipe never fills.
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.log.append(line)

    def command(self, line: str) -> List[str]:
        """Runs one console command; returns its output lines. A failed
        command raises."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(f"{line}\n{self.SENTINEL}\n")
        self.proc.stdin.flush()
        out: List[str] = []
        while True:
            text = self.proc.stdout.readline()
            if not text:
                raise RuntimeError("gcclient-sim exited")
            if text.startswith("error: unknown command"):
                break
            out.append(text.rstrip("\n"))
        errors = [o for o in out if o.startswith("error:")]
        if errors:
            raise RuntimeError(f"sim `{line}`: {errors[0]}")
        return out

    def offer(self, agent: str, caller: str, **variables: str) -> str:
        """An inbound call to a READY agent; returns the dialog id."""
        extra = " ".join(f"{k}={v}" for k, v in variables.items())
        out = self.command(f"offer {agent} {caller} {extra}".strip())
        return out[-1].split()[-1]

    def stop(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            try:
                self.proc.stdin.write("quit\n")
                self.proc.stdin.flush()
                self.proc.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()


@pytest.fixture
def sim(broker_url: str, queue: str) -> Iterator[Sim]:
    s = Sim(broker_url, queue)
    yield s
    s.stop()
