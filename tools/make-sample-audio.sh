#!/bin/sh
# tools/make-sample-audio.sh - regenerate the sample podcast episode
# content/guides/lyt-tillidsdialog/lyt.mp3 from its transcript.
#
# The spoken words ARE the transcript: transskription.md beside the MP3 is
# fed to espeak-ng as it is (plain Markdown paragraphs, no markup, so the
# voice reads exactly what the page shows).  Edit the transcript, run this
# script, then update "audio.duration" in index.md with the length it prints.
#
# Pipeline: espeak-ng (voice "da", fixed speed/pitch/volume) -> 16-bit mono
# WAV at 22.05 kHz -> lame, constant 32 kbit/s mono, no ReplayGain scan.
# All flags are fixed, so the same tool versions give the same bytes.  Other
# versions of espeak-ng or lame will give slightly different audio, so the
# committed lyt.mp3 is the source of truth; only regenerate it on purpose.
#
# Needs the Debian packages espeak-ng and lame (apt-get install espeak-ng lame).
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
dir="$here/content/guides/lyt-tillidsdialog"
text="$dir/transskription.md"
out="$dir/lyt.mp3"

for tool in espeak-ng lame; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "$0: $tool mangler (apt-get install espeak-ng lame)" >&2
        exit 1
    }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# Speech: Danish voice, 155 words a minute, default pitch and volume.
espeak-ng -v da -s 155 -p 50 -a 100 -g 0 -w "$tmp/lyt.wav" -f "$text"

# Encoding: CBR 32 kbit/s, mono, keep 22.05 kHz; ID3v2 tags (ASCII only).
lame --quiet --noreplaygain -m m -b 32 --cbr -q 2 --resample 22.05 \
    --id3v2-only --tt "Tillidsdialog i teamet" --ta "formidl-eksempel" \
    --tl "Mere kerneopgave og mindre bureaukrati" --ty 2024 \
    "$tmp/lyt.wav" "$tmp/lyt.mp3"
mv "$tmp/lyt.mp3" "$out"

# Duration from the WAV: data bytes / (22050 samples/s * 2 bytes), as m:ss.
bytes=$(($(wc -c <"$tmp/lyt.wav") - 44))
secs=$(((bytes / 2 + 11025) / 22050))
printf '%s: %s bytes, varighed %d:%02d\n' "${out#"$here"/}" \
    "$(wc -c <"$out" | tr -d ' ')" $((secs / 60)) $((secs % 60))
