"""Sessions against the simulator: handshake, login/logout, every state
change, a call flow with hold/consult/conference/transfer, supervisor
queries, the blocking API, listeners and logging."""

import asyncio
import logging
import threading

import pytest

import gcclient
from gcclient import AgentState, EventData

S = AgentState


async def next_event(events, predicate, timeout=5.0):
    """The first event matching `predicate`."""

    async def find():
        async for e in events:
            if predicate(e):
                return e

    return await asyncio.wait_for(find(), timeout)


def state(e):
    return e.data.info.state if isinstance(e.data, EventData.AGENT_STATE) else None


async def test_handshake_login_and_logout(config, sim):
    async with gcclient.connect(config) as client:
        assert client.status == gcclient.ConnectionStatus.IN_SERVICE
        assert client.destination.startswith("gcclient.")
        agent = client.agent("1001")
        events = agent.events()
        reply = await agent.login("1234", "5001")
        # GC's first correlated reply (this simulator: AgentInfo); the state
        # is in the snapshot once login returns.
        assert reply.kind in ("agent_state", "agent_info", "dialog_status")
        assert (await agent.wait_for_state(S.NOT_READY, timeout=5)).state == S.NOT_READY
        info = await next_event(events, lambda e: e.kind == "agent_info")
        assert info.data.details.full_name == "Alice Archer"
        assert agent.snapshot().extension == "5001"
        assert client.agent_ids() == ["1001"]
        out = await agent.logout("11")
        assert state(out) == S.LOGOUT
        assert agent.state == S.LOGOUT


async def test_every_agent_state_change(config, sim):
    async with gcclient.connect(config) as client:
        agent = client.agent("1002")
        await agent.login("1234", "5002")
        await agent.wait_for_state(S.NOT_READY, timeout=5)
        assert state(await agent.make_ready()) == S.READY
        nr = await agent.make_not_ready("2")
        assert state(nr) == S.NOT_READY and nr.data.info.reason_code_id == "2"
        assert state(await agent.make_ready()) == S.READY
        # Subscribed before the offer, so the RESERVED state cannot slip
        # in between the check and the subscription.
        events = agent.events()
        dialog = sim.offer("1002", "5550001")
        assert agent.state == S.RESERVED or await next_event(
            events, lambda e: state(e) == S.RESERVED)
        await agent.answer_call(dialog)
        assert agent.state == S.TALKING
        await agent.hold_call(dialog)
        assert agent.state == S.HOLD
        await agent.retrieve_call(dialog)
        assert agent.state == S.TALKING
        await agent.make_work_ready()  # pending: WORK_READY after the call
        await agent.release_call(dialog)
        assert state(await agent.get_state()) == S.WORK_READY
        assert state(await agent.make_ready()) == S.READY
        second = sim.offer("1002", "5550002")
        await agent.answer_call(second)
        await agent.make_work_not_ready()  # pending: WORK after the call
        await agent.release_call(second)
        assert state(await agent.get_state()) == S.WORK
        assert state(await agent.make_not_ready()) == S.NOT_READY
        assert state(await agent.logout()) == S.LOGOUT


async def test_call_flow_hold_consult_conference_transfer(config, sim):
    async with gcclient.connect(config) as client:
        alice, bob, carol = client.agent("1001"), client.agent("1002"), client.agent("1004")
        for a, ext in ((alice, "5001"), (bob, "5002"), (carol, "5004")):
            await a.login("1234", ext)
            await a.make_ready()
        bob_events, carol_events = bob.events(), carol.events()
        dialog = sim.offer("1001", "5551234", callVariable1="VIP")
        call = await alice.answer_call(dialog)
        assert call.data.call.state == "ACTIVE" and call.data.call.call_variables[0] == "VIP"
        assert (await alice.hold_call(dialog)).data.call.state == "HELD"
        assert (await alice.retrieve_call(dialog)).data.call.state == "ACTIVE"
        consult = await alice.consult_call("5002", dialog)
        assert isinstance(consult.data, EventData.CONSULT_CALL)
        offered = await next_event(bob_events, lambda e: e.kind == "new_inbound_call")
        assert offered.data.call.call_type == "CONSULT"
        await bob.answer_call(offered.data.call.dialog_id)
        conf = await alice.conference_call("5002", dialog)
        assert conf.data.call.participants_count == 3
        assert conf.data.call.call_type == "CONFERENCE"
        await alice.release_call(dialog)
        # Bob keeps the caller and hands it on blind to Carol.
        moved = await bob.single_step_transfer("5004", dialog)
        assert moved.kind == "inbound_call"
        offered = await next_event(carol_events, lambda e: e.kind == "new_inbound_call")
        assert offered.agent == "1004" and offered.data.call.from_address == "5551234"


