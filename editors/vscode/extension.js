// Starts `uelint server` and hands it the files uelint checks; the server does the rest
// (diagnostics, hover, code actions, configuration reloads).
"use strict";

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

// Every suffix uelint checks (uelint's languages.py; the server ignores anything else).
const FILES = "**/*.{js,mjs,cjs,jsx,ts,mts,cts,tsx,py,pyi,html,htm,vue,svelte,jinja,jinja2,j2,twig,php,phtml,tpl,erb,ejs}";

let client;

function activate() {
  const command = vscode.workspace.getConfiguration("uelint").get("path", "uelint");
  client = new LanguageClient(
    "uelint",
    "uelint",
    { command, args: ["server"] },
    { documentSelector: [{ scheme: "file", pattern: FILES }] },
  );
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
