package dev.meshgate.xds;

/** The version of each resource type in one group's snapshot, as /status shows them. */
record TypeVersions(String clusters, String endpoints, String listeners, String routes) {}
