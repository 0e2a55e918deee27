#!/usr/bin/env bash
# Refresh the front-end files in src/aftersales/static/vendor from the npm registry.
set -euo pipefail
dest="$(cd "$(dirname "$0")/.." && pwd)/src/aftersales/static/vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent bootstrap@5.3.9 htmx.org@2.0.11 echarts@5.6.0 >/dev/null
for f in *.tgz; do mkdir "${f%.tgz}"; tar xzf "$f" -C "${f%.tgz}" --strip-components 1; done
cp bootstrap-5.3.9/dist/css/bootstrap.min.css bootstrap-5.3.9/dist/js/bootstrap.bundle.min.js "$dest/"
cp htmx.org-2.0.11/dist/htmx.min.js "$dest/"
cp echarts-5.6.0/dist/echarts.min.js "$dest/"; cp echarts-5.6.0/LICENSE "$dest/LICENSE.echarts"
cp bootstrap-5.3.9/LICENSE "$dest/LICENSE.bootstrap"; cp htmx.org-2.0.11/LICENSE "$dest/LICENSE.htmx"
sed -i 's/sourceMappingURL=[^ *]*//' "$dest"/*.min.*
echo "vendor files refreshed in $dest"
