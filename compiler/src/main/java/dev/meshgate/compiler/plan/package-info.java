/**
 * What a policy change does in Envoy terms: {@link dev.meshgate.compiler.plan.PolicyPlan#diff}
 * compares two compiled policies group by group and resource by resource, down to the JSON fields
 * of each Envoy resource, so a reviewer sees the effect of a change before it is served.
 */
package dev.meshgate.compiler.plan;
