/**
 * The web UI billers and admins use: plain HTML, CSS and JavaScript modules served from the jar
 * (no CDN, no build step), over the same API integrators call, with a cookie session instead of a
 * bearer token (see {@link io.tracetrack.hub.auth.Sessions}).
 */
package io.tracetrack.hub.ui;
