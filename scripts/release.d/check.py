#!/usr/bin/env python3
"""Checks what scripts/release put in DIST (the test suite's 70-release step).

    check.py DIST          the artifacts themselves
    check.py merge DIST    the multi-platform packaging (pack.py, pack.sh) with
                           DIST's linux-x64 natives plus stand-in files for the
                           platforms that cannot be built here

Each check prints PASS or FAIL with what it saw; the exit status is the
number of failed checks. Needs objdump (binutils), java, gcc, pkg-config,
and the venv of scripts/release (auditwheel) on PATH.
"""
import base64
import glob
import hashlib
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile

GLIBC_FLOOR = (2, 17)
MAX_NATIVE = 8 * 1024 * 1024
JAVA8_MAJOR = 52

failures = []


class guard:
    """A step that raises counts as one failed check; the next steps still run."""

    def __init__(self, name):
        self.name = name

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if exc is not None:
            detail = exc.stderr.strip()[-400:] if isinstance(exc, subprocess.CalledProcessError) and exc.stderr else repr(exc)
            check(self.name, False, f"raised {detail}")
        return True


def check(name, ok, detail):
    print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}")
    if not ok:
        failures.append(name)


def run(*cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout


def one(dist, pattern):
    found = glob.glob(os.path.join(dist, pattern))
    if len(found) != 1:
        sys.exit(f"check.py: expected one {pattern} in {dist}, found {found}")
    return found[0]


def glibc_max(path):
    """Highest GLIBC_x.y a dynamic ELF file needs (from its dynamic symbols)."""
    out = run("objdump", "-T", path)
    versions = {tuple(int(x) for x in v.split(".")) for v in re.findall(r"GLIBC_([0-9]+(?:\.[0-9]+)+)", out)}
    return max(versions) if versions else None


def main(dist):
    dist = os.path.abspath(dist)
    # auditwheel lives in the venv scripts/release set up.
    venv_bin = os.path.join(os.environ.get("CARGO_TARGET_DIR") or os.path.join(os.path.dirname(__file__), "../../target"), "release-venv/bin")
    os.environ["PATH"] = os.path.abspath(venv_bin) + os.pathsep + os.environ["PATH"]
    version = re.search(r'^version = "(.*)"', open(os.path.join(os.path.dirname(__file__), "../../Cargo.toml")).read(), re.M).group(1)
    work = tempfile.mkdtemp(prefix="gcclient-release-check.")
    natives = {}  # where -> (bytes)

    # --- Python wheel
    with guard("Python wheel"):
        wheel = one(dist, f"gcclient-{version}-py3-none-*x86_64*.whl")
        tags = os.path.basename(wheel)[:-4].split("-", 2)[2]
        check("wheel file name", tags == "py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64", os.path.basename(wheel))
        with zipfile.ZipFile(wheel) as z:
            wheel_meta = z.read(next(n for n in z.namelist() if n.endswith(".dist-info/WHEEL"))).decode()
            lib = next(n for n in z.namelist() if n.endswith("libgcclient_uniffi.so"))
            natives[f"wheel:{lib}"] = z.read(lib)
            sim = next((n for n in z.namelist() if n.endswith("/bin/gcclient-sim")), None)
            if sim:
                natives[f"wheel:{sim}"] = z.read(sim)
        wtags = sorted(re.findall(r"^Tag: (.*)$", wheel_meta, re.M))
        check("wheel tags", wtags == ["py3-none-manylinux2014_x86_64", "py3-none-manylinux_2_17_x86_64"], ", ".join(wtags))
        aw = subprocess.run(["auditwheel", "show", wheel], capture_output=True, text=True)
        aw_text = " ".join((aw.stdout + aw.stderr).split())
        check("auditwheel show", aw.returncode == 0 and 'consistent with the following platform tag: "manylinux_2_17_x86_64"' in aw_text,
              re.sub(r".*(is consistent with [^.]*)\..*", r"\1", aw_text)[:160])
        venv = os.path.join(work, "venv")
        run(sys.executable, "-m", "venv", venv)
        run(os.path.join(venv, "bin", "pip"), "install", "-q", "--disable-pip-version-check", "--no-deps", wheel)
        got = run(os.path.join(venv, "bin", "python"), "-c", "import gcclient._native as n; print(n.version())").strip()
        check("wheel imports and calls its native library", got == version, f"version() = {got!r}")
        # Issue 19: gcclient.testing starts the simulator shipped in the wheel.
        sim = run(os.path.join(venv, "bin", "python"), "-c",
                  "from gcclient.testing import find_simulator; print(find_simulator())",
                  env={k: v for k, v in os.environ.items() if k != "GCCLIENT_SIM_BIN"} | {"PATH": "/usr/bin:/bin"}).strip()
        sim_runs = subprocess.run([sim, "--version"], capture_output=True, text=True)
        check("wheel ships the simulator, found by gcclient.testing",
              "/site-packages/gcclient/bin/gcclient-sim" in sim and sim_runs.returncode == 0,
              f"{sim}: {sim_runs.stdout.strip() or sim_runs.stderr.strip()[:120]}")
        sdist = one(dist, f"gcclient-{version}.tar.gz")
        with tarfile.open(sdist) as t:
            names = t.getnames()
        check("sdist holds the Rust sources and pyproject", any(n.endswith("/pyproject.toml") for n in names)
              and any(n.endswith("core/Cargo.toml") for n in names), f"{len(names)} files")

    # --- JVM jars
    with guard("JVM jars"):
        jar = one(dist, f"gcclient-{version}.jar")
        with zipfile.ZipFile(jar) as z:
            cls = [n for n in z.namelist() if n.startswith("io/gcclient/") and n.endswith(".class")]
            majors = {int.from_bytes(z.read(n)[6:8], "big") for n in cls}
            jlib = "linux-x86-64/libgcclient_uniffi.so"
            natives[f"jar:{jlib}"] = z.read(jlib)
        check("jar class file version", majors == {JAVA8_MAJOR},
              f"major {sorted(majors)} in {len(cls)} classes (52 = Java 8)")
        cp = os.path.join(work, "cp.txt")
        pom = os.path.join(os.path.dirname(__file__), "../../bindings/kotlin/pom.xml")
        run("mvn", "-q", "-B", "-ntp", "-f", pom, "dependency:build-classpath", "-Dmdep.includeScope=runtime", f"-Dmdep.outputFile={cp}")
        probe = os.path.join(work, "Probe.java")
        with open(probe, "w") as f:
            f.write("public class Probe { public static void main(String[] a) throws Exception {"
                    " System.out.println(Class.forName(a[0]).getMethod(\"version\").invoke(null)); } }\n")
        # uniffi puts the namespace's top-level functions in <Namespace>Kt,
        # in the internal package since the public API was split from it.
        facade = next((n[:-6].replace("/", ".") for n in cls if re.match(r"io/gcclient/(internal/)?Gcclient(_uniffi)?Kt\.class$", n)), "io.gcclient.internal.GcclientKt")
        # jna.nosys: JNA must take the library from the jar, not from the system.
        java = subprocess.run(["java", "-Djna.nosys=true", "-cp", jar + ":" + open(cp).read().strip(), probe, facade],
                              capture_output=True, text=True)
        got = java.stdout.strip()
        check("jar's native library loads (JNA, from the jar)", java.returncode == 0 and got == version,
              f"version() = {got!r}" + (f"; {java.stderr.strip()[-300:]}" if java.returncode else ""))
        for kind in ("sources", "javadoc"):
            path = os.path.join(dist, f"gcclient-{version}-{kind}.jar")
            with zipfile.ZipFile(path) as z:
                names = z.namelist()
            want = "io/gcclient/GcClient.kt" if kind == "sources" else "index.html"
            check(f"{kind} jar", want in names and (kind != "sources" or any(re.match(r"io/gcclient/(internal/)?gcclient(_uniffi)?\.kt$", n) for n in names)),
                  f"{len(names)} entries, {want} {'present' if want in names else 'MISSING'}")

    # --- NuGet package
    with guard("NuGet package"):
        nupkg = one(dist, f"GcClient.{version}.nupkg")
        problems = nupkg_layout(nupkg, expect_rids=["linux-x64"])
        check("nupkg layout", not problems, "; ".join(problems) or "lib/net462, build/net462/GcClient.targets, runtimes/linux-x64/native/libgcclient_native.so")
        with zipfile.ZipFile(nupkg) as z:
            n = "runtimes/linux-x64/native/libgcclient_native.so"
            natives[f"nupkg:{n}"] = z.read(n)

    # --- C library and tools
    with guard("C library and tools"):
        ctar = one(dist, f"gcclient-c-{version}-linux-x64.tar.gz")
        with tarfile.open(ctar) as t:
            t.extractall(work)
        prefix = os.path.join(work, f"gcclient-c-{version}-linux-x64")
        want = ["include/gcclient.h", "lib/libgcclient.so", "lib/libgcclient.a", "lib/pkgconfig/gcclient.pc",
                "lib/cmake/gcclient/gcclientConfig.cmake", "lib/cmake/gcclient/gcclientConfigVersion.cmake"]
        missing = [w for w in want if not os.path.exists(os.path.join(prefix, w))]
        check("C tarball contents", not missing, "missing " + ", ".join(missing) if missing else ", ".join(want))
        natives["c:lib/libgcclient.so"] = open(os.path.join(prefix, "lib/libgcclient.so"), "rb").read()
        src = os.path.join(work, "v.c")
        with open(src, "w") as f:
            f.write('#include <gcclient.h>\n#include <stdio.h>\n'
                    'int main(void) { char v[64]; size_t n = 0; if (gc_version(v, sizeof v, &n) != GC_OK) return 1;'
                    ' printf("%.*s\\n", (int)n, v); return 0; }\n')
        env = dict(os.environ, PKG_CONFIG_PATH=os.path.join(prefix, "lib/pkgconfig"))
        flags = run("pkg-config", "--cflags", "--libs", "gcclient", env=env).split()
        exe = os.path.join(work, "v")
        run("gcc", "-o", exe, src, *flags, f"-Wl,-rpath,{prefix}/lib")
        got = run(exe).strip().strip("\0")
        check("C tarball: pkg-config build from its unpacked place runs", got == version, f"gc_version() = {got!r}")
        ttar = one(dist, f"gcclient-tools-{version}-linux-x64.tar.gz")
        with tarfile.open(ttar) as t:
            t.extractall(work)
        bindir = os.path.join(work, f"gcclient-tools-{version}-linux-x64", "bin")
        got = run(os.path.join(bindir, "gcclient"), "encode", "make_call", "--agent", "1001", "5002")
        check("gcclient binary runs", "type: MakeCall#1001" in got, got.strip().replace("\n", " | "))
        got = subprocess.run([os.path.join(bindir, "gcclient-sim"), "--help"], capture_output=True, text=True)
        check("gcclient-sim binary runs", got.returncode == 0 and "Usage" in got.stdout, got.stdout.splitlines()[0] if got.stdout else got.stderr[-200:])
        for b in ("gcclient", "gcclient-sim"):
            natives[f"tools:bin/{b}"] = open(os.path.join(bindir, b), "rb").read()

    # --- every native: glibc floor, stripped, size
    with guard("every native: glibc floor, stripped, size"):
        print("\n| native | size | highest GLIBC_ | .symtab |")
        print("|---|---:|---|---|")
        for where, data in natives.items():
            path = os.path.join(work, "elf")
            with open(path, "wb") as f:
                f.write(data)
            g = glibc_max(path)
            stripped = not has_symtab(path)
            print(f"| {where} | {len(data) / 1048576:.2f} MB | {'.'.join(map(str, g)) if g else '-'} | {'stripped' if stripped else 'PRESENT'} |")
            ok = g is not None and g <= GLIBC_FLOOR and stripped and (len(data) <= MAX_NATIVE or "tools:" in where)
            if not ok:
                check(f"native {where}", False, f"glibc {g}, stripped {stripped}, {len(data)} bytes")
        check("every native: GLIBC_ <= 2.17, stripped, library <= 8 MB", not any(f.startswith("native ") for f in failures),
              f"{len(natives)} files")

    print("\n| artifact | size |")
    print("|---|---:|")
    for path in sorted(glob.glob(os.path.join(dist, "*"))):
        print(f"| {os.path.basename(path)} | {os.path.getsize(path) / 1048576:.2f} MB |")

    print(f"\nrelease checks: {len(failures)} failed" + (f" ({', '.join(failures)})" if failures else ""))
    return len(failures)


def has_symtab(path):
    out = run("readelf", "-S", "-W", path)
    return " .symtab " in out


def nupkg_layout(nupkg, expect_rids):
    """What is wrong with the package's layout (empty: nothing)."""
    problems = []
    with zipfile.ZipFile(nupkg) as z:
        names = [n for n in z.namelist() if not n.endswith("/")]
        targets = z.read("build/net462/GcClient.targets").decode() if "build/net462/GcClient.targets" in names else None
    # Two paths equal but for case are one file on NTFS (and in NuGet's folder).
    seen = {}
    for n in names:
        seen.setdefault(n.lower(), []).append(n)
    problems += [f"case collision: {v}" for v in seen.values() if len(v) > 1]
    # The files one .NET Framework output folder receives: the managed
    # assembly and every native the targets file copies there.
    for need in ("lib/net462/GcClient.dll", "lib/net462/GcClient.xml", "build/net462/GcClient.targets"):
        if need not in names:
            problems.append(f"missing {need}")
    for rid in expect_rids:
        native = {"win": "gcclient_native.dll", "osx": "libgcclient_native.dylib"}.get(rid.split("-")[0], "libgcclient_native.so")
        if f"runtimes/{rid}/native/{native}" not in names:
            problems.append(f"missing runtimes/{rid}/native/{native}")
    extra = sorted({n.split("/")[1] for n in names if n.startswith("runtimes/")} - set(expect_rids))
    if extra:
        problems.append(f"unexpected runtimes {extra}")
    if targets is not None:
        refs = re.findall(r'Include="\$\(MSBuildThisFileDirectory\)([^"]+)"', targets)
        for ref in refs:
            path = os.path.normpath(os.path.join("build/net462", ref.replace("\\", "/")))
            if path not in names:
                problems.append(f"targets references {path}, not in the package")
        copied = {os.path.basename(r.replace("\\", "/")).lower() for r in refs} | {"gcclient.dll", "gcclient.xml"}
        if len(copied) != len(refs) + 2:
            problems.append(f"targets copies files whose names collide with each other or GcClient.dll: {refs}")
        if not refs:
            problems.append("targets copies no native library")
    return problems


STAND_INS = {  # rid -> the C-ABI and uniffi library file names there
    "linux-arm64": ("libgcclient.so", "libgcclient_uniffi.so"),
    "osx-x64": ("libgcclient.dylib", "libgcclient_uniffi.dylib"),
    "osx-arm64": ("libgcclient.dylib", "libgcclient_uniffi.dylib"),
    "win-x64": ("gcclient.dll", "gcclient_uniffi.dll"),
}


def merge(dist):
    """Multi-platform wheels, jar and .nupkg from linux-x64 + stand-ins."""
    dist = os.path.abspath(dist)
    here = os.path.dirname(os.path.abspath(__file__))
    version = re.search(r'^version = "(.*)"', open(os.path.join(here, "../../Cargo.toml")).read(), re.M).group(1)
    work = tempfile.mkdtemp(prefix="gcclient-release-merge.")
    nat = os.path.join(work, "natives")
    os.makedirs(os.path.join(nat, "linux-x64"))
    wheel = one(dist, f"gcclient-{version}-py3-none-manylinux_2_17_x86_64*.whl")
    with zipfile.ZipFile(wheel) as z:
        real_uniffi = z.read(next(n for n in z.namelist() if n.endswith("libgcclient_uniffi.so")))
    with tarfile.open(one(dist, f"gcclient-c-{version}-linux-x64.tar.gz")) as t:
        real_c = t.extractfile(f"gcclient-c-{version}-linux-x64/lib/libgcclient.so").read()
    content = {("linux-x64", "libgcclient.so"): real_c, ("linux-x64", "libgcclient_uniffi.so"): real_uniffi}
    for rid, files in STAND_INS.items():
        for f in files:
            content[(rid, f)] = f"stand-in {rid}/{f}\n".encode()
    for (rid, f), data in content.items():
        os.makedirs(os.path.join(nat, rid), exist_ok=True)
        with open(os.path.join(nat, rid, f), "wb") as out:
            out.write(data)
    pack = [sys.executable, os.path.join(here, "pack.py")]

    # wheels: one per platform, each with its own library, tags and a RECORD that matches
    out = os.path.join(work, "wheels")
    run(*pack, "wheels", "--template", wheel, "--natives", nat, "--out", out)
    expect = {
        "linux-x64": "manylinux_2_17_x86_64.manylinux2014_x86_64", "linux-arm64": "manylinux_2_17_aarch64.manylinux2014_aarch64",
        "osx-x64": "macosx_10_12_x86_64", "osx-arm64": "macosx_11_0_arm64", "win-x64": "win_amd64",
    }
    problems = []
    for rid, plat in expect.items():
        path = os.path.join(out, f"gcclient-{version}-py3-none-{plat}.whl")
        if not os.path.exists(path):
            problems.append(f"no {os.path.basename(path)}")
            continue
        libfile = STAND_INS.get(rid, ("", "libgcclient_uniffi.so"))[1]
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            libs = [n for n in names if re.search(r"gcclient_uniffi\.(so|dylib|dll)$", n)]
            if libs != [f"gcclient/_native/{libfile}"]:
                problems.append(f"{rid}: libraries {libs}")
            elif z.read(libs[0]) != content[(rid, libfile)]:
                problems.append(f"{rid}: wrong library bytes")
            meta = z.read(next(n for n in names if n.endswith(".dist-info/WHEEL"))).decode()
            tags = sorted(re.findall(r"^Tag: py3-none-(.*)$", meta, re.M))
            if tags != sorted(plat.split(".")):
                problems.append(f"{rid}: tags {tags}")
            record = z.read(next(n for n in names if n.endswith(".dist-info/RECORD"))).decode()
            for line in record.splitlines():
                name, digest, size = line.rsplit(",", 2)
                if digest:
                    data = z.read(name)
                    want = "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
                    if digest != want or int(size) != len(data):
                        problems.append(f"{rid}: RECORD wrong for {name}")
            if len(record.splitlines()) != len(names):
                problems.append(f"{rid}: RECORD lists {len(record.splitlines())} of {len(names)} files")
    check("merge: one wheel per platform", not problems, "; ".join(problems) or ", ".join(expect.values()))

    # jar: every platform's library under JNA's prefix, the rest of the jar intact
    jar = os.path.join(work, "gcclient.jar")
    with open(one(dist, f"gcclient-{version}.jar"), "rb") as src, open(jar, "wb") as dst:
        dst.write(src.read())
    with zipfile.ZipFile(jar) as z:
        before = {n for n in z.namelist() if not re.match(r"^(linux|darwin|win32)-", n)}
    run(*pack, "jar", "--jar", jar, "--natives", nat)
    prefixes = {"linux-x64": "linux-x86-64", "linux-arm64": "linux-aarch64", "osx-x64": "darwin-x86-64",
                "osx-arm64": "darwin-aarch64", "win-x64": "win32-x86-64"}
    problems = []
    with zipfile.ZipFile(jar) as z:
        names = z.namelist()
        if names[:2] != ["META-INF/", "META-INF/MANIFEST.MF"] and names[:1] != ["META-INF/MANIFEST.MF"]:
            problems.append(f"manifest not first: {names[:2]}")
        for rid, prefix in prefixes.items():
            libfile = STAND_INS.get(rid, ("", "libgcclient_uniffi.so"))[1]
            entry = f"{prefix}/{libfile}"
            if entry not in names:
                problems.append(f"no {entry}")
            elif z.read(entry) != content[(rid, libfile)]:
                problems.append(f"wrong bytes in {entry}")
        after = {n for n in names if not re.match(r"^(linux|darwin|win32)-", n)}
        if after != before:
            problems.append(f"other entries changed: {sorted(before ^ after)[:5]}")
    check("merge: jar with every platform's library", not problems, "; ".join(problems) or ", ".join(prefixes.values()))

    # nupkg: runtimes/<rid>/native/ for each, targets naming only those
    build = os.path.join(work, "dotnet")
    os.makedirs(build)
    with zipfile.ZipFile(one(dist, f"GcClient.{version}.nupkg")) as z:
        for f in ("GcClient.dll", "GcClient.xml"):
            with open(os.path.join(build, f), "wb") as out:
                out.write(z.read(f"lib/net462/{f}"))
    nout = os.path.join(work, "nupkg")
    pack_sh = os.path.join(here, "../../bindings/dotnet/pack.sh")
    run("bash", pack_sh, nout, build, nat, version)
    nupkg = os.path.join(nout, f"GcClient.{version}.nupkg")
    problems = nupkg_layout(nupkg, expect_rids=sorted(prefixes))
    with zipfile.ZipFile(nupkg) as z:
        if z.read("runtimes/win-x64/native/gcclient_native.dll") != content[("win-x64", "gcclient.dll")]:
            problems.append("wrong bytes in the win-x64 native")
        targets = z.read("build/net462/GcClient.targets").decode()
    if "GcClientNativeMissing" in targets:
        problems.append("targets reports a missing native though every platform is there")
    check("merge: nupkg with runtimes/<rid>/native/ for every platform", not problems,
          "; ".join(problems) or ", ".join(f"runtimes/{r}" for r in sorted(prefixes)))
    print(f"\nmerge checks: {len(failures)} failed" + (f" ({', '.join(failures)})" if failures else ""))
    return len(failures)


if __name__ == "__main__":
    if sys.argv[1] == "merge":
        sys.exit(merge(sys.argv[2]))
    sys.exit(main(sys.argv[1]))
