/**
 * Whole numbers as GOV.UK writes them in messages: "10,000", with a comma between each group of
 * three digits. Not `toLocaleString('en-GB')`: its first use builds an ICU number formatter, about
 * 20 ms measured, which a function would pay on the first request that builds such a message.
 */
const THOUSANDS = /\B(?=(\d{3})+(?!\d))/g;

/** `10000` → `"10,000"`; throws for a number that is not a safe integer, which no limit or count is. */
export function wholeNumber(value: number): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${value} is not a whole number`);
  return String(value).replace(THOUSANDS, ',');
}
