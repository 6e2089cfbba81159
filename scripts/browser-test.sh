#!/usr/bin/env bash
# The browser test: `byok demo --browser` for every demo scenario in a
# headless Chromium, plus LANDINGS (default 20) loopback landings in a row
# that must each deliver the "Done" page (tests/browser/run.mjs says what
# is checked). Screenshots at 1280x800 and 390x844 go to $ARTIFACTS
# (default: a new temporary directory); nothing is written to the tree
# except tests/browser/node_modules.
#
# Installs Debian's chromium (apt-get, as root) and npm's puppeteer-core
# and axe-core (npm ci, pinned by tests/browser/package-lock.json) when
# missing. Where that is impossible (no apt-get, not root, no Node 18+, no
# registry) it says why and exits 0: the Go tests do not need a browser.
# BYOK_BROWSER_TEST=skip skips it on purpose; =require makes every skip a
# failure (for a CI that must run it).
set -euo pipefail

cd "$(dirname "$0")/.."

skip() {
	if [ "${BYOK_BROWSER_TEST:-}" = require ]; then
		printf 'browser test FAILED: %s (BYOK_BROWSER_TEST=require)\n' "$*" >&2
		exit 1
	fi
	printf 'browser test skipped: %s\n' "$*"
	exit 0
}

[ "${BYOK_BROWSER_TEST:-}" = skip ] && skip "BYOK_BROWSER_TEST=skip"

as_root() {
	if [ "$(id -u)" = 0 ]; then
		"$@"
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
		sudo -n "$@"
	else
		return 1
	fi
}

apt_install() {
	command -v apt-get >/dev/null || return 1
	as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null &&
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >/dev/null
}

chromium="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
if [ -z "$chromium" ]; then
	echo "installing Debian's chromium…"
	apt_install chromium fonts-liberation || skip "chromium is not installed and apt-get could not install it (needs Debian/Ubuntu and root)"
	chromium="$(command -v chromium || command -v chromium-browser || true)"
	[ -n "$chromium" ] || skip "chromium was installed but is not on PATH"
fi

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	echo "installing Node.js and npm…"
	apt_install nodejs npm || skip "node and npm are not installed and apt-get could not install them"
fi
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)' ||
	skip "Node.js $(node --version) is too old; puppeteer-core needs 18 or later"

if [ ! -d tests/browser/node_modules/puppeteer-core ] || [ ! -d tests/browser/node_modules/axe-core ]; then
	echo "installing puppeteer-core and axe-core (npm ci)…"
	(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error) ||
		skip "npm ci could not install puppeteer-core and axe-core (no registry access?)"
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/byok" .

artifacts="${ARTIFACTS:-$(mktemp -d "${TMPDIR:-/tmp}/byok-browser-XXXXXX")}"
echo "browser test: $("$chromium" --version 2>/dev/null | head -1), screenshots in $artifacts"
BYOK="$tmp/byok" CHROMIUM="$chromium" ARTIFACTS="$artifacts" node tests/browser/run.mjs
