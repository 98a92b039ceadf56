/** Users, roles and areas: the first admin, sign-in with lockout. */
package io.tracetrack.hub.users;
