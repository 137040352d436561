/**
 * Where service endpoints come from: {@link dev.meshgate.discovery.ServiceCatalog} and its
 * implementations ({@link dev.meshgate.discovery.StaticCatalog} now; Consul and Kubernetes adapters
 * later). Independent of the compiler: the server maps the policy's endpoint sources to {@link
 * dev.meshgate.discovery.ServiceQuery} values.
 */
package dev.meshgate.discovery;
