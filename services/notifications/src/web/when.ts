/** When something happened, as a page says it: "today at 2:30pm", "yesterday at 9am", "Monday 5 January 2026 at 9:30am". Pure. */
import { addCalendarDays } from '@fsp/shared/time/local-date';
import { londonDateOf } from '@fsp/shared/time/london';
import { londonDateText, londonTimeText } from '@fsp/shared/time/london-words';

/** In London time; "today" and "yesterday" are London's calendar days, judged at `now`. */
export function whenInWords(now: Date, at: Date): string {
  const day = londonDateOf(at);
  const today = londonDateOf(now);
  if (day === today) return `today at ${londonTimeText(at)}`;
  if (day === addCalendarDays(today, -1)) return `yesterday at ${londonTimeText(at)}`;
  return `${londonDateText(at)} at ${londonTimeText(at)}`;
}

/** The same, starting a sentence: "Today at 2:30pm". */
export const capitalised = (text: string): string => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
