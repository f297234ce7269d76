#!/usr/bin/env bash
# `npm test` runs this first (npm's pretest), and so does CI (.ci/run runs `npm test`): the
# Debian packages the tests need, installed when some are missing and this machine can
# (root, with apt-get), saying what it installs; otherwise it stops at once and prints the one
# command to run. On a machine without dpkg (not Debian) it says what the tests need and goes on.
# Only shell builtins besides id, dpkg-query and apt-get (test/scripts/pretest.test.ts stubs them).
set -uo pipefail

# Each package and what needs it.
PACKAGES=(
  'dataset-fashion-mnist|the real Fashion-MNIST data (dataset, tfjs and example tests)'
  'postgresql|the PostgreSQL storage tests (they start their own server)'
  'chromium|the dashboard browser tests and PNG plots'
  'python3-optuna|the Optuna interoperability tests'
)

say() { printf 'pretest: %s\n' "$*" >&2; }

names=()
for entry in "${PACKAGES[@]}"; do names+=("${entry%%|*}"); done

if ! command -v dpkg-query >/dev/null 2>&1; then
  say "not a Debian system (no dpkg-query): the tests need the equivalents of ${names[*]}; install them, or the tests that need them fail saying so."
  exit 0
fi

missing=()
for entry in "${PACKAGES[@]}"; do
  name="${entry%%|*}"
  status="$(dpkg-query -W -f='${Status}' "$name" 2>/dev/null)"
  if [[ "$status" != *' installed' ]]; then
    missing+=("$name")
    say "missing ${name}: needed by ${entry#*|}"
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

uid="$(id -u 2>/dev/null)"
if [[ "$uid" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
  say "installing ${missing[*]} (apt-get install -y ${missing[*]})"
  export DEBIAN_FRONTEND=noninteractive
  # from the package lists at hand; when that fails (a fresh machine has none), update first
  if apt-get install -y "${missing[@]}" || { apt-get update && apt-get install -y "${missing[@]}"; }; then
    say "installed ${missing[*]}"
    exit 0
  fi
  say "apt-get could not install ${missing[*]}; fix the cause above and run npm test again."
  exit 1
fi

sudo=''
[[ "$uid" == 0 ]] || sudo='sudo '
say "stopping: this machine cannot install them here (it needs root and apt-get). Run:"
printf '  %sapt-get install -y %s\n' "$sudo" "${missing[*]}" >&2
say 'then npm test again.'
exit 1
