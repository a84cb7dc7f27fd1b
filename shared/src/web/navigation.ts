/**
 * The worker pages' primary navigation: one item per area of the platform, each shown only to the
 * roles that may use it (the routes behind it refuse everyone else), and who is signed in, in words.
 */
import { CASE_WORKING_ROLES, type Role } from '../people';

export const AREAS = ['front-door', 'cases', 'supervision', 'inbox', 'admin'] as const;
export type Area = (typeof AREAS)[number];

interface AreaDefinition {
  text: string;
  /** Each service serves its area's pages under this prefix (WEB.md); the item links to its first page. */
  href: string;
  /** Who sees the item; `'everyone'` is every signed-in worker, whatever their roles. */
  roles: readonly Role[] | 'everyone';
}

export const AREA_DEFINITIONS: Readonly<Record<Area, AreaDefinition>> = {
  'front-door': { text: 'Front door', href: '/front-door', roles: ['front-door'] },
  cases: { text: 'Cases', href: '/cases', roles: CASE_WORKING_ROLES },
  supervision: { text: 'Supervision', href: '/supervision', roles: CASE_WORKING_ROLES },
  inbox: { text: 'Inbox', href: '/inbox', roles: 'everyone' },
  admin: { text: 'Admin', href: '/admin', roles: ['administrator'] },
};

export interface NavigationItem {
  area: Area;
  text: string;
  href: string;
  /** The page belongs to this area: shown as selected, `aria-current="true"`. */
  active: boolean;
  /** Unread items (the inbox only); the layout shows it as an MoJ notification badge. */
  badgeCount?: number;
}

export const mayUse = (area: Area, roles: readonly Role[]): boolean => {
  const allowed = AREA_DEFINITIONS[area].roles;
  return allowed === 'everyone' || allowed.some((role) => roles.includes(role));
};

/** The items `roles` may use, in the platform's order, `current` marked and the inbox counting `unreadCount`. */
export function navigationFor(roles: readonly Role[], current: Area | undefined, unreadCount: number): NavigationItem[] {
  return AREAS.filter((area) => mayUse(area, roles)).map((area) => ({
    area,
    text: AREA_DEFINITIONS[area].text,
    href: AREA_DEFINITIONS[area].href,
    active: area === current,
    ...(area === 'inbox' && unreadCount > 0 ? { badgeCount: unreadCount } : {}),
  }));
}

const ROLE_TITLES: Readonly<Record<Role, string>> = {
  'front-door': 'Front door',
  'social-worker': 'Social worker',
  'adult-specialist': 'Adult specialist',
  'team-manager': 'Team manager',
  'service-manager': 'Service manager',
  administrator: 'Administrator',
};

/** "Team manager", "Front door and administrator", or "No platform role" for an account with none. */
export function rolesInWords(roles: readonly Role[]): string {
  const titles = [...new Set(roles)].map((role, index) => (index === 0 ? ROLE_TITLES[role] : ROLE_TITLES[role].toLowerCase()));
  if (titles.length === 0) return 'No platform role';
  return titles.length === 1 ? titles[0]! : `${titles.slice(0, -1).join(', ')} and ${titles[titles.length - 1]}`;
}
