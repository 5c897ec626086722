#!/usr/bin/env python3
"""Drives a team of agents through a shift: log in, go READY, answer the
calls that come (hold, retrieve, release, wrap up), take a break, log out.

    python shift.py --broker tcp://mq:61613 --duration 600
    python shift.py --agents 1001:1234:5001,1002:1234:5002 --duration 60

Against the simulator (`gcclient-sim`), offer calls from its console with
`offer 1001 5551234` or `queue Sales 5551234` while this runs.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
from typing import List, Tuple

import gcclient
from gcclient import AgentState, EventData

log = logging.getLogger("shift")

DEFAULT_AGENTS = "1001:1234:5001,1002:1234:5002,1003:1234:5003,1004:1234:5004,1005:sso-token:5005:sso"


def parse_agents(spec: str) -> List[Tuple[str, str, str, bool]]:
    out = []
    for item in spec.split(","):
        parts = item.split(":")
        if len(parts) not in (3, 4):
            raise SystemExit(f"--agents: `{item}` is not id:password:extension[:sso]")
        out.append((parts[0], parts[1], parts[2], len(parts) == 4 and parts[3] == "sso"))
    return out


async def work_calls(agent: gcclient.Agent, events: gcclient.Events, wrap_up: str) -> int:
    """Answers every call offered to `agent` until cancelled; returns the count."""
    handled = 0
    try:
        async for event in events:
            if not isinstance(event.data, EventData.NEW_INBOUND_CALL):
                continue
            dialog = event.data.call.dialog_id
            log.info("%s: call from %s (%s)", agent.id, event.data.call.from_address, dialog)
            try:
                await agent.answer_call(dialog)
                log.info("%s answered %s", agent.id, dialog)
                await agent.hold_call(dialog)
                await agent.retrieve_call(dialog)
                await agent.release_call(dialog)
                if agent.state in (AgentState.WORK, AgentState.WORK_READY):
                    await agent.wrap_up(wrap_up, dialog)
                    await agent.make_ready()
                handled += 1
            except gcclient.GcRefusedError as e:
                # The caller may hang up first; GC then refuses the next step.
                log.warning("%s: %s (%s)", agent.id, e.code_text, e.info.summary)
    except asyncio.CancelledError:
        pass
    return handled


async def shift(client: gcclient.Client, who: Tuple[str, str, str, bool],
                duration: float, break_s: float) -> int:
    agent_id, password, extension, sso = who
    agent = client.agent(agent_id)
    events = agent.events()
    await agent.login(password, extension, sso=sso)
    await agent.make_ready()
    log.info("%s READY on %s", agent_id, extension)
    worker = asyncio.create_task(work_calls(agent, events, "Sale"))
    await asyncio.sleep(duration / 2)
    if agent.state == AgentState.READY:
        await agent.make_not_ready("1")  # Break
        log.info("%s on break", agent_id)
        await asyncio.sleep(break_s)
        await agent.make_ready()
    await asyncio.sleep(duration / 2)
    worker.cancel()
    handled = await worker
    if agent.state not in (AgentState.NOT_READY, AgentState.LOGOUT):
        await agent.make_not_ready()
    await agent.logout("11")  # End of shift
    log.info("%s logged out after %d call(s)", agent_id, handled)
    return handled


async def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--broker", default=os.environ.get("GCCLIENT_BROKERS", "tcp://127.0.0.1:61613"))
    p.add_argument("--queue", default="Connector1")
    p.add_argument("--agents", default=DEFAULT_AGENTS, help="id:password:extension[:sso],...")
    p.add_argument("--duration", type=float, default=60.0, help="seconds of work")
    p.add_argument("--break-seconds", type=float, default=1.0)
    args = p.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    config = gcclient.Config(args.broker, queue=args.queue)
    async with gcclient.connect(config) as client:
        counts = await asyncio.gather(*(shift(client, who, args.duration, args.break_seconds)
                                        for who in parse_agents(args.agents)))
    print(f"shift over: {sum(counts)} call(s) handled by {len(counts)} agent(s)")


if __name__ == "__main__":
    asyncio.run(main())