async def test_supervisor_queries(config, sim):
    async with gcclient.connect(config) as client:
        sup = client.agent("2001")
        await sup.login("1234", "6001")
        agent = client.agent("1001")
        await agent.login("1234", "5001")
        team = await sup.get_team_users("1", subscribe=True)
        assert {u.login_id for u in team.data.users} >= {"1001", "1002"}
        queues = await sup.get_queue_list()
        assert [q.name for q in queues.data.queues] == ["Sales", "Support"]
        everyone = await sup.get_all_agents()
        assert "1001" in {a.login_id for a in everyone.data.agents}
        reasons = await sup.get_not_ready_reason_codes()
        assert [r.label for r in reasons.data.codes][:2] == ["Break", "Lunch"]
        books = await sup.get_phonebooks()
        assert books.data.found and books.data.phonebooks[0].name == "Global"
        assert sup.snapshot().details.is_supervisor


def test_blocking_api(config, sim):
    with gcclient.sync.connect(config) as client:
        agent = client.agent("1003")
        events = client.events(agent="1003", timeout=5)
        agent.login("1234", "5003")
        assert agent.wait_for_state(S.NOT_READY, timeout=5).state == S.NOT_READY
        assert state(agent.make_ready()) == S.READY
        seen = []
        for e in events:
            if state(e) is not None:
                seen.append(state(e))
            if S.READY in seen:
                break
        assert seen == [S.NOT_READY, S.READY]
        with pytest.raises(gcclient.GcRefusedError) as err:
            agent.answer_call("no-such-dialog")
        assert err.value.agent == "1003"


async def test_listener_runs_on_a_library_thread(config, sim):
    async with gcclient.connect(config) as client:
        got, threads, done = [], set(), threading.Event()

        def on(n):
            threads.add(threading.current_thread().name)
            if isinstance(n, gcclient.Notification.GC_EVENT) and state(n.event):
                got.append(state(n.event))
                if state(n.event) == S.READY:
                    done.set()
            if len(got) > 100:
                raise RuntimeError("listener errors are logged, not fatal")

        sub = client.on_notification(on, agent="1004")
        agent = client.agent("1004")
        await agent.login("1234", "5004")
        await agent.make_ready()
        assert await asyncio.to_thread(done.wait, 5)
        assert got[-2:] == [S.NOT_READY, S.READY]
        assert threading.current_thread().name not in threads
        assert sub.active
        sub.cancel()
        assert not sub.active


async def test_logs_reach_python_logging_without_passwords(config, sim, caplog):
    caplog.set_level(logging.DEBUG, logger="gcclient")
    gcclient.refresh_log_level()
    try:
        async with gcclient.connect(config) as client:
            agent = client.agent("1001")
            with pytest.raises(gcclient.GcRefusedError) as err:
                await agent.login("Wr0ng-Pa55word", "5001")
            assert err.value.code == gcclient.ErrorCode.SUBSCRIPTION_FAILED
            await agent.login("1234", "5001")
    finally:
        caplog.set_level(logging.WARNING, logger="gcclient")
        gcclient.refresh_log_level()
    names = {r.name for r in caplog.records}
    assert any(n.startswith("gcclient.session") for n in names), names
    assert any("in_service" in r.getMessage() for r in caplog.records)
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "Wr0ng-Pa55word" not in text and "#1234" not in text


async def test_re_login_answer_is_an_error_and_prefixless_calls_reach_the_agent(config, sim):
    async with gcclient.connect(config) as client:
        # GC answers a command for an agent it has no session for with
        # State#RE_LOGIN: the command was not carried out, so it is an error.
        with pytest.raises(gcclient.SessionLostError) as lost:
            await client.agent("1003").get_state()
        assert lost.value.agent == "1003"
        assert "not carried out" in str(lost.value)
        # The guide's NewInboundCall carries no agent id; this client's only
        # agent gets it on its own event stream.
        agent = client.agent("1001")
        await agent.login("1234", "5001")
        await agent.make_ready()
        events = agent.events()
        dialog = sim.offer("1001", "5551234")
        offer = await next_event(events, lambda e: e.kind == "new_inbound_call")
        assert offer.agent == "1001"
        assert offer.data.call.dialog_id == dialog
