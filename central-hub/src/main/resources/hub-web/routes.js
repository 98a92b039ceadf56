// Every page of the hub, the roles that may open it, and the sections in the bar.
// The hub checks the role again on every API call; this table only keeps people away from pages
// whose calls would be refused.

const ADMIN = 'ADMIN';
const BILLER = 'BILLER';
const DISPATCHER = 'DISPATCHER';
const DESK = [ADMIN, BILLER, DISPATCHER];
const BILLING = [ADMIN, BILLER];
const ADMINS = [ADMIN];

/** path pattern (":name" = a parameter) → page module; page = the body's data-page (tests key on it). */
export const ROUTES = [
  // overview
  { path: '/dashboard', module: 'page-dashboard.js', page: 'dashboard', title: 'Dashboard', roles: DESK },
  // bags and search
  // bills
  // administration
  // import, export, end of day
];

/** The bar's sections, in order. */
export const NAV = [
  { hash: '/dashboard', label: 'Dashboard', roles: DESK },
];

export { ADMIN, BILLER, DISPATCHER, DESK, BILLING, ADMINS };
