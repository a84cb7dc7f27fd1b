/**
 * Text ordered by UTF-16 code units, the order ISO instants and ids sort in (and DynamoDB sorts
 * string keys by UTF-8 bytes, the same order for these). Not `localeCompare`: locale collation
 * may ignore case and punctuation, and its first use loads ICU's collation data.
 */
export const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
