/**
 * Events for integrators (issue #17): every committed change-log entry as a CloudEvents 1.0 JSON
 * envelope ({@link io.tracetrack.hub.events.EventEnvelope}), relayed to Kafka by one hub instance at
 * a time ({@link io.tracetrack.hub.events.EventRelay}). The change log stays the one source: the
 * relay's position is a row in PostgreSQL that moves only after Kafka acknowledged, so delivery is
 * at least once, in log order, with the log position as the event's stable {@code id}.
 */
package io.tracetrack.hub.events;
