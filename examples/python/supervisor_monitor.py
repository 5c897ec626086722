#!/usr/bin/env python3
"""A supervisor's monitor, with the blocking API: logs the supervisor in,
subscribes to its team and prints each member's state as it changes, with
the queue statistics every few seconds.

    python supervisor_monitor.py --broker tcp://mq:61613 --supervisor 2001 \
        --password 1234 --extension 6001 --team 1
"""

from __future__ import annotations

import argparse
import logging
import os
import time
from typing import Dict

import gcclient
from gcclient import EventData


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--broker", default=os.environ.get("GCCLIENT_BROKERS", "tcp://127.0.0.1:61613"))
    p.add_argument("--queue", default="Connector1")
    p.add_argument("--supervisor", default="2001")
    p.add_argument("--password", default=os.environ.get("GCCLIENT_SUPERVISOR_PASSWORD", "1234"))
    p.add_argument("--extension", default="6001")
    p.add_argument("--team", default="1")
    p.add_argument("--duration", type=float, default=None, help="stop after N seconds")
    p.add_argument("--stats-every", type=float, default=5.0)
    args = p.parse_args()
    logging.basicConfig(level=logging.WARNING)

    states: Dict[str, str] = {}
    with gcclient.sync.connect(gcclient.Config(args.broker, queue=args.queue)) as client:
        sup = client.agent(args.supervisor)
        events = client.events(timeout=1.0)
        sup.login(args.password, args.extension)
        team = sup.get_team_users(args.team, subscribe=True)
        for user in team.data.users:
            # None when GC sent no state of the guide (the text is in team.raw).
            states[user.login_id] = gcclient.state_name(user.state) if user.state else "?"
        print(f"team {args.team}: " + ", ".join(f"{k}={v}" for k, v in sorted(states.items())))
        started = last_stats = time.monotonic()
        while args.duration is None or time.monotonic() - started < args.duration:
            for event in events:  # ends after 1 s without events
                if isinstance(event.data, EventData.TEAM_MEMBER_STATE_CHANGED):
                    # The member id is the first extra field when GC sends one.
                    who = event.data.extra[0] if event.data.extra else event.agent or "?"
                    states[who] = event.data.state
                    print(f"{who} -> {event.data.state}")
                elif isinstance(event.data, EventData.AGENT_STATE) and event.agent in states:
                    states[event.agent] = gcclient.state_name(event.data.info.state)
                    print(f"{event.agent} -> {states[event.agent]}")
                if time.monotonic() - last_stats >= args.stats_every:
                    break
            if time.monotonic() - last_stats >= args.stats_every:
                last_stats = time.monotonic()
                for q in sup.get_queue_list().data.queues:
                    stats = ", ".join(f"{kv.key}={kv.value}" for kv in q.stats)
                    print(f"queue {q.name}: {stats}")
        sup.logout()
    print("monitor stopped")


if __name__ == "__main__":
    main()
