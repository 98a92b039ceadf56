/**
 * F-EOD: the end-of-day summary of one day in the deployment's time zone, as JSON, CSV and XLSX, and
 * its daily e-mail to admins and billers (sent once across hub instances).
 */
package io.tracetrack.hub.eod;
