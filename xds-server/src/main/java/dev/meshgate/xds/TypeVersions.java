package dev.meshgate.xds;

/**
 * The version of each resource type in one group's snapshot, as /status shows them. {@code secrets}
 * is empty for a group without a workload identity (and then not shown).
 */
record TypeVersions(
    String clusters, String endpoints, String listeners, String routes, String secrets) {}
