/**
 * Who may scan at this dock: local dispatchers (created on first use, or with {@code users add},
 * until the hub sends the dock its users), their Argon2id password hashes, lockout after repeated
 * failures, and station sessions (opaque tokens stored only as SHA-256 hashes).
 */
package io.tracetrack.edge.users;
