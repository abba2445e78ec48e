// Parse each file given as ES2017 script: print "file:line:column: message" for each that fails.
import { readFileSync } from "node:fs";
import * as acorn from "acorn";

let failed = 0;
for (const file of process.argv.slice(2)) {
  try {
    acorn.parse(readFileSync(file, "utf8"), { ecmaVersion: 2017, sourceType: "script", locations: true });
  } catch (error) {
    failed += 1;
    const where = error.loc ? `${error.loc.line}:${error.loc.column + 1}` : "?";
    console.log(`${file}:${where}: ${error.message}`);
  }
}
process.exit(failed ? 1 : 0);
