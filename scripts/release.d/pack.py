#!/usr/bin/env python3
"""Packs one platform's or many platforms' native libraries into the
release artifacts that carry them (stdlib only, so it runs on any CI host).

    pack.py wheels --template WHEEL --natives DIR --out DIR
        one wheel per platform found in DIR: the template wheel's Python
        files and metadata with that platform's libgcclient_uniffi and tags
    pack.py jar --jar JAR --natives DIR
        puts every platform's gcclient_uniffi library into the jar under the
        resource prefix JNA looks in (linux-x86-64/, win32-x86-64/, ...)
    pack.py names RID
        the file names of RID's libraries (for shell scripts)

DIR holds one folder per platform, named by its .NET runtime id, with the
files cargo built there under their platform's names:
    DIR/linux-x64/libgcclient.so  libgcclient.a  libgcclient_uniffi.so  gcclient  gcclient-sim
    DIR/win-x64/gcclient.dll  gcclient.dll.lib  gcclient.lib  gcclient_uniffi.dll  gcclient.exe ...
A platform whose folder is missing is left out (and reported).
"""
import argparse
import base64
import hashlib
import io
import os
import re
import sys
import zipfile

# rid -> (OS family, JNA resource prefix, wheel platform tags)
PLATFORMS = {
    "linux-x64": ("linux", "linux-x86-64", ["manylinux_2_17_x86_64", "manylinux2014_x86_64"]),
    "linux-arm64": ("linux", "linux-aarch64", ["manylinux_2_17_aarch64", "manylinux2014_aarch64"]),
    "osx-x64": ("darwin", "darwin-x86-64", ["macosx_10_12_x86_64"]),
    "osx-arm64": ("darwin", "darwin-aarch64", ["macosx_11_0_arm64"]),
    "win-x64": ("windows", "win32-x86-64", ["win_amd64"]),
}


def libname(rid, stem):
    """The file name of shared library `stem` on rid's OS."""
    family = PLATFORMS[rid][0]
    return {"linux": f"lib{stem}.so", "darwin": f"lib{stem}.dylib", "windows": f"{stem}.dll"}[family]


def exename(rid, stem):
    return stem + (".exe" if PLATFORMS[rid][0] == "windows" else "")


def staticname(rid, stem):
    # MSVC names a static library STEM.lib (the import library of the DLL is STEM.dll.lib).
    return f"{stem}.lib" if PLATFORMS[rid][0] == "windows" else f"lib{stem}.a"


def present(natives, stem):
    """rid -> path of the `stem` shared library, for each platform in `natives`."""
    found = {}
    for rid in PLATFORMS:
        path = os.path.join(natives, rid, libname(rid, stem))
        if os.path.isfile(path):
            found[rid] = path
    if not found:
        sys.exit(f"pack.py: no {stem} library for any platform under {natives}")
    missing = sorted(set(PLATFORMS) - set(found))
    if missing:
        print(f"pack.py: no {stem} library for {', '.join(missing)}: left out", file=sys.stderr)
    return found


