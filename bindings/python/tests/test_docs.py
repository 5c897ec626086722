"""Documentation: every public function, method and class has a docstring;
the code blocks of the Python docs type-check (mypy --strict) and the
runnable ones run against the simulator; the package's long description is
its README."""

import enum
import importlib.metadata
import inspect
import pathlib
import re

import pytest

import gcclient
import gcclient.sync
import gcclient.testing

from conftest import ROOT

PACKAGE_README = ROOT / "bindings" / "python" / "README.md"


def public_objects():
    for module in (gcclient, gcclient.sync, gcclient.testing):
        for name in module.__all__:
            yield f"{module.__name__}.{name}", getattr(module, name)


def members(cls):
    for klass in cls.__mro__:
        if klass is object or not klass.__module__.startswith("gcclient"):
            continue
        for name, value in vars(klass).items():
            if name.startswith("_"):
                continue
            if isinstance(value, (staticmethod, classmethod)):
                value = value.__func__
            if isinstance(value, property):
                value = value.fget
            if inspect.isfunction(value):
                yield f"{cls.__name__}.{name}", value


def test_every_public_function_method_and_class_has_a_docstring():
    missing = []
    for name, obj in public_objects():
        if inspect.isclass(obj) or inspect.isfunction(obj):
            if not (obj.__doc__ or "").strip():
                missing.append(name)
        if inspect.isclass(obj) and not issubclass(obj, enum.Enum):
            missing += [m for m, f in members(obj) if not (f.__doc__ or "").strip()]
    assert missing == []


def test_help_of_a_command_says_what_it_sends_returns_and_raises():
    doc = gcclient.Agent.answer_call.__doc__
    assert "Sends ``AnswerCall#<agent_id>``" in doc
    assert ":class:`InboundCallEvent`" in doc and "GcRefusedError" in doc
    assert gcclient.sync.Agent.answer_call.__doc__ == doc


def test_long_description_is_the_readme():
    meta = importlib.metadata.metadata("gcclient")
    body = meta.get_payload() or meta["Description"] or ""
    readme = PACKAGE_README.read_text(encoding="utf-8")
    assert body.strip() == readme.strip()
    assert "Quick start" in readme and len(readme.splitlines()) > 30


# -- code blocks --------------------------------------------------------------

DOCS = [ROOT / "docs" / "python.md", *sorted((ROOT / "docs" / "python").glob("*.md")),
        PACKAGE_README]
BLOCK = re.compile(r"(?:<!-- doctest: (\w+) -->\n)?```python\n(.*?)```", re.S)


def blocks():
    """(id, mode, code) of every Python block; mode from the marker before it
    (typecheck when unmarked)."""
    out = []
    for doc in DOCS:
        for i, m in enumerate(BLOCK.finditer(doc.read_text(encoding="utf-8"))):
            out.append((f"{doc.stem}-{i}", m.group(1) or "typecheck", m.group(2)))
    return out


def test_docs_have_python_blocks_of_each_kind():
    modes = {mode for _, mode, _ in blocks()}
    assert {"typecheck", "run", "quickstart", "pytest"} <= modes


def test_examples_docs_and_typed_module_pass_mypy_strict(tmp_path):
    mypy = pytest.importorskip("mypy.api")  # installed by scripts/test.d/30-python.sh
    files = [str(p) for p in sorted((ROOT / "examples" / "python").glob("*.py"))]
    files.append(str(pathlib.Path(__file__).with_name("typed_usage.py")))
    for name, _, code in blocks():
        path = tmp_path / f"doc_{name.replace('-', '_')}.py"
        path.write_text(code, encoding="utf-8")
        files.append(str(path))
    out, err, status = mypy.run(["--strict", "--cache-dir", str(tmp_path / ".mypy"),
                                 "--no-error-summary", *files])
    assert status == 0, out + err


def _run_env():
    import os
    from conftest import sim_binary
    env = dict(os.environ, GCCLIENT_SIM_BIN=sim_binary())
    env.pop("GCCLIENT_TEST_BROKER", None)
    return env


@pytest.mark.parametrize("name,code", [(n, c) for n, m, c in blocks() if m == "run"],
                         ids=[n for n, m, _ in blocks() if m == "run"])
def test_runnable_doc_blocks_run(name, code):
    import subprocess
    import sys
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, env=_run_env())
    assert out.returncode == 0, out.stdout + out.stderr


def test_pytest_doc_block_passes(tmp_path):
    import subprocess
    import sys
    code = next(c for _, m, c in blocks() if m == "pytest")
    (tmp_path / "test_doc_block.py").write_text(code, encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          str(tmp_path)], capture_output=True, text=True, timeout=180,
                         env=_run_env(), cwd=tmp_path)
    assert out.returncode == 0 and "1 passed" in out.stdout, out.stdout + out.stderr


@pytest.mark.parametrize("doc", ["python", "README"])
def test_quick_start_answers_a_call_from_the_simulator(doc, broker_url, queue, sim):
    import subprocess
    import sys
    code = next(c for n, m, c in blocks() if m == "quickstart" and n.startswith(doc)) \
        if doc == "python" else next(c for n, _, c in blocks() if n.startswith("README")
                                      and "wait_for_call" in c)
    code = code.replace('"tcp://mq:61613"', repr(broker_url)).replace(
        'queue="Connector1"', f"queue={queue!r}")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        first = proc.stdout.readline()          # printed once the agent is READY
        assert first == "agent 1001 READY\n", first + proc.stderr.read()
        sim.offer("1001", "5551234", callVariable1="VIP")
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "call from 5551234 {'callVariable1': 'VIP'" in out and "talking: ACTIVE" in out


def test_the_package_itself_passes_mypy_strict(tmp_path):
    mypy = pytest.importorskip("mypy.api")
    ini = tmp_path / "mypy.ini"
    # The uniffi-generated module is not ours to type; everything else is.
    ini.write_text("[mypy]\nstrict = True\n[mypy-gcclient._native.*]\nignore_errors = True\n")
    # By package name (PEP 561, py.typed), not by path: a path inside
    # site-packages makes mypy read site-packages itself as a source root.
    out, err, status = mypy.run(["--config-file", str(ini), "--cache-dir",
                                 str(tmp_path / ".mypy"), "--no-error-summary", "-p", "gcclient"])
    assert status == 0, out + err
