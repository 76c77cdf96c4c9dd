#!/bin/sh
# tools/deps.sh build|test - make sure the Debian packages formidl needs are
# installed.  As root, missing packages are installed with apt-get; as
# anyone else, the one command to run is printed and the script fails.
set -eu

BUILD_PKGS="gcc make pkg-config libcmark-gfm-dev libcmark-gfm-extensions-dev libyaml-dev libxml2-dev libmicrohttpd-dev"
TEST_PKGS="python3 python3-feedparser nodejs cmark-gfm curl"
# End-to-end tests (tests/e2e.sh): Java for the Nu Html Checker, Chromium
# for axe-core, reflow and print, npm for the pinned packages in tests/e2e.
TEST_PKGS="$TEST_PKGS default-jre-headless chromium"
# Debian's npm only where no npm is installed: a Node.js that bundles its own
# npm (NodeSource's nodejs) conflicts with Debian's npm package.
command -v npm >/dev/null 2>&1 || TEST_PKGS="$TEST_PKGS npm"

case "${1:-build}" in
build) want="$BUILD_PKGS" ;;
test) want="$BUILD_PKGS $TEST_PKGS" ;;
*) echo "usage: $0 build|test" >&2; exit 2 ;;
esac

missing=""
for p in $want; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ]; then
    echo "Installerer manglende pakker:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $missing
else
    echo "Der mangler pakker. Kør denne kommando og prøv igen:" >&2
    echo "  sudo apt-get install -y$missing" >&2
    exit 1
fi
