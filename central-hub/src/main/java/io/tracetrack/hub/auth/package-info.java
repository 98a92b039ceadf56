/**
 * Who is calling and what they may do: Argon2id password hashes, short-lived HMAC-signed JWTs
 * (Nimbus JOSE JWT, behind {@link io.tracetrack.hub.auth.Tokens} alone), the role check every
 * route makes, sign-in rate limits (bucket4j, behind {@link io.tracetrack.hub.auth.SignInLimiter}),
 * TOTP codes (java-otp, behind {@link io.tracetrack.hub.auth.Totp}) and QR images (zxing, behind
 * {@link io.tracetrack.hub.auth.QrCodes}).
 */
package io.tracetrack.hub.auth;
