/**
 * A value built the first time it is asked for, then kept. For zod schemas at module level: every
 * schema built while a function's bundle loads adds to its cold start (QUALITY.md, function
 * start-up), and a function with several routes, or a module with several item kinds, needs only
 * some of them in a given container. Annotated free of side effects, so that a schema no code
 * asks for is dropped from the bundle whole.
 */
/* @__NO_SIDE_EFFECTS__ */
export function onFirstUse<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => {
    built ??= { value: build() };
    return built.value;
  };
}
