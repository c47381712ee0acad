// The benchmark's ESLint configuration: uelint's UE001 (`user_id` in a client.update payload)
// as one no-restricted-syntax selector, over JavaScript (ESLint has no TypeScript parser of its own).
export default [
  {
    files: ["**/*.js", "**/*.mjs", "**/*.cjs", "**/*.jsx"],
    languageOptions: {
      ecmaVersion: "latest",
      sourceType: "module",
      parserOptions: { ecmaFeatures: { jsx: true } },
    },
    linterOptions: { reportUnusedDisableDirectives: "off" },
    rules: {
      "no-restricted-syntax": ["error", {
        selector:
          "CallExpression:matches([callee.name='userengage'], [callee.property.name='userengage'])" +
          "[arguments.0.value='client.update'] > ObjectExpression > Property[key.name='user_id']",
        message: "user_id in a client.update payload",
      }],
    },
  },
  { files: ["**/*.cjs"], languageOptions: { sourceType: "commonjs" } },
];
