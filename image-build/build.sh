#!/bin/bash
# Builds the FieldBackup SD-card image: Raspberry Pi OS Lite (arm64) made by pi-gen, plus the
# stage in image-build/stage-fieldbackup (Node.js, the app with its arm64 dependencies, device/).
# Step by step in image-build/README.md.
#
#   image-build/build.sh --ssh-key FILE [--wifi-country CC] [--hostname NAME] [--out DIR] [--no-docker]
#
# --ssh-key is required: the image has no password, SSH with this key is the way in.
# Needs: git, curl, sha256sum, xz, node + npm (to build the app), and Docker (pi-gen's
# build-docker.sh; binfmt/qemu-user-static for arm64 on an x86 host) or, with --no-docker, a
# Debian host with pi-gen's dependencies. Exit 0 built, 1 failed, 2 bad usage.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
# shellcheck source-path=SCRIPTDIR source=versions.env
source "$here/versions.env"

usage() {
  sed -n '6,7p' "$0" | sed 's/^# *//' >&2
  exit 2
}
ssh_key=""
wifi_country="GB"
hostname="fieldbackup"
out="$repo/image-build/deploy"
docker=1
while (($#)); do
  case "$1" in
    --ssh-key) (($# >= 2)) || usage; ssh_key="$2"; shift 2 ;;
    --wifi-country) (($# >= 2)) || usage; wifi_country="$2"; shift 2 ;;
    --hostname) (($# >= 2)) || usage; hostname="$2"; shift 2 ;;
    --out) (($# >= 2)) || usage; out="$2"; shift 2 ;;
    --no-docker) docker=0; shift ;;
    *) usage ;;
  esac
done
[[ -n "$ssh_key" ]] || { echo "build.sh: --ssh-key is required (the image has no passwords)" >&2; usage; }
[[ -f "$ssh_key" ]] || { echo "build.sh: $ssh_key does not exist" >&2; exit 2; }
ssh-keygen -l -f "$ssh_key" >/dev/null || { echo "build.sh: $ssh_key is not an SSH public key" >&2; exit 2; }
[[ "$wifi_country" =~ ^[A-Z]{2}$ ]] || { echo "build.sh: --wifi-country is a two-letter code (GB, DE, US)" >&2; exit 2; }
[[ "$hostname" =~ ^[a-z0-9][a-z0-9-]{0,62}$ ]] || { echo "build.sh: --hostname \"$hostname\" is not a host name" >&2; exit 2; }

work="$repo/image-build/.work"
pigen="$work/pi-gen"
stage="$pigen/stage-fieldbackup"
mkdir -p "$work" "$out"

echo "==> 1/6 Building the app (TypeScript → dist/)"
(cd "$repo" && npm ci --no-audit --no-fund && npm run build)

echo "==> 2/6 pi-gen at $PIGEN_REF"
rm -rf "$pigen"
git clone --quiet --depth 1 --branch "$PIGEN_REF" "$PIGEN_REPO" "$pigen" 2>/dev/null ||
  { git clone --quiet "$PIGEN_REPO" "$pigen" && git -C "$pigen" checkout --quiet "$PIGEN_REF"; }
pigen_commit="$(git -C "$pigen" rev-parse HEAD)"

echo "==> 3/6 Node.js $NODE_VERSION (linux-arm64)"
node_tar="node-v$NODE_VERSION-linux-arm64.tar.xz"
node_url="https://nodejs.org/dist/v$NODE_VERSION"
if [[ ! -f "$work/$node_tar" ]]; then
  curl -fsSL -o "$work/$node_tar.part" "$node_url/$node_tar"
  mv "$work/$node_tar.part" "$work/$node_tar"
fi
curl -fsSL -o "$work/SHASUMS256.txt" "$node_url/SHASUMS256.txt"
(cd "$work" && grep " $node_tar\$" SHASUMS256.txt | sha256sum -c --quiet -)
node_sha="$(sha256sum "$work/$node_tar" | cut -d' ' -f1)"
if [[ -n "${NODE_SHA256:-}" && "$node_sha" != "$NODE_SHA256" ]]; then
  echo "build.sh: $node_tar has sha256 $node_sha, versions.env pins $NODE_SHA256" >&2
  exit 1
fi

echo "==> 4/6 The FieldBackup stage"
cp -r "$here/stage-fieldbackup" "$stage"
mkdir -p "$stage/01-node/files"
cp "$work/$node_tar" "$stage/01-node/files/"
"$here/lib/stage-app.sh" "$repo" "$stage/02-app/files/app"
mkdir -p "$stage/03-device/files/lib"
cp -r "$repo/device" "$stage/03-device/files/device"
cp "$here/lib/assemble-rootfs.sh" "$stage/03-device/files/lib/"
# Only this stage exports an image (not stage2's plain Lite).
touch "$pigen/stage2/SKIP_IMAGES"

echo "==> 5/6 pi-gen config"
# pi-gen refuses DISABLE_FIRST_BOOT_USER_RENAME without FIRST_USER_PASS: it gets a random
# throwaway that is never shown or stored, and 03-device replaces it with "no password".
throwaway="$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24)"
cat >"$pigen/config" <<CONFIG
IMG_NAME=fieldbackup
RELEASE=$RELEASE
DEPLOY_COMPRESSION=xz
TARGET_HOSTNAME=$hostname
FIRST_USER_NAME=fieldbackup
FIRST_USER_PASS=$throwaway
DISABLE_FIRST_BOOT_USER_RENAME=1
ENABLE_SSH=1
PUBKEY_ONLY_SSH=1
PUBKEY_SSH_FIRST_USER="$(cat "$ssh_key")"
WPA_COUNTRY=$wifi_country
LOCALE_DEFAULT=en_US.UTF-8
TIMEZONE_DEFAULT=Etc/UTC
KEYBOARD_KEYMAP=us
KEYBOARD_LAYOUT="English (US)"
STAGE_LIST="stage0 stage1 stage2 stage-fieldbackup"
CONFIG
chmod 600 "$pigen/config"

echo "==> 6/6 pi-gen build (30-90 minutes)"
if ((docker)); then
  (cd "$pigen" && ./build-docker.sh)
else
  (cd "$pigen" && ./build.sh)
fi
rm -f "$pigen/config"

image="$(find "$pigen/deploy" -maxdepth 1 -name '*.img.xz' | head -n 1)"
[[ -n "$image" ]] || { echo "build.sh: pi-gen produced no image in $pigen/deploy" >&2; exit 1; }
cp "$image" "$out/"
# pi-gen's .info lists every package in the image with its version.
for info in "$pigen/deploy/"*.info; do
  [[ -f "$info" ]] && cp "$info" "$out/"
done
name="$(basename "$image")"
(cd "$out" && sha256sum "$name" >"$name.sha256")
cat >"$out/${name%.img.xz}.build-info.txt" <<INFO
image            $name
app commit       $(git -C "$repo" rev-parse HEAD)$(git -C "$repo" diff --quiet || echo " (with uncommitted changes)")
pi-gen           $PIGEN_REPO $PIGEN_REF = $pigen_commit
release          $RELEASE
node             $NODE_VERSION linux-arm64 sha256 $node_sha
built            $(date -u +%Y-%m-%dT%H:%M:%SZ)
INFO
echo "Image: $out/$name (sha256 in $name.sha256, inputs in ${name%.img.xz}.build-info.txt)"
