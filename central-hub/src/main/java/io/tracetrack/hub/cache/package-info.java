/**
 * Keeping the hub's read caches true: {@link io.tracetrack.hub.cache.CacheFollower} reads the change
 * log every writer appends to and drops the cached bag views and bill summaries each entry names,
 * right after a commit on this hub and on a short poll for the writes of other hub instances. The
 * caches themselves live in their features ({@code bag.BagViews}, {@code bill.BillSummaries}).
 */
package io.tracetrack.hub.cache;
