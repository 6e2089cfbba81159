#!/usr/bin/env bash
# Cross builds that prove the release targets build on Linux:
#   * windows/amd64 with the mingw-w64 cross compiler (Debian package
#     gcc-mingw-w64-x86-64), linked statically: a PE32+ executable;
#   * linux/amd64 static against musl (Debian package musl-tools): an
#     executable with no dynamic section that runs `byok version`.
# The same flags as .goreleaser.yaml. Each build is skipped, with a
# message, when its compiler is absent; .ci/run installs both.
set -euo pipefail

cd "$(dirname "$0")/.."
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
export CGO_ENABLED=1
ldflags="-s -w -X github.com/hiveku/byok/cmd.Version=cross-check"
built=0 skipped=0

if command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1; then
	echo "==> windows/amd64 with x86_64-w64-mingw32-gcc"
	GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc \
		go build -trimpath -ldflags "$ldflags -extldflags -static" -o "$out/byok.exe" .
	# A PE file starts with "MZ"; its PE header names machine 0x8664 (x86-64).
	if [ "$(head -c 2 "$out/byok.exe")" != "MZ" ]; then
		echo "cross-build: byok.exe is not a Windows executable" >&2
		exit 1
	fi
	if command -v x86_64-w64-mingw32-objdump >/dev/null 2>&1; then
		# Statically linked: no MinGW runtime DLL to ship beside it.
		if x86_64-w64-mingw32-objdump -p "$out/byok.exe" | grep -qiE 'DLL Name: (libgcc|libwinpthread|libstdc)'; then
			echo "cross-build: byok.exe needs MinGW DLLs; it must be linked statically" >&2
			exit 1
		fi
	fi
	echo "    ok: $(wc -c <"$out/byok.exe") bytes, PE executable"
	built=$((built + 1))
else
	echo "==> skipped windows/amd64: x86_64-w64-mingw32-gcc not found (apt-get install gcc-mingw-w64-x86-64)"
	skipped=$((skipped + 1))
fi

if command -v musl-gcc >/dev/null 2>&1 && [ "$(go env GOARCH)" = amd64 ]; then
	echo "==> linux/amd64 static with musl-gcc"
	GOOS=linux GOARCH=amd64 CC=musl-gcc \
		go build -trimpath -tags 'osusergo netgo sqlite_omit_load_extension' \
		-ldflags "$ldflags -linkmode external -extldflags -static" -o "$out/byok" .
	if command -v readelf >/dev/null 2>&1 && readelf -d "$out/byok" 2>/dev/null | grep -q NEEDED; then
		echo "cross-build: the musl build is dynamically linked" >&2
		exit 1
	fi
	"$out/byok" version | head -1 | grep -q '^byok cross-check$' || {
		echo "cross-build: the static binary does not run" >&2
		exit 1
	}
	echo "    ok: static, runs: $("$out/byok" version | head -1)"
	built=$((built + 1))
else
	echo "==> skipped linux/amd64 static: musl-gcc not found (apt-get install musl-tools)"
	skipped=$((skipped + 1))
fi

echo "cross-build: ${built} passed, 0 failed, ${skipped} skipped"
