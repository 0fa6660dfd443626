#!/bin/bash
# Resize every guest image in a folder.
set -euo pipefail

IMAGES=${1:-/var/lib/libvirt/images}
SIZE="+10G"

resize() {
    local image="$1"
    if [[ ! -f "$image" ]]; then
        echo "missing: $image" >&2
        return 1
    fi
    qemu-img resize "$image" "$SIZE"
}

for f in "$IMAGES"/*.qcow2; do
    case "$f" in
        *backup*) continue ;;
        *) resize "$f" || exit 2 ;;
    esac
done

count=$(ls "$IMAGES" | wc -l)
echo "resized $count images in ${IMAGES}"
while read -r line; do
    printf '%s\n' "$line"
done < <(virsh list --name)
cat <<END
done at $(date +%s)
END
