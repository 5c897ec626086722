"""Each failure arrives as its own exception: GC's 20 error codes (and an
unknown one) from a scripted GC, and the client-side failures."""

import asyncio

import pytest

import gcclient
from gcclient import ErrorCode
from gcpeer import state_body

CODES = [c for c in ErrorCode if c != ErrorCode.OTHER]


def refuse(code_text):
    return lambda peer, cmd: ([f"{cmd.target}#Error#{code_text}#detail one"]
                              if cmd.name == "MakeReady" else None)


@pytest.mark.parametrize("code", CODES + [None], ids=[c.name for c in CODES] + ["UNLISTED"])
async def test_each_gc_error_code_raises_gc_refused(config, peer, code):
    text = code.name if code else "SOMETHING_NEW"
    peer.handler = refuse(text)
    async with gcclient.connect(config) as client:
        agent = client.agent("1001")
        with pytest.raises(gcclient.GcRefusedError) as info:
            await agent.make_ready()
        e = info.value
        assert e.code == (code or ErrorCode.OTHER)
        assert e.code_text == text and e.agent == "1001"
        assert e.event.data.details == ("detail one",)
        assert e.info.summary


async def test_silence_raises_request_timeout(config, peer):
    config.request_timeout_ms = 300
    peer.handler = lambda p, cmd: [] if cmd.name == "GetState" else None
    async with gcclient.connect(config) as client:
        with pytest.raises(gcclient.RequestTimeoutError) as info:
            await client.agent("1001").get_state()
        assert info.value.after_ms == 300 and info.value.agent == "1001"
        assert isinstance(info.value, TimeoutError)


async def test_out_of_service_fails_fast(config, peer):
    async with gcclient.connect(config) as client:
        notes = client.notifications()
        agent = client.agent("1001")
        peer.send(client.destination, "System#OUT_OF_SERVICE")

        async def out_of_service():
            async for n in notes:
                if isinstance(n, gcclient.Notification.STATUS) and \
                        n.status == gcclient.ConnectionStatus.OUT_OF_SERVICE:
                    return
        await asyncio.wait_for(out_of_service(), 5)
        with pytest.raises(gcclient.GcOutOfServiceError):
            await agent.make_ready()
        # GC answers the next Hello with IN_SERVICE again.
        await client.wait_in_service(5)
        assert (await agent.make_ready()).data.info.state == gcclient.AgentState.READY


async def test_no_gc_raises_not_in_service(config):
    with pytest.raises(gcclient.NotInServiceError) as info:
        await gcclient.connect(config, in_service_timeout=0.5)
    assert info.value.status == gcclient.ConnectionStatus.WAITING_FOR_GC
    client = await gcclient.connect(config, in_service_timeout=None)
    try:
        with pytest.raises(gcclient.NotInServiceError):
            await client.agent("1001").make_ready()
    finally:
        await client.close()


async def test_bad_argument_raises_before_sending(config, peer):
    async with gcclient.connect(config) as client:
        sent = len(peer.commands)
        with pytest.raises(gcclient.InvalidArgumentError) as info:
            await client.agent("1001").login("pw", "50,01")
        assert info.value.argument == "extension"
        assert isinstance(info.value, ValueError)
        assert [c.name for c in peer.commands[sent:]] in ([], ["Beat"], ["Beat", "Beat"])


async def test_closed_client_raises_closed(config, peer):
    client = await gcclient.connect(config)
    agent = client.agent("1001")
    await client.close()
    await client.close()  # idempotent
    with pytest.raises(gcclient.ClosedError):
        await agent.make_ready()
    assert client.status == gcclient.ConnectionStatus.CLOSED


async def test_cancelled_command_leaves_the_client_usable(config, peer):
    peer.handler = lambda p, cmd: [] if cmd.name == "GetState" else None
    async with gcclient.connect(config) as client:
        agent = client.agent("1001")
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(agent.get_state(), 0.2)
        peer.handler = None
        reply = await agent.get_state()
        assert reply.data.info.state == gcclient.AgentState.READY
        assert reply.raw == state_body("1001", "READY")
