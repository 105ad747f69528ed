// Lint configuration: typescript-eslint's recommended type-aware rules over src, test and bench.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "coverage/"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-console": ["error", { allow: ["error"] }],
    },
  },
  {
    files: ["src/cli/**", "bench/**"],
    rules: { "no-console": "off" },
  },
  {
    files: ["**/*.js"],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // The dev inspector's page script runs in the browser.
    files: ["src/dev/inspector/assets/**/*.js"],
    languageOptions: {
      sourceType: "script",
      globals: { document: "readonly", location: "readonly", fetch: "readonly", URLSearchParams: "readonly", TextDecoderStream: "readonly", setTimeout: "readonly" },
    },
  },
);
