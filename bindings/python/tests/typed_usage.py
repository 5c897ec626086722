"""Type-checked with mypy --strict by test_docs.py (not run): the reply types
a user's code relies on."""

from __future__ import annotations

import datetime as dt
from typing import List, Optional

import gcclient
import gcclient.sync
from gcclient import AgentState, CallState, EventData


async def replies(agent: gcclient.Agent) -> None:
    state: AgentState = (await agent.make_ready()).data.info.state
    when: Optional[dt.datetime] = (await agent.get_state(timeout=2)).data.info.state_change_time
    call = await agent.wait_for_call(timeout=5)
    dialog: str = call.dialog_id
    answered = await agent.answer_call(dialog)
    cs: CallState = answered.data.call.state
    first: str = answered.data.call.variables[0]
    named: str = answered.data.call.variables["callVariable1"]
    labels: List[str] = [r.label for r in (await agent.get_not_ready_reason_codes()).data.codes]
    queues = (await agent.get_queue_list()).data.queues
    stats = {q.name: q.as_dict() for q in queues}
    users = (await agent.get_team_users("1", subscribe=True)).data.users
    held: gcclient.InboundCallEvent = await agent.hold_call(dialog)
    consult: gcclient.ConsultCallEvent = await agent.consult_call("5002", dialog)
    ds: gcclient.DialogStateEvent = await agent.get_dialog_state(dialog)
    wrap: gcclient.DialogStateEvent = await agent.wrap_up("Sale", dialog)
    await agent.update_call_variables(dialog, {"callVariable2": "x"})
    await agent.logout()
    print(state, when, cs, first, named, labels, stats, users, held, consult, ds, wrap)


async def events(client: gcclient.Client) -> None:
    async with client.events() as stream:
        async for event in stream:
            match event.data:
                case EventData.AGENT_STATE(info):
                    print(info.state.name)
                case EventData.NEW_INBOUND_CALL(call):
                    print(call.dialog_id.upper())
                case EventData.DIALOG_STATE(state, dialog_id, _):
                    print(state.value, dialog_id)
                case _:
                    pass
    snap: gcclient.AgentSnapshot = await client.agent("1001").wait_for_state(
        AgentState.READY, timeout=3)
    ev: gcclient.Event = await client.wait_for(lambda e: e.kind == "dialog_state", timeout=1)
    await client.wait_for(gcclient.ConnectionStatus.IN_SERVICE, timeout=1)
    print(snap.dialogs, ev.raw)


def blocking(url: str) -> None:
    with gcclient.sync.connect([url, url]) as client:
        agent = client.agent("1001")
        reply = agent.login("1234", "5001")
        if isinstance(reply, gcclient.AgentStateEvent):
            print(reply.data.info.extension)
        with client.events(timeout=1) as stream:
            for event in stream:
                print(event.kind)
        try:
            agent.make_not_ready("7", timeout=1)
        except gcclient.GcRefusedError as e:
            print(e.code.name, e.info.action)


config = gcclient.Config("tcp://mq:61613", request_timeout_ms=5000,
                         call_variable_names=["callVariable1", "user.account"])
