/** Import and export: streamed CSV and XLSX (SXSSF), constant memory whatever the row count. */
package io.tracetrack.hub.io;
