#!/usr/bin/env bash
# Re-fetch the explorer's browser assets (the React and GraphiQL UMD builds) from the npm registry
# with `npm pack`, so the service serves them itself: no CDN at run time, and a wheel carries them.
# Run by `make vendor-graphiql`. To update: change a version below, run it, open the explorer
# (tests/explorer/ drives it in Chromium), and commit explorer/static/ with its new SHA256SUMS.
set -euo pipefail
REACT=18.2.0
GRAPHIQL=3.8.3

cd "$(dirname "$0")/static"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "react@$REACT" "react-dom@$REACT" "graphiql@$GRAPHIQL" >/dev/null)

unpack() { # name version: the package's tarball into $work/name
    mkdir -p "$work/$1"
    tar -xzf "$work/$1-$2.tgz" -C "$work/$1" --strip-components=1
}
unpack react "$REACT"
unpack react-dom "$REACT"
unpack graphiql "$GRAPHIQL"

cp "$work/react/umd/react.production.min.js" react.production.min.js
cp "$work/react-dom/umd/react-dom.production.min.js" react-dom.production.min.js
cp "$work/graphiql/graphiql.min.js" graphiql.min.js
cp "$work/graphiql/graphiql.min.css" graphiql.min.css
for package in react react-dom graphiql; do
    cp "$work/$package/LICENSE" "licenses/$package.LICENSE"
done
printf '%s\n' "react@$REACT" "react-dom@$REACT" "graphiql@$GRAPHIQL" > VERSIONS
sha256sum react.production.min.js react-dom.production.min.js graphiql.min.js graphiql.min.css \
    > SHA256SUMS
