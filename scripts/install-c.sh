#!/usr/bin/env bash
# Installs the C library of gcclient under PREFIX: the header, the shared
# and static libraries, a pkg-config file and a CMake package config.
#
#   scripts/install-c.sh PREFIX [--libdir DIR] [--release]
#
# DIR is where cargo put libgcclient.{so,a} (default: built here with
# `cargo build -p gcclient-ffi`, in $CARGO_TARGET_DIR or target/).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: $0 PREFIX [--libdir DIR] [--release]" >&2; exit 2; }
PREFIX=$(mkdir -p "$1" && cd "$1" && pwd)
shift
LIBDIR= PROFILE=debug
while [ $# -gt 0 ]; do
  case $1 in
    --libdir) LIBDIR=$2; shift 2 ;;
    --release) PROFILE=release; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
if [ -z "$LIBDIR" ]; then
  flag=; [ "$PROFILE" = release ] && flag=--release
  cargo build -p gcclient-ffi $flag >&2
  LIBDIR=${CARGO_TARGET_DIR:-target}/$PROFILE
fi
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)

install -d "$PREFIX/include" "$PREFIX/lib/pkgconfig" "$PREFIX/lib/cmake/gcclient"
install -m 644 include/gcclient.h "$PREFIX/include/"
install -m 755 "$LIBDIR/libgcclient.so" "$PREFIX/lib/"
install -m 644 "$LIBDIR/libgcclient.a" "$PREFIX/lib/"
subst() { sed -e "s|@PREFIX@|$PREFIX|g" -e "s|@VERSION@|$VERSION|g" "$1" > "$2"; }
subst ffi/dist/gcclient.pc.in "$PREFIX/lib/pkgconfig/gcclient.pc"
subst ffi/dist/gcclientConfig.cmake.in "$PREFIX/lib/cmake/gcclient/gcclientConfig.cmake"
subst ffi/dist/gcclientConfigVersion.cmake.in "$PREFIX/lib/cmake/gcclient/gcclientConfigVersion.cmake"
echo "gcclient $VERSION installed in $PREFIX"
