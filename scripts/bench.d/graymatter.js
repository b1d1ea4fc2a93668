#!/usr/bin/env node
// gray-matter peer for scripts/bench: the same jobs as `fmx check` and `fmx convert --to toml`.
//
//   node graymatter.js check DIR           validate every post; print `path: reason` for each failing one
//   node graymatter.js convert DIR         parse + stringify as TOML, write nothing (dry run)
//   node graymatter.js convert-write DIR   parse + stringify as TOML, write each file back in place
//
// Modules come from NODE_PATH (scripts/bench installs gray-matter, js-yaml and smol-toml in
// its bench folder). gray-matter parses YAML with its own js-yaml 3 and has no TOML writer,
// so smol-toml is its TOML engine. gray-matter memoises every parsed string in `matter.cache`
// when called without options; we pass options so that 100k files are not all kept in memory.
// Validation is fmx's default schema: `title` and `date` present and not null/empty, `date` a
// finite number in 1970..2100. Exit 1 if any file fails, as fmx does.
'use strict';
const fs = require('fs');
const path = require('path');
const matter = require('gray-matter');
const TOML = require('smol-toml');

const EXTS = ['.md', '.markdown', '.mdx', '.html', '.htm'];
const LATEST = 4102444800; // 2100-01-01T00:00:00Z
const tomlOpts = {
  language: 'toml',
  delimiters: '+++',
  engines: { toml: { parse: TOML.parse, stringify: (data) => TOML.stringify(data) } },
};

function* walk(dir) {
  const entries = fs.readdirSync(dir, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.'))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (EXTS.includes(path.extname(e.name))) yield p;
  }
}

function problem(data) {
  for (const field of ['title', 'date']) {
    if (!Object.prototype.hasOwnProperty.call(data, field)) return `required field \`${field}\` is missing`;
    if (data[field] === null || data[field] === '') return `required field \`${field}\` is empty`;
  }
  const date = data.date;
  if (typeof date !== 'number') return `\`date\` must be Unix epoch seconds as a number, found ${typeof date}`;
  if (!Number.isFinite(date)) return '`date` is not finite';
  if (date < 0 || date > LATEST) return '`date` is out of range';
  return null;
}

const [mode, root] = process.argv.slice(2);
let files = 0;
let failed = 0;
const out = [];
for (const p of walk(root)) {
  files += 1;
  let file;
  try {
    file = matter(fs.readFileSync(p, 'utf8'), {});
  } catch (e) { // a broken file is reported, never the end of the run
    out.push(`${p}: cannot parse: ${String(e.message).split('\n')[0]}`);
    failed += 1;
    continue;
  }
  if (mode === 'check') {
    const reason = problem(file.data);
    if (reason) { out.push(`${p}: ${reason}`); failed += 1; }
    continue;
  }
  file.language = 'toml'; // the parsed file says `yaml`, which stringify would otherwise keep
  let text;
  try {
    text = matter.stringify(file, file.data, tomlOpts);
  } catch (e) {
    out.push(`${p}: cannot write TOML: ${String(e.message).split('\n')[0]}`);
    failed += 1;
    continue;
  }
  if (mode === 'convert-write') fs.writeFileSync(p, text);
  else if (mode !== 'convert') { console.error(`unknown mode ${mode}`); process.exit(2); }
}
if (out.length) process.stdout.write(out.join('\n') + '\n');
const verb = mode === 'check' ? 'checked' : mode === 'convert-write' ? 'converted' : 'dumped';
console.error(`gray-matter: ${verb} ${files} files, ${failed} failing`);
process.exitCode = failed ? 1 : 0;
