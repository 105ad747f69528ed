// Looking a scheme up by name.
import { chatgptScheme } from "./chatgpt-scheme.js";
import type { SchemeName, SignatureScheme } from "./scheme.js";
import { standardScheme } from "./standard-scheme.js";

/** Every supported scheme, by name. */
export const schemes: Readonly<Record<SchemeName, SignatureScheme>> = {
  chatgpt: chatgptScheme,
  standard: standardScheme,
};

/** The scheme names, for validation messages. */
export const SCHEME_NAMES = Object.keys(schemes) as SchemeName[];
