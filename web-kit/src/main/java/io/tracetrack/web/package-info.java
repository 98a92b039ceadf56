/**
 * The HTTP plumbing the dock and the hub share, written once: reading JSON bodies strictly (one
 * media type, size and shape limits, no duplicate keys, nothing after the value) and their fields
 * ({@link io.tracetrack.web.Form}); problem+json answers with stable codes, also for what the
 * server refuses before routing, and for a request a handler refuses by throwing an
 * {@link io.tracetrack.web.ApiProblem} (answered once, by the routing); security headers, the Host
 * allow-list against DNS rebinding and the same-origin check, the client address behind trusted
 * reverse proxies ({@link io.tracetrack.web.ClientAddress}), serving static files, and Argon2id
 * password hashing with the password policy. Nothing here knows about bags or bills.
 */
package io.tracetrack.web;
