/**
 * Outgoing e-mail over SMTP (Angus Mail behind {@link io.tracetrack.hub.mail.Mailer}): the one place
 * the hub talks to a mail server. What to send, and when, is the caller's business (the end of day).
 */
package io.tracetrack.hub.mail;
