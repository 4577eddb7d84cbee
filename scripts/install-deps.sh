#!/usr/bin/env bash
# Installs, on Debian 12, the packages erbium needs to build and test that are
# not installed yet. Silent and quick when everything is already there.
#
#   gcc make cmake pkg-config   toolchain
#   libck-dev                   ConcurrencyKit (concurrent structures; see ARCHITECTURE)
#   libcriterion-dev            unit tests
#   zlib1g-dev                  compressed literal chunks in .beam files
#   libgmp-dev                  bignums
#   libpcre2-dev                the regular expressions behind OTP's re module
#   erlang-base                 erlc, erl and OTP's own .beam files (stdlib, kernel)
set -euo pipefail

packages=(gcc make cmake pkg-config libck-dev libcriterion-dev zlib1g-dev
          libgmp-dev libpcre2-dev erlang-base erlang-tools erlang-runtime-tools
          libprotobuf-c-dev protobuf-c-compiler golang-go)

missing=()
for pkg in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    if [[ "$status" != "install ok installed" ]]; then
        missing+=("$pkg")
    fi
done

if ((${#missing[@]} == 0)); then
    exit 0
fi

echo "install-deps: installing ${missing[*]}"
if ((EUID != 0)); then
    if command -v sudo >/dev/null 2>&1; then
        sudo=(sudo)
    else
        echo "install-deps: missing packages and not root: ${missing[*]}" >&2
        exit 1
    fi
else
    sudo=()
fi

export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
# erlang-base alone holds erlc, erl, compiler, kernel and stdlib; its
# recommends (crypto, syntax-tools) are not needed.
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
