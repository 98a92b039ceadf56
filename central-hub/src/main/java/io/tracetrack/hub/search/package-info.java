/** Search: exact match first, then prefix matches with filters and keyset paging, "did you mean" on a miss. */
package io.tracetrack.hub.search;