def record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def write_zip(path, entries):
    """entries: list of (name, bytes, unix mode)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data, mode in entries:
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = (mode & 0xFFFF) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(info, data)


def cmd_wheels(args):
    natives = present(args.natives, "gcclient_uniffi")
    with zipfile.ZipFile(args.template) as z:
        entries = [(i.filename, z.read(i), i.external_attr >> 16) for i in z.infolist()]
    base = os.path.basename(args.template)
    m = re.match(r"^([^-]+)-([^-]+)-([^-]+)-([^-]+)-(.+)\.whl$", base)
    if not m:
        sys.exit(f"pack.py: {base} is not a wheel file name")
    dist, version, py, abi, _ = m.groups()
    template_lib = [n for n, _, _ in entries if re.search(r"/(lib)?gcclient_uniffi\.(so|dylib|dll)$", n)]
    if len(template_lib) != 1:
        sys.exit(f"pack.py: expected one gcclient_uniffi library in {base}, found {template_lib}")
    lib_dir = template_lib[0].rsplit("/", 1)[0]
    os.makedirs(args.out, exist_ok=True)
    for rid, path in natives.items():
        tags = PLATFORMS[rid][2]
        with open(path, "rb") as f:
            lib = f.read()
        out = []
        record_name = None
        for name, data, mode in entries:
            if name == template_lib[0]:
                name, data, mode = f"{lib_dir}/{libname(rid, 'gcclient_uniffi')}", lib, 0o100755
            elif name.endswith(".dist-info/WHEEL"):
                text = data.decode()
                text = re.sub(r"^Tag: .*\n", "", text, flags=re.M)
                text += "".join(f"Tag: {py}-{abi}-{t}\n" for t in tags)
                data = text.encode()
            elif name.endswith(".dist-info/RECORD"):
                record_name = name
                continue
            out.append((name, data, mode))
        # The simulator, for gcclient.testing (found at gcclient/bin/).
        sim = os.path.join(args.natives, rid, exename(rid, "gcclient-sim"))
        if os.path.isfile(sim):
            with open(sim, "rb") as f:
                out.append((f"{lib_dir.rsplit('/', 1)[0]}/bin/{exename(rid, 'gcclient-sim')}", f.read(), 0o100755))
        lines = [record_line(n, d) for n, d, _ in out] + [f"{record_name},,"]
        out.append((record_name, ("\n".join(lines) + "\n").encode(), 0o100644))
        wheel = os.path.join(args.out, f"{dist}-{version}-{py}-{abi}-{'.'.join(tags)}.whl")
        write_zip(wheel, out)
        print(wheel)


def cmd_jar(args):
    natives = present(args.natives, "gcclient_uniffi")
    with zipfile.ZipFile(args.jar) as z:
        entries = [(i.filename, z.read(i), i.external_attr >> 16) for i in z.infolist()]
    prefixes = {p[1] + "/" for p in PLATFORMS.values()}
    # Drop whatever natives the jar had, so only the given platforms remain.
    kept = [e for e in entries if not any(e[0].startswith(p) for p in prefixes)]
    added = []
    for rid, path in natives.items():
        with open(path, "rb") as f:
            data = f.read()
        prefix = PLATFORMS[rid][1]
        added.append((f"{prefix}/", b"", 0o40755))
        added.append((f"{prefix}/{libname(rid, 'gcclient_uniffi')}", data, 0o100755))
    # The manifest stays first, as java.util.jar.JarInputStream expects.
    head = [e for e in kept if e[0] in ("META-INF/", "META-INF/MANIFEST.MF")]
    rest = [e for e in kept if e not in head]
    write_zip(args.jar + ".tmp", head + added + rest)
    os.replace(args.jar + ".tmp", args.jar)
    for name, _, _ in added:
        if not name.endswith("/"):
            print(f"{args.jar}: {name}")


def cmd_names(args):
    rid = args.rid
    if rid not in PLATFORMS:
        sys.exit(f"pack.py: unknown platform {rid} (known: {', '.join(PLATFORMS)})")
    print(libname(rid, "gcclient"), staticname(rid, "gcclient"), libname(rid, "gcclient_uniffi"),
          exename(rid, "gcclient"), exename(rid, "gcclient-sim"), PLATFORMS[rid][0])


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("wheels")
    w.add_argument("--template", required=True)
    w.add_argument("--natives", required=True)
    w.add_argument("--out", required=True)
    j = sub.add_parser("jar")
    j.add_argument("--jar", required=True)
    j.add_argument("--natives", required=True)
    r = sub.add_parser("names")
    r.add_argument("rid")
    args = p.parse_args()
    {"wheels": cmd_wheels, "jar": cmd_jar, "names": cmd_names}[args.cmd](args)


if __name__ == "__main__":
    main()
