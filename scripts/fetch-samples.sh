#!/usr/bin/env bash
# Fetches small real camera files from Debian's source packages into .cache/samples/ (git-ignored):
# ExifTool's t/images and exiv2's test/data, the media formats only. Uses a private apt
# configuration under .cache/apt with a deb-src line for bookworm, so the system's apt sources
# are left alone. Idempotent: a second run does nothing. Takes a few seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=.cache
OUT="$CACHE/samples"
[[ -f "$OUT/.complete" ]] && { echo "samples already in $OUT"; exit 0; }

APT="$CACHE/apt"
mkdir -p "$APT/lists/partial" "$APT/archives/partial" "$APT/src" "$APT/etc"
echo "deb-src http://deb.debian.org/debian bookworm main" > "$APT/etc/sources.list"
apt_opts=(
  -q
  -o "Dir::Etc::SourceList=$PWD/$APT/etc/sources.list"
  -o Dir::Etc::SourceParts=/dev/null
  -o "Dir::State::Lists=$PWD/$APT/lists"
  -o "Dir::Cache=$PWD/$APT"
  -o APT::Sandbox::User=root
)
apt-get "${apt_opts[@]}" update >/dev/null
(cd "$APT/src" && apt-get "${apt_opts[@]}" source --download-only libimage-exiftool-perl exiv2 >/dev/null)

# Camera and media formats only (the rest of those folders are other file types).
MEDIA='.*\.(cr2|cr3|crw|crm|nef|nrw|arw|sr2|srf|dng|raf|orf|rw2|rwl|pef|srw|3fr|iiq|x3f|mrw|jpg|jpeg|thm|hif|heic|heif|tif|tiff|png|mp4|mov|mts|m2ts|wav|xmp)$'
rm -rf "$OUT.tmp" && mkdir -p "$OUT.tmp/exiftool" "$OUT.tmp/exiv2"
tar -xJf "$APT"/src/libimage-exiftool-perl_*.orig.tar.xz -C "$OUT.tmp/exiftool" --wildcards '*/t/images/*' '*/debian/copyright' 2>/dev/null ||
  tar -xJf "$APT"/src/libimage-exiftool-perl_*.orig.tar.xz -C "$OUT.tmp/exiftool" --wildcards '*/t/images/*'
tar -xzf "$APT"/src/exiv2_*.orig.tar.gz -C "$OUT.tmp/exiv2" --wildcards '*/test/data/*' '*/COPYING'
flatten() { # keep only media files, flat, plus the licence text
  local from=$1 to=$2
  find "$from" -type f | grep -iE "$MEDIA" | while read -r f; do cp -p "$f" "$to/"; done
}
mkdir -p "$OUT.tmp/camera/exiftool" "$OUT.tmp/camera/exiv2"
flatten "$OUT.tmp/exiftool" "$OUT.tmp/camera/exiftool"
flatten "$OUT.tmp/exiv2" "$OUT.tmp/camera/exiv2"
find "$OUT.tmp/exiv2" -name COPYING -exec cp {} "$OUT.tmp/camera/exiv2/COPYING.exiv2" \; -quit
cat > "$OUT.tmp/camera/SOURCES.md" <<'NOTE'
Fetched by scripts/fetch-samples.sh from Debian bookworm source packages:
- exiftool/: libimage-exiftool-perl, t/images (ExifTool's test images; same terms as Perl: GPL-1+ or Artistic).
- exiv2/: exiv2, test/data (exiv2's test images; GPL-2+, see COPYING.exiv2).
Not committed to the repository; used only by test/integration/media/real-samples.test.ts.
NOTE
rm -rf "$OUT" && mv "$OUT.tmp/camera" "$OUT" && rm -rf "$OUT.tmp"
touch "$OUT/.complete"
echo "fetched $(find "$OUT" -type f ! -name '*.md' ! -name 'COPYING*' ! -name .complete | wc -l) sample files into $OUT"
