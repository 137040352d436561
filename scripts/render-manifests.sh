#!/usr/bin/env bash
# Renders deploy/kubernetes/meshgate.yaml: the Helm chart deploy/helm/meshgate with its default
# values (release "meshgate", namespace "meshgate"), with the pinned helm (scripts/install-helm.sh).
# HelmChartIT fails when the committed file differs from a fresh render: run this after changing
# the chart.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
helm="$("$root/scripts/install-helm.sh")"
out="$root/deploy/kubernetes/meshgate.yaml"
mkdir -p "$(dirname "$out")"
cd "$root"
{
  echo "# Meshgate for Kubernetes: the Helm chart deploy/helm/meshgate rendered with its default values."
  echo "# Generated: do not edit. Regenerate with scripts/render-manifests.sh (HelmChartIT checks it)."
  echo "# Before applying: kubectl create namespace meshgate, and the Secrets meshgate-ca and"
  echo "# meshgate-admin-token (docs/deploy.md, \"Plain manifests\")."
  "$helm" template meshgate deploy/helm/meshgate --namespace meshgate
} > "$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $out" >&2
