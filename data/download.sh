#!/usr/bin/env bash
# Downloads a public data set into data/downloads/NAME/ (see data/README.md for licences).
#   data/download.sh ml-1m | ml-20m | ml-100k
set -euo pipefail
name="${1:?usage: data/download.sh ml-1m|ml-20m|ml-100k}"
dest="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/downloads"
mkdir -p "$dest"
case "$name" in
  ml-1m | ml-20m | ml-100k) url="https://files.grouplens.org/datasets/movielens/$name.zip" ;;
  *) echo "Cannot download: unknown data set ($name)" >&2; exit 2 ;;
esac
echo "Fetching $url (MovieLens terms: research use only, no redistribution)" >&2
curl -fL --retry 3 -o "$dest/$name.zip" "$url"
(cd "$dest" && unzip -o -q "$name.zip")
echo "Unpacked into $dest/$name" >&2
