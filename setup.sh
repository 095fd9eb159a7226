#!/usr/bin/env bash
# Installs drover's build dependencies from Debian packages when any is missing.
# Runs as root (or with sudo available). Safe to run again: it installs nothing twice.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  liblua5.4-dev libvalijson-dev libgtest-dev libgmock-dev libbenchmark-dev libcli11-dev libssl-dev zlib1g-dev
  json-schema-test-suite openssl iproute2 procps python3-yaml libxml2-utils
  clang libclang-rt-14-dev
  chromium
  libprotobuf-dev protobuf-compiler libsnappy-dev prometheus
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# chromium: tests/browser opens report.html in it, headless.
# libxml2-utils: xmllint, which validates junit.xml against the JUnit XSD (tests/junit).
# protobuf (lite runtime, protoc) and snappy: --prometheus-rw's remote write requests
# (harness/export); prometheus: tests/integration/prometheus_rw_test.cpp writes to a real one.
# tests/real (the npm RemoteDev servers) needs node and npm, and python3 for node-gyp, which
# builds sqlite3 from source. Debian's nodejs and npm only when there is no node at all (a
# machine may have another node, e.g. nodesource's); Debian's npm brings libnode-dev (headers).
command -v node >/dev/null || missing+=(nodejs npm)
command -v python3 >/dev/null || missing+=(python3)
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
