/** The hub's database: pool, migrations, dialect, transactions; the same code on PostgreSQL and H2. */
package io.tracetrack.hub.db;
