"""examples/python run against the simulator."""

import asyncio
import subprocess
import sys
import threading
import time
from queue import Empty, Queue

import gcclient
import pytest
from conftest import ROOT, sim_binary
from gcclient.testing import Simulator

EXAMPLES = ROOT / "examples" / "python"


class Example:
    """An example script running, its output read line by line as printed."""

    def __init__(self, name: str, *args: str) -> None:
        # Unbuffered, so that each line arrives when it is printed.
        self.proc = subprocess.Popen([sys.executable, "-u", str(EXAMPLES / name), *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: "Queue[str]" = Queue()
        self.out: list = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put("")  # the end

    def until(self, text: str, timeout: float = 20) -> None:
        """Waits for a line with `text` in it."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except Empty:
                line = ""
            assert line, f"no {text!r} from the example: " + "".join(self.out)
            self.out.append(line)
            if text in line:
                return

    def finish(self, timeout: float = 30) -> str:
        """Waits for the example to end; everything it printed."""
        self.proc.wait(timeout)
        self.reader.join(timeout)
        while not self.lines.empty():
            self.out.append(self.lines.get())
        return "".join(self.out)


def test_shift_logs_five_agents_through_a_shift(broker_url, queue, sim):
    shift = Example("shift.py", "--broker", broker_url, "--queue", queue,
                    "--duration", "4", "--break-seconds", "0.5")
    # Logged once GC has confirmed the state, so the simulator has it READY.
    # (This test waited for "READY" anywhere in the simulator's line for
    # 1001, which NOT_READY, the state after login, also has: its offer
    # could come too early and be refused.)
    shift.until("1001 READY on")
    assert sim.agent_state("1001") == "READY"
    sim.offer("1001", "5557777")
    out = shift.finish()
    assert shift.proc.returncode == 0, out
    assert "1001 answered" in out
    assert "shift over: 1 call(s) handled by 5 agent(s)" in out
    for agent in ("1001", "1002", "1003", "1004", "1005"):
        assert f"{agent} logged out" in out


@pytest.fixture
def team_sim(broker_url, queue, tmp_path):
    """The simulator with TeamMemberStateChanged on: the guide marks it
    "(Not Using)", and the monitor example follows the team through it."""
    binary = sim_binary()
    model = subprocess.run([binary, "--print-model"], check=True, capture_output=True,
                           text=True).stdout
    path = tmp_path / "model.toml"
    path.write_text(model.replace("not_using_events = false", "not_using_events = true"))
    with Simulator(broker_url, queue=queue, binary=binary, model=path) as s:
        yield s


def test_supervisor_monitor_follows_the_team(broker_url, queue, config, team_sim):
    monitor = Example("supervisor_monitor.py", "--broker", broker_url, "--queue", queue,
                      "--duration", "4", "--stats-every", "1")

    async def agent_day():
        async with gcclient.connect(config) as client:
            agent = client.agent("1002")
            await agent.login("1234", "5002")
            await agent.make_ready()

    # The monitor prints its team once it is logged in and subscribed: from
    # then on it sees every change.
    monitor.until("team 1: ")
    asyncio.run(agent_day())
    out = monitor.finish()
    assert monitor.proc.returncode == 0, out
    assert out.startswith("team 1: 1001=")
    assert "1002 -> READY" in out, out
    assert "queue Sales:" in out
    assert out.rstrip().endswith("monitor stopped")


async def test_the_simulators_agent_state_is_the_state_exactly(config, sim):
    # Not "READY" anywhere in the `agents` line: NOT_READY has it too.
    assert sim.agent_state("1001") == "LOGOUT"
    assert sim.agent_state("9999") is None
    async with gcclient.connect(config) as client:
        agent = client.agent("1001")
        await agent.login("1234", "5001")
        await agent.wait_for_state(gcclient.AgentState.NOT_READY, timeout=5)
        assert sim.agent_state("1001") == "NOT_READY"
        await agent.make_ready()
        await agent.wait_for_state(gcclient.AgentState.READY, timeout=5)
        assert sim.agent_state("1001") == "READY"
