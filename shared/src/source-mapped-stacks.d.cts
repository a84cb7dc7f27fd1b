/** The types of source-mapped-stacks.cjs (plain CommonJS: see its comment). */

/** esbuild's `banner.js` for a function bundle (ADR 0030). */
export const SOURCE_MAPPED_STACKS_BANNER: string;
