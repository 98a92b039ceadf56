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
  { path: '/bags', module: 'page-bag.js', page: 'bag-lookup', title: 'Bags', roles: DESK },
  { path: '/bags/:code', module: 'page-bag.js', page: 'bag', title: 'Bag', roles: DESK },
  { path: '/search', module: 'page-search.js', page: 'search', title: 'Search', roles: DESK },
  // bills
  { path: '/bills', module: 'page-bills.js', page: 'bills', title: 'Bills', roles: BILLING },
  { path: '/bills/:id', module: 'page-bill.js', page: 'bill', title: 'Bill', roles: BILLING },
  { path: '/bills/:id/print', module: 'page-bill-print.js', page: 'bill-print', title: 'Manifest', roles: BILLING },
  // administration
  { path: '/users', module: 'page-users.js', page: 'users', title: 'Users', roles: ADMINS },
  { path: '/areas', module: 'page-areas.js', page: 'areas', title: 'Areas', roles: ADMINS },
  { path: '/promotions', module: 'page-promotions.js', page: 'promotions', title: 'Promotion requests', roles: ADMINS },
  { path: '/fleet', module: 'page-fleet.js', page: 'fleet', title: 'Fleet', roles: ADMINS },
  { path: '/conflicts', module: 'page-conflicts.js', page: 'conflicts', title: 'Sync conflicts', roles: BILLING },
  { path: '/audit', module: 'page-audit.js', page: 'audit', title: 'Audit trail', roles: ADMINS },
  { path: '/health', module: 'page-health.js', page: 'health', title: 'System health', roles: ADMINS },
  { path: '/webhooks', module: 'page-webhooks.js', page: 'webhooks', title: 'Webhooks', roles: ADMINS },
  { path: '/webhooks/:id', module: 'page-webhooks.js', page: 'webhook', title: 'Webhook', roles: ADMINS },
  { path: '/me', module: 'page-me.js', page: 'me', title: 'My account', roles: DESK },
  { path: '/notifications', module: 'page-notifications.js', page: 'notifications', title: 'Notifications', roles: DESK },
  // import, export, end of day
  { path: '/import', module: 'page-import.js', page: 'import', title: 'Import', roles: ADMINS },
  { path: '/exports', module: 'page-exports.js', page: 'exports', title: 'Exports', roles: DESK },
  { path: '/eod', module: 'page-eod.js', page: 'eod', title: 'End of day', roles: BILLING },
];

/** The bar's sections, in order. */
export const NAV = [
  { hash: '/dashboard', label: 'Dashboard', roles: DESK },
  { hash: '/bags', label: 'Bags', roles: DESK },
  { hash: '/search', label: 'Search', roles: DESK },
  { hash: '/bills', label: 'Bills', roles: BILLING },
  // import, export, end of day
  { hash: '/eod', label: 'End of day', roles: BILLING },
  { hash: '/exports', label: 'Exports', roles: DESK },
  { hash: '/import', label: 'Import', roles: ADMINS },
  // administration
  { hash: '/users', label: 'Users', roles: ADMINS },
  { hash: '/areas', label: 'Areas', roles: ADMINS },
  { hash: '/promotions', label: 'Requests', roles: ADMINS },
  { hash: '/fleet', label: 'Fleet', roles: ADMINS },
  { hash: '/conflicts', label: 'Conflicts', roles: BILLING },
  { hash: '/audit', label: 'Audit', roles: ADMINS },
  { hash: '/health', label: 'Health', roles: ADMINS },
  { hash: '/webhooks', label: 'Webhooks', roles: ADMINS },
  { hash: '/me', label: 'My account', roles: DESK },
];

export { ADMIN, BILLER, DISPATCHER, DESK, BILLING, ADMINS };
