#!/usr/bin/env bash
# Installs the Debian 12 packages Coachbot builds and tests with. Idempotent: does
# nothing when everything is present. Needs root (or sudo).
set -euo pipefail

packages=(
  g++ cmake ninja-build ccache
  libboost1.81-dev libboost-url1.81-dev libssl-dev
  nlohmann-json3-dev libsqlitecpp-dev libsqlite3-dev libspdlog-dev
  catch2 libhowardhinnant-date-dev libcpp-jwt-dev libcli11-dev tzdata
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "Installing: ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
