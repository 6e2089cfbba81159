#!/usr/bin/env bash
# Drives `byok simulate` with Microsoft's own client library, @azure/msal-node
# (tests/msal): once directly against `byok simulate --tls`, once against a
# plain-http simulator behind a TLS-terminating proxy that sets
# X-Forwarded-Proto: https (tests/msal/tlsproxy).
#
# It builds byok and the proxy, starts both simulators on free loopback
# ports with tests/msal/world.json, installs the pinned packages with
# `npm ci` from tests/msal/package-lock.json, runs `node --test` and stops
# everything it started. Without Node (20 or newer) or npm it skips,
# saying why, and exits 0.
set -euo pipefail

case $0 in
*/*) cd "${0%/*}/.." ;;
*) cd .. ;;
esac
root=$(pwd)

skip() {
	printf 'msal-test: SKIPPED: %s\n' "$*"
	exit 0
}

command -v node >/dev/null 2>&1 || skip "node is not installed (the msal-node suite needs Node.js 20 or newer)"
command -v npm >/dev/null 2>&1 || skip "npm is not installed (needed to install @azure/msal-node from tests/msal/package-lock.json)"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || skip "node $(node --version) is too old; @azure/msal-node 7 needs Node.js 20 or newer"

work=$(mktemp -d)
pids=()
cleanup() {
	for pid in "${pids[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in "${pids[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	rm -rf "$work"
}
trap cleanup EXIT

echo "msal-test: building byok and the TLS proxy"
go build -o "$work/byok" .
go build -o "$work/tlsproxy" ./tests/msal/tlsproxy

# start NAME FD CMD...: runs CMD with its output on a pipe, reads it up to
# its "listening on URL" line, and keeps draining it into $work/NAME.log.
# Sets $started_url and, for `byok simulate --tls`, $started_ca.
start() {
	local name=$1 fd=$2
	shift 2
	mkfifo "$work/$name.fifo"
	"$@" >"$work/$name.fifo" 2>&1 &
	pids+=("$!")
	eval "exec $fd<\"$work/$name.fifo\""
	started_url="" started_ca=""
	local line
	while IFS= read -r -t 60 line <&"$fd"; do
		printf '%s\n' "$line" >>"$work/$name.log"
		case $line in
		*"listening on "*) started_url=${line##*listening on } ;;
		*"CA certificate:"*) started_ca=$(printf '%s' "${line#*CA certificate:}" | tr -d ' ') ;;
		esac
		case $line in
		"Press Ctrl+C to stop." | "listening on "*) break ;;
		esac
	done
	if [ -z "$started_url" ]; then
		echo "msal-test: $name did not start:" >&2
		cat "$work/$name.log" >&2
		exit 1
	fi
	cat <&"$fd" >>"$work/$name.log" &
	pids+=("$!")
}

start sim-tls 3 "$work/byok" simulate --tls --listen 127.0.0.1:0 --config tests/msal/world.json
tls_url=$started_url tls_ca=$started_ca
start sim-plain 4 "$work/byok" simulate --listen 127.0.0.1:0 --config tests/msal/world.json
plain_url=$started_url
start tlsproxy 5 "$work/tlsproxy" -listen 127.0.0.1:0 -backend "$plain_url" -ca-out "$work/proxy-ca.pem"
proxy_url=$started_url

[ -n "$tls_ca" ] && [ -f "$tls_ca" ] || {
	echo "msal-test: byok simulate --tls printed no CA certificate file" >&2
	exit 1
}
cat "$tls_ca" "$work/proxy-ca.pem" >"$work/ca.pem"
echo "msal-test: simulate --tls at $tls_url; plain $plain_url behind the TLS proxy at $proxy_url"

echo "msal-test: npm ci (tests/msal/package-lock.json)"
(cd tests/msal && npm ci --no-audit --no-fund --loglevel=error)

cd "$root/tests/msal"
NODE_EXTRA_CA_CERTS="$work/ca.pem" \
	MSAL_TARGETS="direct=$tls_url,proxy=$proxy_url" \
	node --test --test-reporter=spec msal.test.mjs
