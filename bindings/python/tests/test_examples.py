"""examples/python run against the simulator."""

import asyncio
import subprocess
import sys
import time

import gcclient
import pytest
from conftest import ROOT, sim_binary
from gcclient.testing import Simulator

EXAMPLES = ROOT / "examples" / "python"


def run_example(name, *args):
    return subprocess.Popen([sys.executable, str(EXAMPLES / name), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_shift_logs_five_agents_through_a_shift(broker_url, queue, sim):
    proc = run_example("shift.py", "--broker", broker_url, "--queue", queue,
                       "--duration", "4", "--break-seconds", "0.5")
    deadline = time.monotonic() + 20
    # Exactly READY: logged in, an agent is NOT_READY first (which has
    # "READY" in it), and an offer to it is refused.
    while sim.agent_state("1001") != "READY":
        assert time.monotonic() < deadline and proc.poll() is None, proc.stdout.read()
        time.sleep(0.1)
    sim.offer("1001", "5557777")
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, out
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
    sim = team_sim
    proc = run_example("supervisor_monitor.py", "--broker", broker_url, "--queue", queue,
                       "--duration", "4", "--stats-every", "1")

    async def agent_day():
        async with gcclient.connect(config) as client:
            agent = client.agent("1002")
            await agent.login("1234", "5002")
            await asyncio.sleep(1.5)  # the monitor is watching by now
            await agent.make_ready()

    deadline = time.monotonic() + 20
    while "2001" not in "".join(sim.command("agents")) or "LOGOUT" in " ".join(
            l for l in sim.command("agents") if l.startswith("2001")):
        assert time.monotonic() < deadline and proc.poll() is None, proc.stdout.read()
        time.sleep(0.1)
    asyncio.run(agent_day())
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, out
    assert out.startswith("team 1: 1001=")
    assert "1002 -> READY" in out, out
    assert "queue Sales:" in out
    assert out.rstrip().endswith("monitor stopped")


async def test_the_simulators_agent_state_is_the_state_exactly(config, sim):
    # The shift test waited for "READY" anywhere in the `agents` line, which
    # NOT_READY (an agent's state after login) also has: its offer could
    # come too early and be refused.
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
