/** HTTP plumbing every hub feature shares: JSON with limits, problem+json, reading bodies, the caller. */
package io.tracetrack.hub.web;
