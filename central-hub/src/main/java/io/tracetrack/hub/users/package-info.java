/**
 * Users, roles and areas (PRODUCT.md F-ADMIN): sign-in with lockout and TOTP ({@link
 * io.tracetrack.hub.users.Users}) and the token endpoint under {@code /api/v1/auth} ({@link
 * io.tracetrack.hub.users.AuthRoutes}), administration with its guards ({@link
 * io.tracetrack.hub.users.UserAdmin}), TOTP enrolment ({@link io.tracetrack.hub.users.TwoFactor}),
 * promotion requests and in-app notifications ({@link io.tracetrack.hub.users.Promotions}), and the
 * routes under {@code /api/v1/areas}, {@code /users}, {@code /me} and {@code /promotion-requests}.
 * Those classes decide and audit; their SQL lives in the stores, {@link
 * io.tracetrack.hub.users.UserStore} (users, areas, dock grants, sign-in failures) and {@link
 * io.tracetrack.hub.users.PromotionStore} (requests and notifications).
 *
 * <p>Arrows: this package uses {@code auth} (hashes, tokens, limits, the caller) and {@code audit};
 * neither uses it back. What it needs from bills (whether a biller still has open ones) comes in
 * through {@link io.tracetrack.hub.users.OpenBills}, which {@code Main} wires to the bill feature.
 */
package io.tracetrack.hub.users;
