// Which event types FORWARD_TYPES lets through: exact types, or prefixes written `batch.*`.

/**
 * A predicate over event types. An empty list lets every type through; `batch.*` matches
 * `batch.completed` and `batch.x.y`, never `batch` itself or `batches.completed`.
 */
export function createTypeFilter(patterns: readonly string[]): (type: string) => boolean {
  if (patterns.length === 0) return () => true;
  const exact = new Set(patterns.filter((pattern) => !pattern.endsWith(".*")));
  const prefixes = patterns.filter((pattern) => pattern.endsWith(".*")).map((pattern) => pattern.slice(0, -1));
  return (type) => exact.has(type) || prefixes.some((prefix) => type.startsWith(prefix));
}

/**
 * The registry keys the forward handler needs: the exact types when the list has only those (an
 * event of another type stays `ignored`), else `"*"` (the handler filters).
 */
export function registrationTypes(patterns: readonly string[]): readonly string[] {
  return patterns.length === 0 || patterns.some((pattern) => pattern.endsWith(".*")) ? ["*"] : [...new Set(patterns)];
}
