"""The generated command methods (gcclient/_commands.py, from core's command
table): every command has its method on both APIs, with the guide's doc
line, and the old names still work but warn."""

import inspect

import pytest

import gcclient
import gcclient.sync
from gcclient import _commands

# Hand-written on purpose: connect and login keep the session's credentials.
HAND_WRITTEN = {"connect", "login"}


def generated():
    return [n for n, f in vars(_commands.AgentCommands).items()
            if inspect.iscoroutinefunction(f) and not n.startswith("_")]


def test_every_generated_method_has_a_blocking_twin_and_a_doc_line():
    names = generated()
    assert "make_call" in names and "answer_call" in names
    assert not HAND_WRITTEN & set(names)
    for name in names:
        doc = inspect.getdoc(getattr(gcclient.Agent, name))
        assert doc, name
        blocking = getattr(gcclient.sync.Agent, name)
        assert not inspect.iscoroutinefunction(blocking), name
        assert inspect.getdoc(blocking), name
        assert (list(inspect.signature(blocking).parameters)
                == list(inspect.signature(getattr(gcclient.Agent, name)).parameters)), name


async def test_the_new_names_and_the_deprecated_old_ones_reach_gc(config, sim):
    async with gcclient.connect(config) as client:
        agent = client.agent("1003")
        await agent.login("1234", "5003")
        with pytest.raises(gcclient.GcRefusedError):
            await agent.answer_call("no-such-dialog")
        with pytest.warns(DeprecationWarning, match="use answer_call"):
            with pytest.raises(gcclient.GcRefusedError):
                await agent.answer("no-such-dialog")
        await agent.logout()
