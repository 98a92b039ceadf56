/**
 * Who is calling and what they may do: Argon2id password hashes, short-lived HMAC-signed JWTs
 * (Nimbus JOSE JWT, behind {@link io.tracetrack.hub.auth.Tokens} alone), the role check every
 * route makes, sign-in rate limits (bucket4j, behind {@link io.tracetrack.hub.auth.SignInLimiter}),
 * TOTP codes (java-otp, behind {@link io.tracetrack.hub.auth.Totp}) and QR images (zxing, behind
 * {@link io.tracetrack.hub.auth.QrCodes}). {@link io.tracetrack.hub.auth.AccountCheck}'s SQL lives in
 * {@link io.tracetrack.hub.auth.AccountStore}.
 *
 * <p>Arrows: every feature depends on this package (its routes check the caller; its changes are
 * made by a {@link io.tracetrack.hub.auth.Caller}, named in the audit trail as an {@link
 * io.tracetrack.hub.auth.Actor}), so this package depends on no feature: only on {@code db} and
 * {@code web}. That is why the token endpoint, which asks {@code users} whether a password is right,
 * lives in {@code users} ({@code AuthRoutes}), and why {@code Actor} lives here rather than in
 * {@code audit}, which takes it. {@code ArchitectureTest} refuses a cycle.
 */
package io.tracetrack.hub.auth;
