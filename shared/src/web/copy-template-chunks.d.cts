/** The types of copy-template-chunks.cjs (plain CommonJS: see its comment). */

/** Copies the template chunks of the generated template modules a bundle holds, read from its metafile; answers where they went. */
export function copyTemplateChunks(workingDirectory: string, bundleDirectory: string, metafilePath?: string): string[];

/** The same from a bundle's inputs (paths relative to `workingDirectory`, as esbuild's metafile names them). */
export function copyTemplateChunksOf(workingDirectory: string, bundleDirectory: string, inputs: readonly string[]): string[];
