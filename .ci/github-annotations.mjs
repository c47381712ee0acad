// Writes the annotations of a uelint JSON report with GitHub's own toolkit (@actions/core),
// so that CI can compare them byte for byte with `uelint check --format github`.
// Run from a folder where @actions/core is installed: node github-annotations.mjs REPORT.json
import { readFileSync } from "node:fs";
import * as core from "@actions/core";

const report = JSON.parse(readFileSync(process.argv[2], "utf8"));
const annotate = { error: core.error, warning: core.warning, note: core.notice };
const where = (item) => ({
  file: item.path,
  startLine: item.line ?? undefined,
  endLine: item.end_line ?? undefined,
  startColumn: item.column ?? undefined,
  endColumn: item.end_column ?? undefined,
});

for (const finding of report.findings) {
  const title = finding.name ? `${finding.rule} ${finding.name}` : finding.rule;
  annotate[finding.level](finding.message, { title, ...where(finding) });
}
for (const error of report.errors) {
  core.error(error.message, { title: `uelint ${error.kind} error`, ...where(error) });
}
