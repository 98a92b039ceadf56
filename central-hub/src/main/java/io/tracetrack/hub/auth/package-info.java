/**
 * Who is calling and what they may do: Argon2id password hashes, short-lived HMAC-signed JWTs
 * (Nimbus JOSE JWT, behind {@link io.tracetrack.hub.auth.Tokens} alone), and the role check every
 * route makes.
 */
package io.tracetrack.hub.auth;
