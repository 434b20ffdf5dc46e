#!/usr/bin/env bash
# Builds kube-apiserver and etcd from the Go modules pinned in ./apiserver and ./etcd, once per pinned set.
#
# The binaries go to ${ANYMESH_CACHE:-$HOME/.cache/anymesh}/kube-<key>/, where <key> is the first 12 hex digits
# of the SHA-256 of apiserver/go.mod, apiserver/go.sum, etcd/go.mod, etcd/go.sum, build.sh (in that order): a new pin is a
# new directory, an unchanged pin is found and not rebuilt. packages/kube/src/dev-cluster/binaries.ts computes
# the same key. Prints the directory on its last line.
set -euo pipefail
if [ "${ANYMESH_SKIP_KUBE:-}" = 1 ]; then
  echo "ANYMESH_SKIP_KUBE=1: not building kube-apiserver and etcd (the tests that need them are skipped)" >&2
  exit 0
fi
here="$(cd "$(dirname "$0")" && pwd)"
key=$(cat "$here/apiserver/go.mod" "$here/apiserver/go.sum" "$here/etcd/go.mod" "$here/etcd/go.sum" "$here/build.sh" | sha256sum | cut -c1-12)
out="${ANYMESH_CACHE:-$HOME/.cache/anymesh}/kube-$key"
if [ -x "$out/kube-apiserver" ] && [ -x "$out/etcd" ]; then
  echo "$out"
  exit 0
fi
# Go's own installer puts it in /usr/local/go/bin, which a non-login shell may not have on PATH.
command -v go >/dev/null 2>&1 || [ ! -x /usr/local/go/bin/go ] || PATH="$PATH:/usr/local/go/bin"
command -v go >/dev/null 2>&1 || {
  echo "go is not installed: the Kubernetes tests build kube-apiserver and etcd with it (Go >= 1.26), or set ANYMESH_SKIP_KUBE=1 to skip them" >&2
  exit 1
}
echo "building kube-apiserver and etcd once for these pins into $out (a cold build takes 5-20 min; later runs reuse it)" >&2
mkdir -p "$out.partial"
# -mod=readonly: go.sum is the pin; a build that would change it fails instead of drifting.
echo "building etcd ($(grep -m1 -o 'go.etcd.io/etcd/server/v3 v[0-9.]*' "$here/etcd/go.mod" | cut -d' ' -f2))..." >&2
(cd "$here/etcd" && go build -mod=readonly -trimpath -o "$out.partial/etcd" go.etcd.io/etcd/server/v3)
kube=$(grep -m1 -o 'k8s.io/kubernetes v[0-9.]*' "$here/apiserver/go.mod" | cut -d' ' -f2)
echo "building kube-apiserver ($kube)..." >&2
# The version stamp upstream's build (hack/lib/version.sh) sets; without it /version says v0.0.0-master.
minor=$(echo "$kube" | cut -d. -f2)
stamp="-X k8s.io/component-base/version.gitVersion=$kube -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor"
stamp="$stamp -X k8s.io/client-go/pkg/version.gitVersion=$kube -X k8s.io/client-go/pkg/version.gitMajor=1 -X k8s.io/client-go/pkg/version.gitMinor=$minor"
(cd "$here/apiserver" && go build -mod=readonly -trimpath -ldflags "$stamp" -o "$out.partial/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver)
rm -rf "$out" && mv "$out.partial" "$out"
echo "$out"
