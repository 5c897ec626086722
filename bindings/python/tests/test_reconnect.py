"""Reconnect after a broker restart: the status goes RECONNECTING, then back
to IN_SERVICE, and the agent is logged in again automatically."""

import asyncio
import socket
import subprocess
import tempfile

import gcclient
from conftest import ROOT
from gcpeer import ScriptedGc

ACTIVEMQ = str(ROOT / "scripts" / "activemq.sh")


# activemq.sh's exit status when a port is taken.
EXIT_PORT_TAKEN = 3


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def broker(action, directory, stomp=None, openwire=None):
    args = [ACTIVEMQ, action, "--dir", directory]
    if action == "start":
        args += ["--stomp", str(stomp), "--openwire", str(openwire)]
    subprocess.run(args, check=True, capture_output=True, timeout=60)


def start_on_free_ports(directory, attempts=5):
    """Starts a broker on ports free a moment ago; another process can take
    one in between, so a taken port means new ports, never a failed test."""
    for _ in range(attempts):
        stomp, openwire = free_port(), free_port()
        try:
            broker("start", directory, stomp, openwire)
            return stomp, openwire
        except subprocess.CalledProcessError as e:
            if e.returncode != EXIT_PORT_TAKEN:
                raise
    raise RuntimeError(f"no free ports in {attempts} attempts")


async def next_notification(notes, predicate, timeout=30.0):
    async def find():
        async for n in notes:
            if predicate(n):
                return n
    return await asyncio.wait_for(find(), timeout)


def status_is(status):
    return lambda n: isinstance(n, gcclient.Notification.STATUS) and n.status == status


async def test_reconnects_and_logs_in_again_after_broker_restart(queue):
    with tempfile.TemporaryDirectory(prefix="gcclient-py-broker-") as d:
        stomp, openwire = await asyncio.to_thread(start_on_free_ports, d)
        peer = ScriptedGc("127.0.0.1", stomp, queue)
        try:
            cfg = gcclient.Config(f"tcp://127.0.0.1:{stomp}", queue=queue,
                                  hello_interval_ms=250, backoff_max_ms=250,
                                  stomp_heartbeat_ms=1000)
            async with gcclient.connect(cfg) as client:
                agent = client.agent("1001")
                await agent.login("1234", "5001")
                notes = client.notifications()
                await asyncio.to_thread(broker, "stop", d)
                await next_notification(notes, status_is(gcclient.ConnectionStatus.RECONNECTING))
                peer.close()
                await asyncio.to_thread(broker, "start", d, stomp, openwire)
                peer = ScriptedGc("127.0.0.1", stomp, queue)
                relogin = await next_notification(
                    notes, lambda n: isinstance(n, gcclient.Notification.RELOGIN))
                assert relogin.agent == "1001" and relogin.error is None
                assert client.status == gcclient.ConnectionStatus.IN_SERVICE
                sent = [(c.name, c.target) for c in peer.commands]
                assert ("Connect", "1001") in sent and ("Login", "1001") in sent
                ready = await agent.make_ready()
                assert ready.data.info.state == gcclient.AgentState.READY
        finally:
            peer.close()
            await asyncio.to_thread(broker, "stop", d)
