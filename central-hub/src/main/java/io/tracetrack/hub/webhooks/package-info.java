/**
 * Webhooks (issue #17 item 3): integrators without Kafka register a URL and the event types they
 * want ({@link io.tracetrack.hub.webhooks.WebhookRoutes}); each matching change-log entry becomes
 * a delivery, one signed POST of its CloudEvents envelope ({@link
 * io.tracetrack.hub.webhooks.Signatures}, the Standard Webhooks convention), sent by one hub
 * instance at a time ({@link io.tracetrack.hub.webhooks.WebhookDispatcher}), retried on a schedule
 * and dead-lettered when it runs out. Where a webhook may point is {@link
 * io.tracetrack.hub.webhooks.Destinations}' rule, checked when it is registered and again before
 * every attempt.
 */
package io.tracetrack.hub.webhooks;
