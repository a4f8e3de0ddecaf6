#!/usr/bin/env bash
# Builds the site's two stylesheets from nhsuk-frontend's Sass sources:
#
#   web/scss/app.scss   --sass--> prune (web/scss/unused-selectors.txt,
#                                        web/scss/app-unused-selectors.txt)
#     --> internal/web/static/app.<first 10 hex of sha256>.css
#   web/scss/forms.scss --sass--> prune (web/scss/unused-selectors.txt),
#                                 drop every rule app.css already has
#     --> internal/web/static/forms.<first 10 hex of sha256>.css
#
# app.css is loaded by every page; forms.css in addition on pages with a form.
# Stale app.*.css and forms.*.css files are deleted. The output is committed,
# so `go run` needs no npm. Run this (or `make assets`) after changing
# web/scss/ or the pinned npm packages.
set -euo pipefail

cd "$(dirname "$0")/.."

static=internal/web/static
scss=web/scss

if [ ! -d node_modules ]; then
	npm ci --no-audit --no-fund
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for name in app forms; do
	node_modules/.bin/sass --no-source-map --style=compressed --load-path=node_modules \
		"$scss/$name.scss" "$tmp/$name.compiled.css"
done

# prune INPUT OUTPUT [--minus CSS] LIST...
# Drops the selectors matched by the lists (one JavaScript regular expression
# per line, tested against each selector of a rule), then, with --minus, each
# selector whose rule (same selector, same declarations, same enclosing
# at-rules) is already in CSS, then any rule or at-rule left empty.
prune() {
	node - "$@" <<'JS'
const fs = require("fs");
const postcss = require("postcss");
let [input, output, ...rest] = process.argv.slice(2);
let minus = null;
if (rest[0] === "--minus") [, minus, ...rest] = rest;
const patterns = rest.flatMap((f) => fs.readFileSync(f, "utf8").split("\n"))
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith("#"))
  .map((l) => new RegExp(l));
const parse = (f) => postcss.parse(fs.readFileSync(f, "utf8").replace(/^\uFEFF/, ""));
const inKeyframes = (rule) => rule.parent.type === "atrule" && /keyframes$/i.test(rule.parent.name);
// A rule's key, less its selector: enclosing at-rules and declarations.
const context = (rule) => {
  const at = [];
  for (let p = rule.parent; p && p.type === "atrule"; p = p.parent) at.unshift(`@${p.name} ${p.params}`);
  return at.join("{") + "{" + rule.nodes.map((n) => n.toString()).join(";");
};
const root = parse(input);
root.walkRules((rule) => {
  if (inKeyframes(rule)) return;
  const kept = rule.selectors.filter((s) => !patterns.some((p) => p.test(s)));
  if (kept.length === 0) rule.remove();
  else if (kept.length !== rule.selectors.length) rule.selector = kept.join(",");
});
// The :root custom properties (breakpoints, palette) serve the package's JS.
root.walkRules(":root", (rule) => {
  rule.walkDecls(/^--nhsuk-/, (d) => d.remove());
  if (rule.nodes.length === 0) rule.remove();
});
if (minus) {
  const have = new Set();
  parse(minus).walkRules((rule) => {
    if (inKeyframes(rule)) return;
    const ctx = context(rule);
    for (const s of rule.selectors) have.add(s + ctx);
  });
  root.walkRules((rule) => {
    if (inKeyframes(rule)) return;
    const ctx = context(rule);
    const kept = rule.selectors.filter((s) => !have.has(s + ctx));
    if (kept.length === 0) rule.remove();
    else if (kept.length !== rule.selectors.length) rule.selector = kept.join(",");
  });
  // Keyframes app.css already defines.
  const frames = new Set();
  parse(minus).walkAtRules(/keyframes$/i, (at) => frames.add(at.toString()));
  root.walkAtRules(/keyframes$/i, (at) => { if (frames.has(at.toString())) at.remove(); });
}
for (let removed = true; removed; ) {
  removed = false;
  root.walkAtRules((at) => {
    if (at.nodes && at.nodes.length === 0) {
      at.remove();
      removed = true;
    }
  });
}
let css = root.toString();
// Sass marks non-ASCII output with a byte order mark; say it plainly instead.
if (/[^\x00-\x7f]/.test(css)) css = '@charset "UTF-8";' + css;
fs.writeFileSync(output, css);
JS
}

prune "$tmp/app.compiled.css" "$tmp/app.css" \
	"$scss/unused-selectors.txt" "$scss/app-unused-selectors.txt"
prune "$tmp/forms.compiled.css" "$tmp/forms.css" --minus "$tmp/app.css" \
	"$scss/unused-selectors.txt"

mkdir -p "$static"
for name in app forms; do
	css="$tmp/$name.css"
	if grep -Eqi 'url\(["'\'']?([a-z]+:)?//' "$css"; then
		echo "build-assets: $name.css references another host" >&2
		exit 1
	fi
	if grep -qi '@font-face' "$css"; then
		echo "build-assets: $name.css has an @font-face" >&2
		exit 1
	fi
	out="$name.$(sha256sum "$css" | cut -c1-10).css"
	for f in "$static/$name".*.css; do
		if [ -e "$f" ] && [ "$(basename "$f")" != "$out" ]; then
			rm -f "$f"
		fi
	done
	cp "$css" "$static/$out"
	echo "$static/$out: $(wc -c <"$static/$out") bytes, $(gzip -9c "$static/$out" | wc -c) bytes gzip -9"
done
