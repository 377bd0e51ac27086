#!/usr/bin/env bash
# Refresh the vendored front-end files from the pinned versions in vendor-package.json.
# The package ships them so that `pip install` alone sets a machine up (no CDN here).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dest="$here/../huitoukan/static/vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/vendor-package.json" "$work/package.json"
(cd "$work" && npm install --no-audit --no-fund --ignore-scripts >/dev/null)
nm="$work/node_modules"
mkdir -p "$dest"
cp "$nm/htmx.org/dist/htmx.min.js" "$dest/htmx.min.js"
cp "$nm/@tabler/core/dist/css/tabler.min.css" "$dest/tabler.min.css"
cp "$nm/@tabler/core/dist/js/tabler.min.js" "$dest/tabler.min.js"
cp "$nm/tom-select/dist/js/tom-select.complete.min.js" "$dest/tom-select.complete.min.js"
cp "$nm/tom-select/dist/css/tom-select.bootstrap5.min.css" "$dest/tom-select.bootstrap5.min.css"
cp "$nm/echarts/dist/echarts.min.js" "$dest/echarts.min.js"
# The minified CSS points at source maps we do not ship.
sed -i 's#/\*\# sourceMappingURL=.*\*/##' "$dest"/*.css
sed -i 's#//\# sourceMappingURL=.*##' "$dest"/*.js
echo "vendored into $dest"
