/**
 * The eight modules of the Family Safeguarding intervention programme worked through with each adult
 * (DOMAIN.md, Cases: "module names are configuration"). These names are placeholders in the spirit
 * of Family Safeguarding's motivational workbook: each authority configures its own here. Progress is
 * stored by the module's number (1–8), so renaming a module keeps what was recorded against it;
 * reordering them would not, so an authority changes names, never the order.
 */
export const WORKBOOK_MODULES = [
  'Getting started: what matters to your family',
  'Understanding worries about the children',
  'Relationships and domestic abuse',
  'Emotional wellbeing and mental health',
  'Alcohol, drugs and family life',
  'Parenting and the children’s needs',
  'Your support network',
  'Keeping going: your plan for the future',
] as const;

export type ModuleNumber = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;
export const MODULE_NUMBERS: readonly ModuleNumber[] = [1, 2, 3, 4, 5, 6, 7, 8];

/** The module's configured name. */
export const moduleName = (module: ModuleNumber): string => WORKBOOK_MODULES[module - 1] as string;
