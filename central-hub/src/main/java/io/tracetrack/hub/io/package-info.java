/**
 * Import and export (F-IO). Exports: streamed CSV and XLSX (SXSSF), constant memory whatever the row count. Imports
 * ({@link io.tracetrack.hub.io.ImportRoutes}): a CSV or XLSX file of bags or bills read as a stream
 * (commons-csv; POI's event API for XLSX, guarded against zip bombs), every row checked with the
 * API's own rules, and committed whole in one transaction or not at all.
 */
package io.tracetrack.hub.io;
