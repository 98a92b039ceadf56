/**
 * The dock's HTTP face, bound to loopback by default: the station page and its assets, the JSON
 * endpoints the page (and anything else on the machine) uses, printable command barcodes, health.
 * Handlers parse, call the scan or user logic, and map the result; nothing here decides a rule.
 */
package io.tracetrack.edge.station;
