/**
 * The central hub: the authoritative store of bags, links and users, its rules and its API.
 * {@link io.tracetrack.hub.Main} is the only place things are built and wired; one package per
 * feature: {@code db} (pool, migrations, dialect), {@code auth} (passwords, tokens, access rules),
 * {@code users}, {@code bag} (bags and links, decided by the shared Reconciler under row locks), {@code bill}
 * (dispatch manifests of parent bags; finalizing one freezes its parents),
 * {@code web} (HTTP plumbing shared by the features).
 */
package io.tracetrack.hub;
