#!/usr/bin/env bash
# Downloads a MovieLens zip, checks its MD5 and unpacks it into DEST (e.g. DEST/ml-latest-small/).
# Used by the Dockerfile only when built with --build-arg MOVIELENS_FETCH=1: the data is never
# committed, because the MovieLens licence forbids redistributing it.
#
#   fetch-movielens.sh URL DEST [MD5]
#
# Without MD5, the checksum GroupLens publishes beside each zip (URL.md5) is used. Nothing is left
# in DEST unless the checksum matches.
set -euo pipefail

if [[ $# -lt 2 || $# -gt 3 ]]; then
  echo "usage: fetch-movielens.sh URL DEST [MD5]" >&2
  exit 2
fi
url=$1
dest=$2
expected=${3:-}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "Downloading $url" >&2
curl -fsSL --retry 3 -o "$work/movielens.zip" "$url"
if [[ -z $expected ]]; then
  # GroupLens' .md5 files hold the hex digest next to the file name, in either md5sum or BSD style.
  expected=$(curl -fsSL --retry 3 "$url.md5" | grep -oE '[0-9a-fA-F]{32}' | head -n 1 || true)
fi
if [[ ! $expected =~ ^[0-9a-fA-F]{32}$ ]]; then
  echo "fetch-movielens: no MD5 checksum for $url (pass one as the third argument)" >&2
  exit 1
fi
actual=$(md5sum "$work/movielens.zip" | cut -d ' ' -f 1)
if [[ ${actual,,} != "${expected,,}" ]]; then
  echo "fetch-movielens: checksum mismatch for $url: expected $expected, got $actual" >&2
  exit 1
fi

unzip -q "$work/movielens.zip" -d "$work/unpacked"
mkdir -p "$dest"
# The zip holds one folder named after the data set (ml-latest-small/); move it as a whole.
mv "$work/unpacked"/* "$dest/"
echo "MovieLens unpacked into $dest" >&2
