/** Import and export: streamed CSV, constant memory whatever the row count. */
package io.tracetrack.hub.io;
