/** HTTP plumbing every hub feature shares: JSON with limits, problem+json, reading bodies, the caller and its address. */
package io.tracetrack.hub.web;
