"""Fixtures: the real broker (GCCLIENT_TEST_STOMP), a unique GC queue per
test, the simulator (gcclient-sim) or a scripted GC peer on that queue.
Coroutine tests run in a fresh event loop each, with a time limit."""

from __future__ import annotations

import asyncio
import inspect
import os
import pathlib
import uuid
from typing import Iterator, Tuple

import pytest

import gcclient
from gcclient.testing import Simulator
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
    """The simulator the tests drive: GCCLIENT_SIM_BIN, else the workspace build."""
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


@pytest.fixture
def sim(broker_url: str, queue: str) -> Iterator[Simulator]:
    """gcclient.testing.Simulator (what users get) on this test's queue."""
    with Simulator(broker_url, queue=queue, binary=sim_binary()) as s:
        yield s
