/**
 * The hub's database: pool, migrations, dialect, transactions; the same code on PostgreSQL and H2;
 * and the embedded PostgreSQL server the hub runs by itself when no external one is given.
 */
package io.tracetrack.hub.db;
