#!/bin/bash
# Installs the device/ files into a root filesystem: every entry of device/rootfs.manifest with
# its owner and mode, and the FieldBackup block of device/boot/config.txt merged into
# DEST/boot/firmware/config.txt (between its marker lines; running it again replaces the block).
# Used by the image build (DEST = pi-gen's rootfs) and by the CI dry run (DEST = an empty folder).
#
#   assemble-rootfs.sh DEVICE_DIR DEST
#
# Owners are looked up in DEST/etc/passwd and DEST/etc/group when DEST has them (the image's own
# ids), else on this machine. Exit 0 done, 1 failed, 2 bad usage. Runs as root (owners).
set -euo pipefail
umask 022

fail() {
  echo "assemble-rootfs: $*" >&2
  exit 1
}
(($# == 2)) || {
  echo "usage: assemble-rootfs.sh DEVICE_DIR DEST" >&2
  exit 2
}
device="$(cd "$1" && pwd)"
dest="$2"
manifest="$device/rootfs.manifest"
[[ -f "$manifest" ]] || fail "$manifest is missing"
[[ -d "$dest" ]] || fail "$dest is not a folder"
dest="$(cd "$dest" && pwd)"
[[ "$dest" != / ]] || fail "refusing to assemble into / (give the image's root folder)"
((EUID == 0)) || fail "run as root: the files get their owners"

# name → numeric id, from the target's databases if it has them.
id_of() { # kind(passwd|group) name
  local db="$dest/etc/$1" id
  if [[ -f "$db" ]]; then
    id="$(awk -F: -v n="$2" '$1 == n { print $3; exit }' "$db")"
  else
    id="$(getent "$1" "$2" | cut -d: -f3)"
  fi
  [[ -n "$id" ]] || fail "$manifest: no $1 entry \"$2\""
  echo "$id"
}

listed=()
line_no=0
while IFS= read -r line || [[ -n "$line" ]]; do
  line_no=$((line_no + 1))
  [[ -z "${line// /}" || "$line" == \#* ]] && continue
  read -r kind a b c extra <<<"$line"
  where="$manifest:$line_no"
  case "$kind" in
    f | d)
      [[ -n "$c" && -z "$extra" ]] || fail "$where: expected \"$kind MODE OWNER:GROUP PATH\""
      [[ "$a" =~ ^[0-7]{4}$ ]] || fail "$where: mode \"$a\" is not four octal digits"
      [[ "$b" == *:* ]] || fail "$where: owner \"$b\" is not OWNER:GROUP"
      [[ "$c" == /* ]] || fail "$where: path \"$c\" is not absolute"
      uid="$(id_of passwd "${b%%:*}")"
      gid="$(id_of group "${b##*:}")"
      if [[ "$kind" == f ]]; then
        src="$device/rootfs$c"
        [[ -f "$src" ]] || fail "$where: $src is missing"
        mkdir -p "$dest$(dirname "$c")"
        install -m "$a" -o "$uid" -g "$gid" "$src" "$dest$c"
        listed+=("$c")
      else
        mkdir -p "$dest$c"
        chown "$uid:$gid" "$dest$c"
        chmod "$a" "$dest$c"
      fi
      ;;
    l)
      [[ -n "$b" && -z "$c" ]] || fail "$where: expected \"l TARGET PATH\""
      [[ "$b" == /* ]] || fail "$where: path \"$b\" is not absolute"
      mkdir -p "$dest$(dirname "$b")"
      ln -sfn "$a" "$dest$b"
      ;;
    *) fail "$where: unknown entry \"$kind\" (f, d or l)" ;;
  esac
done <"$manifest"

# A file in device/rootfs that the manifest does not list would silently not ship.
while IFS= read -r -d '' file; do
  rel="${file#"$device/rootfs"}"
  printf '%s\n' "${listed[@]}" | grep -qxF "$rel" || fail "$rel is in device/rootfs but not in $manifest"
done < <(find "$device/rootfs" -type f -print0)

# config.txt: our block between the markers, the rest of the file as it was.
snippet="$device/boot/config.txt"
config="$dest/boot/firmware/config.txt"
begin="$(head -n 1 "$snippet")"
end="$(tail -n 1 "$snippet")"
[[ "$begin" == "# >>> fieldbackup"* && "$end" == "# <<< fieldbackup"* ]] ||
  fail "$snippet must start with a \"# >>> fieldbackup\" line and end with \"# <<< fieldbackup\""
mkdir -p "$(dirname "$config")"
touch "$config"
kept="$(awk -v b="$begin" -v e="$end" '$0 == b { skip = 1 } !skip { print } $0 == e { skip = 0 }' "$config")"
{
  [[ -n "$kept" ]] && printf '%s\n\n' "$kept"
  cat "$snippet"
} >"$config.new"
chmod 0755 "$(dirname "$config")"
mv "$config.new" "$config"
chmod 0644 "$config"

echo "assemble-rootfs: ${#listed[@]} files from $device installed into $dest"
