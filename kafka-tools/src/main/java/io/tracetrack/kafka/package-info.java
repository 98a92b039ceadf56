/**
 * Kafka for development and demos, in a jar of its own so the broker's jars stay out of the hub's:
 * {@code broker} runs a single-node KRaft broker, {@code events} prints the hub's events (see the
 * hub's {@code io.tracetrack.hub.events}) as JSON lines. Production runs a real Kafka cluster.
 */
package io.tracetrack.kafka;
