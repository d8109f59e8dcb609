#!/bin/bash
# Copies the built app (dist/src from `npm run build`, package.json, package-lock.json, the
# READMEs) into APP_DIR, ready for `npm ci --omit=dev` on the target architecture. The copy's
# package.json loses its "prepare" script (it runs tsc, a dev dependency the target does not get).
#
#   stage-app.sh REPO APP_DIR
#
# Exit 0 done, 1 failed (e.g. not built), 2 bad usage.
set -euo pipefail
umask 022

(($# == 2)) || {
  echo "usage: stage-app.sh REPO APP_DIR" >&2
  exit 2
}
repo="$(cd "$1" && pwd)"
app="$2"
for need in dist/src/cli/main.js package.json package-lock.json; do
  [[ -f "$repo/$need" ]] || {
    echo "stage-app: $repo/$need is missing (run npm ci && npm run build first)" >&2
    exit 1
  }
done
rm -rf "$app"
mkdir -p "$app/dist" "$app/device"
cp -r "$repo/dist/src" "$app/dist/src"
cp "$repo/package.json" "$repo/package-lock.json" "$repo/README.md" "$app/"
cp "$repo/device/README.md" "$app/device/README.md"
chmod 0755 "$app/dist/src/cli/main.js"
(cd "$app" && npm pkg delete scripts.prepare)
# On the image everything belongs to root; a non-root dry run keeps the caller as owner.
if ((EUID == 0)); then chown -R 0:0 "$app"; fi
echo "stage-app: $(find "$app" -type f | wc -l) files staged in $app"
