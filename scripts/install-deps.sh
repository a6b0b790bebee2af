#!/usr/bin/env bash
# Installs every Debian/Ubuntu package that building, testing and benchmarking Sluice needs.
# Safe to run again: packages already present are left alone and apt is not touched at all
# when nothing is missing.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build pkg-config git
  clang llvm clang-format clang-tidy
  # kernel side
  bpftool libbpf-dev libelf-dev zlib1g-dev
  # libraries
  libhyperscan-dev libre2-dev libyaml-cpp-dev libspdlog-dev libfmt-dev nlohmann-json3-dev
  libssl-dev libcapstone-dev libnghttp2-dev  # libnghttp2: HPACK for the request inspector
  libgrpc++-dev libprotobuf-dev protobuf-compiler protobuf-compiler-grpc
  libsqlite3-dev libpq-dev
  libcpp-httplib-dev  # the controller's HTTPS console (built with OpenSSL support)
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  postgresql  # the controller storage suite runs against a throw-away local server too
  chromium    # console browser tests (playwright-core from npm drives /usr/bin/chromium)
  curl openssl python3 iproute2 procps util-linux
  # real clients of the inline-enforcement tests (node and npm come with the machine's nodejs;
  # the openai SDK is installed from npm by the test)
  golang-go nodejs
  gnutls-bin      # gnutls-cli: a GnuTLS client
  libcurl3-nss    # libcurl built with NSS: an NSS client (driven through ctypes)
  libnss3-tools   # tstclnt, NSS's own client, and certutil for its trust store
  # source of scanner/data/safelist.txt (scripts/build-scanner-data.py)
  wamerican
  # packages: sluice.sh package and tests/packaging (dpkg-dev is in build-essential)
  rpm rpmlint lintian cpio
)

if [[ ${EUID} -ne 0 ]]; then
  echo "install-deps: must run as root (try: sudo $0)" >&2
  exit 1
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${#missing[@]} package(s): ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-deps: done"
