/**
 * Users, roles and areas (PRODUCT.md F-ADMIN): sign-in with lockout and TOTP ({@link
 * io.tracetrack.hub.users.Users}), administration with its guards ({@link
 * io.tracetrack.hub.users.UserAdmin}), TOTP enrolment ({@link io.tracetrack.hub.users.TwoFactor}),
 * promotion requests and in-app notifications ({@link io.tracetrack.hub.users.Promotions}), and the
 * routes under {@code /api/v1/areas}, {@code /users}, {@code /me} and {@code /promotion-requests}.
 */
package io.tracetrack.hub.users;
