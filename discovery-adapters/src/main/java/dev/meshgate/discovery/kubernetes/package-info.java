/**
 * Endpoints from Kubernetes: {@link dev.meshgate.discovery.kubernetes.KubernetesCatalog} answers
 * {@link dev.meshgate.discovery.ServiceQuery.Kubernetes} from discovery.k8s.io/v1 EndpointSlices,
 * the Service (port numbers to names) and the backing pods (labels), through fabric8 informers
 * shared per namespace.
 */
package dev.meshgate.discovery.kubernetes;
